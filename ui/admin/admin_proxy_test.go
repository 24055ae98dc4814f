package admin_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/ui"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// proxiedInstance is adminInstance serving with the trusted Proxies given.
func proxiedInstance(t *testing.T, trusted ...string) *uitest.Instance {
	t.Helper()
	in := uitest.AdminInstance(t)
	var ps []netip.Prefix
	for _, s := range trusted {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	in.Srv.Config.Handler = ui.New(ui.Config{Store: in.Store, Logger: uitest.QuietLog, Now: func() time.Time { return in.Now }, TrustedProxies: ps})
	return in
}

// failLogins makes loginMaxFailures failed logins for adminEmail, each
// with the X-Forwarded-For that xff returns.
func failLogins(t *testing.T, b *uitest.Browser, xff func(i int) string) {
	t.Helper()
	b.Get("/admin/connexion")
	for i := range 5 {
		b.Header = http.Header{"X-Forwarded-For": {xff(i)}}
		if a := b.Post("/admin/connexion", url.Values{"email": {uitest.AdminEmail}, "password": {"essai"}}); a.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d = %d", i+1, a.Status)
		}
	}
}

func TestLoginLimitIgnoresForwardedForFromUntrustedPeers(t *testing.T) {
	// httptest requests come from 127.0.0.1: trusted by neither.
	for _, trusted := range [][]string{nil, {"10.0.0.0/8"}} {
		in := proxiedInstance(t, trusted...)
		b := in.Browser()
		failLogins(t, b, func(i int) string { return "203.0.113." + string(rune('1'+i)) })
		// Another email, another forged address: the peer is still limited.
		b.Header = http.Header{"X-Forwarded-For": {"198.51.100.77"}}
		b.Post("/admin/connexion", url.Values{"email": {uitest.EditorEmail}, "password": {uitest.Password}}).
			Want(t, "sixth login, forged X-Forwarded-For, trusted "+strings.Join(trusted, ","), http.StatusTooManyRequests)
	}
}

func TestLoginLimitKeysTheForwardedClient(t *testing.T) {
	in := proxiedInstance(t, "127.0.0.1/32")
	b := in.Browser()
	// The client 203.0.113.7 fails five times, forging a different
	// leftmost entry each time: the proxy appended its real address.
	failLogins(t, b, func(i int) string { return "192.0.2." + string(rune('1'+i)) + ", 203.0.113.7" })
	b.Header = http.Header{"X-Forwarded-For": {"192.0.2.99, 203.0.113.7"}}
	b.Post("/admin/connexion", url.Values{"email": {uitest.EditorEmail}, "password": {uitest.Password}}).
		Want(t, "the failing client, another email", http.StatusTooManyRequests, "Trop de tentatives de connexion")

	// Another client behind the same proxy is not locked out.
	other := in.Browser()
	other.Header = http.Header{"X-Forwarded-For": {"203.0.113.8"}}
	other.Login(uitest.EditorEmail)
	other.Get("/admin").Want(t, "dashboard of the other client", http.StatusOK, uitest.EditorEmail)
}

// TestLoginAccountIsSlowedNotLocked: failures on an account from many
// addresses slow its next logins down by seconds, never lock its owner
// out for the window.
func TestLoginAccountIsSlowedNotLocked(t *testing.T) {
	in := proxiedInstance(t, "127.0.0.1/32")
	guesser := in.Browser()
	failLogins(t, guesser, func(i int) string { return "203.0.113." + string(rune('1'+i)) })

	owner := in.Browser()
	owner.Header = http.Header{"X-Forwarded-For": {"198.51.100.20"}}
	owner.Get("/admin/connexion")
	a := owner.Post("/admin/connexion", url.Values{"email": {uitest.AdminEmail}, "password": {uitest.Password}})
	a.Want(t, "the owner, right after the guesses", http.StatusTooManyRequests, "Réessayez dans 2 secondes")
	if ra := a.Header.Get("Retry-After"); ra != "2" {
		t.Errorf("Retry-After = %q; want 2", ra)
	}
	in.Now = in.Now.Add(2 * time.Second)
	if a := owner.Post("/admin/connexion", url.Values{"email": {uitest.AdminEmail}, "password": {uitest.Password}}); a.Status != http.StatusSeeOther {
		t.Errorf("the owner two seconds later = %d; want 303", a.Status)
	}
}

// setCookie returns the cookie name set by an answer, or nil.
func setCookie(h http.Header, name string) *http.Cookie {
	for _, ck := range (&http.Response{Header: h}).Cookies() {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

func TestForwardedProtoMakesCookiesSecure(t *testing.T) {
	for _, c := range []struct {
		trusted string
		secure  bool
	}{{"127.0.0.1/32", true}, {"10.0.0.0/8", false}} {
		in := proxiedInstance(t, c.trusted)
		b := in.Browser()
		b.Header = http.Header{"X-Forwarded-Proto": {"https"}}
		a := b.Get("/admin/connexion")
		if ck := setCookie(a.Header, "maillage_csrf"); ck == nil || ck.Secure != c.secure {
			t.Errorf("trusted %s: CSRF cookie %+v; want Secure %v", c.trusted, ck, c.secure)
		}
		// The jar does not send a Secure cookie back over plain http: log
		// in with a plain CSRF cookie, only the login forwarded as https.
		b = in.Browser()
		b.Get("/admin/connexion")
		b.Header = http.Header{"X-Forwarded-Proto": {"https"}}
		a = b.Post("/admin/connexion", url.Values{"email": {uitest.EditorEmail}, "password": {uitest.Password}})
		if a.Status != http.StatusSeeOther {
			t.Fatalf("trusted %s: login = %d", c.trusted, a.Status)
		}
		if ck := uitest.SessionSetCookie(t, a.Header); ck.Secure != c.secure {
			t.Errorf("trusted %s: session cookie Secure = %v; want %v", c.trusted, ck.Secure, c.secure)
		}
	}
	// Without the header, a trusted proxy's plain http stays plain.
	in := proxiedInstance(t, "127.0.0.1/32")
	if ck := setCookie(in.Browser().Get("/admin/connexion").Header, "maillage_csrf"); ck == nil || ck.Secure {
		t.Errorf("no X-Forwarded-Proto: CSRF cookie %+v; want not Secure", ck)
	}
}

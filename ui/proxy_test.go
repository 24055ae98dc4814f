package ui

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestClientIP(t *testing.T) {
	trusted := proxies{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:ffff::/48")}
	for _, c := range []struct {
		ps     proxies
		remote string
		xff    []string
		want   string
	}{
		{nil, "192.0.2.1:4000", nil, "192.0.2.1"},
		{nil, "192.0.2.1:4000", []string{"203.0.113.7"}, "192.0.2.1"},
		{trusted, "192.0.2.1:4000", []string{"203.0.113.7"}, "192.0.2.1"},
		{trusted, "127.0.0.1:4000", nil, "127.0.0.1"},
		{trusted, "127.0.0.1:4000", []string{"203.0.113.7"}, "203.0.113.7"},
		{trusted, "127.0.0.1:4000", []string{"198.51.100.1, 203.0.113.7"}, "203.0.113.7"},
		{trusted, "127.0.0.1:4000", []string{"198.51.100.1, 203.0.113.7, 10.1.2.3"}, "203.0.113.7"},
		{trusted, "127.0.0.1:4000", []string{"198.51.100.1", "203.0.113.7,10.1.2.3"}, "203.0.113.7"},
		{trusted, "127.0.0.1:4000", []string{"10.9.9.9, 10.1.2.3"}, "127.0.0.1"},
		{trusted, "127.0.0.1:4000", []string{"203.0.113.7, pas-une-adresse"}, "127.0.0.1"},
		{trusted, "127.0.0.1:4000", []string{"203.0.113.7:5555"}, "203.0.113.7"},
		{trusted, "127.0.0.1:4000", []string{"[2001:db8::1]:5555"}, "2001:db8::1"},
		{trusted, "127.0.0.1:4000", []string{"2001:db8::1, 2001:db8:ffff::2"}, "2001:db8::1"},
		{trusted, "[::ffff:10.0.0.1]:4000", []string{"::ffff:203.0.113.7"}, "203.0.113.7"},
		{trusted, "[2001:db8:ffff::9]:4000", []string{"203.0.113.7"}, "203.0.113.7"},
		{trusted, "[2001:db8::9]:4000", []string{"203.0.113.7"}, "2001:db8::9"},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.remote
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := c.ps.clientIP(r); got != c.want {
			t.Errorf("clientIP(%s, %q) with %d trusted = %s; want %s", c.remote, c.xff, len(c.ps), got, c.want)
		}
	}
}

// proxiedInstance is adminInstance serving with the trusted proxies given.
func proxiedInstance(t *testing.T, trusted ...string) *instance {
	t.Helper()
	in := adminInstance(t)
	var ps []netip.Prefix
	for _, s := range trusted {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	in.srv.Config.Handler = New(Config{Store: in.store, Logger: quietLog, Now: func() time.Time { return in.now }, TrustedProxies: ps})
	return in
}

// failLogins makes loginMaxFailures failed logins for adminEmail, each
// with the X-Forwarded-For that xff returns.
func failLogins(t *testing.T, b *browser, xff func(i int) string) {
	t.Helper()
	b.get("/admin/connexion")
	for i := range loginMaxFailures {
		b.header = http.Header{"X-Forwarded-For": {xff(i)}}
		if a := b.post("/admin/connexion", url.Values{"email": {adminEmail}, "password": {"essai"}}); a.status != http.StatusUnauthorized {
			t.Fatalf("failure %d = %d", i+1, a.status)
		}
	}
}

func TestLoginLimitIgnoresForwardedForFromUntrustedPeers(t *testing.T) {
	// httptest requests come from 127.0.0.1: trusted by neither.
	for _, trusted := range [][]string{nil, {"10.0.0.0/8"}} {
		in := proxiedInstance(t, trusted...)
		b := in.browser()
		failLogins(t, b, func(i int) string { return "203.0.113." + string(rune('1'+i)) })
		// Another email, another forged address: the peer is still limited.
		b.header = http.Header{"X-Forwarded-For": {"198.51.100.77"}}
		b.post("/admin/connexion", url.Values{"email": {editorEmail}, "password": {password}}).
			want(t, "sixth login, forged X-Forwarded-For, trusted "+strings.Join(trusted, ","), http.StatusTooManyRequests)
	}
}

func TestLoginLimitKeysTheForwardedClient(t *testing.T) {
	in := proxiedInstance(t, "127.0.0.1/32")
	b := in.browser()
	// The client 203.0.113.7 fails five times, forging a different
	// leftmost entry each time: the proxy appended its real address.
	failLogins(t, b, func(i int) string { return "192.0.2." + string(rune('1'+i)) + ", 203.0.113.7" })
	b.header = http.Header{"X-Forwarded-For": {"192.0.2.99, 203.0.113.7"}}
	b.post("/admin/connexion", url.Values{"email": {editorEmail}, "password": {password}}).
		want(t, "the failing client, another email", http.StatusTooManyRequests, "Trop de tentatives de connexion")

	// Another client behind the same proxy is not locked out.
	other := in.browser()
	other.header = http.Header{"X-Forwarded-For": {"203.0.113.8"}}
	other.login(editorEmail)
	other.get("/admin").want(t, "dashboard of the other client", http.StatusOK, editorEmail)
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
		b := in.browser()
		b.header = http.Header{"X-Forwarded-Proto": {"https"}}
		a := b.get("/admin/connexion")
		if ck := setCookie(a.header, csrfCookie); ck == nil || ck.Secure != c.secure {
			t.Errorf("trusted %s: CSRF cookie %+v; want Secure %v", c.trusted, ck, c.secure)
		}
		// The jar does not send a Secure cookie back over plain http: log
		// in with a plain CSRF cookie, only the login forwarded as https.
		b = in.browser()
		b.get("/admin/connexion")
		b.header = http.Header{"X-Forwarded-Proto": {"https"}}
		a = b.post("/admin/connexion", url.Values{"email": {editorEmail}, "password": {password}})
		if a.status != http.StatusSeeOther {
			t.Fatalf("trusted %s: login = %d", c.trusted, a.status)
		}
		if ck := sessionSetCookie(t, a.header); ck.Secure != c.secure {
			t.Errorf("trusted %s: session cookie Secure = %v; want %v", c.trusted, ck.Secure, c.secure)
		}
	}
	// Without the header, a trusted proxy's plain http stays plain.
	in := proxiedInstance(t, "127.0.0.1/32")
	if ck := setCookie(in.browser().get("/admin/connexion").header, csrfCookie); ck == nil || ck.Secure {
		t.Errorf("no X-Forwarded-Proto: CSRF cookie %+v; want not Secure", ck)
	}
}

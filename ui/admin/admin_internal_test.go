package admin

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/page"
	"github.com/maillage/maillage/ui/internal/server"
)

// TestLocalPath keeps the login's "suite" on this site.
func TestLocalPath(t *testing.T) {
	for suite, want := range map[string]string{
		"":                          "/admin",
		"/admin/evenements?x=1":     "/admin/evenements?x=1",
		"//evil.example/admin":      "/admin",
		"https://evil.example/":     "/admin",
		"/\\evil.example":           "/admin",
		"/admin@evil.example":       "/admin",
		"/adminx":                   "/admin",
		"/lieux":                    "/admin",
		"/admin/../../evil":         "/admin/../../evil", // a path of this site, whatever it means
		"javascript:alert(1)":       "/admin",
		"/admin\r\nSet-Cookie: x=1": "/admin",
	} {
		if got := localPath(suite); got != want {
			t.Errorf("localPath(%q) = %q; want %q", suite, got, want)
		}
	}
}
func TestLoginLimiter(t *testing.T) {
	l := newLoginLimiter(3, time.Minute)
	t0 := monday
	l.fail(t0, "ip:1", "email:a")
	l.fail(t0.Add(10*time.Second), "ip:2", "email:a")
	if w := l.wait(t0.Add(20*time.Second), "ip:3", "email:a"); w != 0 {
		t.Errorf("after 2 failures wait %v", w)
	}
	l.fail(t0.Add(20*time.Second), "ip:3", "email:a")
	// Three failures for one email, from three addresses: the email waits
	// until the first failure is a minute old; the addresses do not.
	if w := l.wait(t0.Add(30*time.Second), "ip:4", "email:a"); w != 30*time.Second {
		t.Errorf("wait = %v; want 30s", w)
	}
	if w := l.wait(t0.Add(30*time.Second), "ip:1", "email:b"); w != 0 {
		t.Errorf("another email waits %v", w)
	}
	if w := l.wait(t0.Add(time.Minute), "email:a"); w != 0 {
		t.Errorf("a minute later wait %v", w)
	}
	l.reset("email:a")
	if len(l.fails["email:a"]) != 0 {
		t.Error("reset kept the failures")
	}
}

func TestAdminPanicIsAFrenchPage(t *testing.T) {
	st, err := storage.Open(t.TempDir(), storage.Options{BaseURL: "http://maillage.test"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var logged strings.Builder
	s := &server.Server{Store: st, Log: slog.New(slog.NewTextHandler(&logged, nil)), Now: time.Now, MaxBody: 1 << 20}
	p := New(page.New(s, page.Options{Messages: page.French(French)}))
	h := p.adminHTML(func(w http.ResponseWriter, r *http.Request) { panic("index out of range [3] with length 2") })
	rec := httptest.NewRecorder()
	h(rec, httptest.NewRequest(http.MethodGet, "/admin/lieux", nil))
	body := rec.Body.String()
	if rec.Code != http.StatusInternalServerError || !strings.Contains(body, "Une erreur est survenue de notre côté") ||
		strings.Contains(body, "index out of range") || strings.Contains(body, "goroutine") {
		t.Errorf("panic answered %d\n%s", rec.Code, body)
	}
	if !strings.Contains(logged.String(), "index out of range") || !strings.Contains(logged.String(), "admin.go") {
		t.Errorf("the panic is not logged with its stack: %s", logged.String())
	}
}

package admin

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
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
	l.fail(t0, "1", "a")
	l.fail(t0.Add(10*time.Second), "2", "a")
	if w := l.wait(t0.Add(20*time.Second), "3", "a"); w != 0 {
		t.Errorf("after 2 failures wait %v", w)
	}
	l.fail(t0.Add(20*time.Second), "3", "a")
	// Three failures for one account, from three addresses: the account
	// is slowed down (a second after the last failure), not locked.
	if w := l.wait(t0.Add(20*time.Second), "4", "a"); w != time.Second {
		t.Errorf("wait = %v; want 1s", w)
	}
	if w := l.wait(t0.Add(21*time.Second), "4", "a"); w != 0 {
		t.Errorf("a second later wait = %v", w)
	}
	l.fail(t0.Add(21*time.Second), "4", "a")
	if w := l.wait(t0.Add(21*time.Second), "5", "a"); w != 2*time.Second {
		t.Errorf("after 4 failures wait = %v; want 2s", w)
	}
	for i := range 20 { // a guesser from many addresses: at most a minute
		l.fail(t0.Add(22*time.Second), fmt.Sprint("x", i), "a")
	}
	if w := l.wait(t0.Add(22*time.Second), "6", "a"); w != time.Minute {
		t.Errorf("after 24 failures wait = %v; want 1m", w)
	}
	if w := l.wait(t0.Add(22*time.Second), "1", "b"); w != 0 {
		t.Errorf("another account waits %v", w)
	}
	// An address with three failures is refused until the oldest is a
	// minute old, whatever the account.
	l.fail(t0.Add(30*time.Second), "9", "c")
	l.fail(t0.Add(31*time.Second), "9", "d")
	l.fail(t0.Add(32*time.Second), "9", "e")
	if w := l.wait(t0.Add(40*time.Second), "9", "f"); w != 50*time.Second {
		t.Errorf("address wait = %v; want 50s", w)
	}
	l.reset("a")
	if len(l.fails["account:a"]) != 0 {
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

// monday is the clock of these tests: Monday 13 July 2026, 10:00 in Paris.
var monday = time.Date(2026, 7, 13, 10, 0, 0, 0, catalogue.Paris)

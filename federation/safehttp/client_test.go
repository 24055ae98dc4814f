package safehttp

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestClientRefusesPrivateAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	if _, _, err := New(Options{}).Do(req); !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("a request to %s gave %v; want ErrPrivateAddress", srv.URL, err)
	}
	// A name resolving to loopback is refused the same way.
	req, _ = http.NewRequest(http.MethodGet, strings.Replace(srv.URL, "127.0.0.1", "localhost", 1), nil)
	if _, _, err := New(Options{}).Do(req); !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("a request to localhost gave %v; want ErrPrivateAddress", err)
	}
	req, _ = http.NewRequest(http.MethodGet, srv.URL, nil)
	resp, body, err := New(Options{AllowPrivate: true}).Do(req)
	if err != nil || resp.StatusCode != 200 || string(body) != "ok" {
		t.Errorf("with AllowPrivate: %v %s", err, body)
	}
}

func TestClientLimitsSizeAndRedirects(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("elsewhere")) }))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			w.Write(make([]byte, 2000))
		case "/away":
			http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/x", http.StatusFound)
		case "/here":
			http.Redirect(w, r, "/small", http.StatusFound)
		default:
			w.Write([]byte("small"))
		}
	}))
	defer srv.Close()
	c := New(Options{AllowPrivate: true, MaxBody: 1000})
	get := func(path string) ([]byte, error) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		_, body, err := c.Do(req)
		return body, err
	}
	if _, err := get("/big"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("2000 bytes with a 1000 limit: %v; want ErrTooLarge", err)
	}
	if _, err := get("/away"); err == nil || !strings.Contains(err.Error(), "autre hôte") {
		t.Errorf("redirect to another host: %v; want refused", err)
	}
	if body, err := get("/here"); err != nil || string(body) != "small" {
		t.Errorf("redirect on the same host: %q %v", body, err)
	}
	req, _ := http.NewRequest(http.MethodGet, "file:///etc/passwd", nil)
	if _, _, err := c.Do(req); err == nil {
		t.Error("file:// URL fetched")
	}
}

func TestIsPrivateIP(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1": true, "10.1.2.3": true, "172.16.0.1": true, "192.168.1.1": true,
		"169.254.169.254": true, "100.64.0.1": true, "0.0.0.0": true, "::1": true,
		"fd00::1": true, "fe80::1": true, "::ffff:127.0.0.1": true, "::ffff:10.0.0.1": true,
		"2001:db8::1": true, "198.51.100.7": true,
		"51.15.0.1": false, "2a01:4f8::1": false, "8.8.8.8": false,
	} {
		if got := IsPrivateIP(netip.MustParseAddr(addr)); got != want {
			t.Errorf("IsPrivateIP(%s) = %v; want %v", addr, got, want)
		}
	}
}

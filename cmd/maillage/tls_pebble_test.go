package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/crypto/acme"
)

// needTool skips the test when something outside Go's test binary is
// missing, except under CI=true, where a missing piece is a failure: CI
// must really obtain a certificate.
func needTool(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// pebble is Let's Encrypt's test ACME server, run from the tool directive
// of go.mod, on loopback, with its validation authority resolving every
// name through a DNS server of the test to 127.0.0.1 and contacting the
// instance's own HTTP and HTTPS ports.
type pebble struct {
	dir    string // ACME directory URL
	mgmt   string // management base URL (roots, intermediates)
	client *http.Client
	stop   func() // stops Pebble; Cleanup calls it too
}

// startPebble builds and starts Pebble; httpPort and tlsPort are where
// its validation authority checks http-01 and tls-alpn-01 challenges.
func startPebble(t *testing.T, httpPort, tlsPort int) *pebble {
	t.Helper()
	if testing.Short() {
		t.Skip("Pebble: not with -short")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		needTool(t, "Pebble: the go command is needed to build it: %v", err)
	}
	work := t.TempDir()
	bin := filepath.Join(work, "pebble")
	build := exec.Command(goBin, "build", "-o", bin, "github.com/letsencrypt/pebble/v2/cmd/pebble")
	if out, err := build.CombinedOutput(); err != nil {
		needTool(t, "Pebble: go build (tool directive of go.mod): %v\n%s", err, out)
	}

	// Pebble's own listeners present a certificate of ours.
	certPEM, keyPEM, pool := selfSigned(t, "localhost", "127.0.0.1")
	os.WriteFile(filepath.Join(work, "cert.pem"), certPEM, 0o600)
	os.WriteFile(filepath.Join(work, "key.pem"), keyPEM, 0o600)
	acmePort, mgmtPort := freePort(t), freePort(t)
	conf := map[string]any{"pebble": map[string]any{
		"listenAddress":                  fmt.Sprintf("127.0.0.1:%d", acmePort),
		"managementListenAddress":        fmt.Sprintf("127.0.0.1:%d", mgmtPort),
		"certificate":                    filepath.Join(work, "cert.pem"),
		"privateKey":                     filepath.Join(work, "key.pem"),
		"httpPort":                       httpPort,
		"tlsPort":                        tlsPort,
		"ocspResponderURL":               "",
		"externalAccountBindingRequired": false,
		"profiles":                       map[string]any{"default": map[string]any{"description": "test", "validityPeriod": 7776000}},
	}}
	b, _ := json.Marshal(conf)
	if err := os.WriteFile(filepath.Join(work, "pebble.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "-config", filepath.Join(work, "pebble.json"), "-dnsserver", startLoopbackDNS(t))
	cmd.Env = append(os.Environ(), "PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0")
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		cancel()
		needTool(t, "Pebble: start: %v", err)
	}
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); cmd.Wait() }) }
	t.Cleanup(func() {
		stop()
		if t.Failed() || os.Getenv("PEBBLE_LOG") != "" {
			t.Logf("Pebble's log:\n%s", logs.String())
		}
	})
	p := &pebble{stop: stop,
		dir:    fmt.Sprintf("https://127.0.0.1:%d/dir", acmePort),
		mgmt:   fmt.Sprintf("https://127.0.0.1:%d", mgmtPort),
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}},
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		resp, err := p.client.Get(p.dir)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("Pebble does not answer %s: %v\n%s", p.dir, err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// roots returns Pebble's root and intermediate certificates, from its
// management interface: what a client must trust to check what it issues.
func (p *pebble) roots(t *testing.T) *x509.CertPool {
	t.Helper()
	pool := x509.NewCertPool()
	for _, path := range []string{"/roots/0", "/intermediates/0"} {
		resp, err := p.client.Get(p.mgmt + path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || !pool.AppendCertsFromPEM(b) {
			t.Fatalf("Pebble %s = %d %v\n%s", path, resp.StatusCode, err, b)
		}
	}
	return pool
}

// startLoopbackDNS answers every A question with 127.0.0.1 and every
// other one with no record, over TCP as Pebble asks; it returns its
// address.
func startLoopbackDNS(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{Listener: ln, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(q)
		for _, qu := range q.Question {
			if qu.Qtype == dns.TypeA {
				m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: qu.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.IPv4(127, 0, 0, 1)})
			}
		}
		w.WriteMsg(m)
	})}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); srv.ActivateAndServe() }()
	t.Cleanup(func() { srv.Shutdown(); wg.Wait() })
	return ln.Addr().String()
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestACMECertificateFromPebble is the issue's "CI obtains a certificate
// from Pebble and serves a page over HTTPS": serve --acme-domain, on
// loopback ports, gets a real certificate through autocert (Pebble's
// validation authority fetches the challenge from the instance's HTTP or
// HTTPS port), caches it in the data directory, and a browser-like client
// trusting Pebble's CA reads the home page, with HSTS; plain HTTP
// redirects to https; after a restart, with Pebble gone, the cached
// certificate is served.
func TestACMECertificateFromPebble(t *testing.T) {
	httpsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	httpLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	httpsPort, httpPort := httpsLn.Addr().(*net.TCPAddr).Port, httpLn.Addr().(*net.TCPAddr).Port
	p := startPebble(t, httpPort, httpsPort)

	data := t.TempDir()
	cfg, err := parseServeFlags([]string{"--data", data, "--acme-domain", "maillage.test", "--acme-email", "ops@maillage.test",
		"--https-listen", httpsLn.Addr().String(), "--http-listen", httpLn.Addr().String(), "--acme-directory", p.dir},
		func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://maillage.test:" + strconv.Itoa(httpsPort); cfg.URL != want {
		t.Errorf("default --url with --acme-domain = %q; want %q", cfg.URL, want)
	}
	srv := &Server{Config: cfg, Listener: httpsLn, HTTPListener: httpLn,
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		ACMEClient: &acme.Client{DirectoryURL: p.dir, HTTPClient: p.client}}
	if err := srv.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	// A client that finds maillage.test on loopback and trusts Pebble's CA.
	pool := p.roots(t)
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, _ := net.SplitHostPort(addr)
		return (&net.Dialer{}).DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
	}
	client := &http.Client{Timeout: time.Minute,
		Transport:     &http.Transport{DialContext: dial, TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(srv.BaseURL() + "/")
	if err != nil {
		t.Fatalf("GET %s/ over HTTPS: %v", srv.BaseURL(), err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("<html")) {
		t.Errorf("GET / over HTTPS = %d\n%.300s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("Strict-Transport-Security"); got != hstsValue {
		t.Errorf("Strict-Transport-Security = %q; want %q", got, hstsValue)
	}
	if c := resp.TLS.PeerCertificates[0]; c.Subject.CommonName != "maillage.test" && !strings.Contains(strings.Join(c.DNSNames, ","), "maillage.test") {
		t.Errorf("certificate for %v %v; want maillage.test", c.Subject, c.DNSNames)
	}
	if _, err := os.Stat(filepath.Join(data, "acme", "maillage.test")); err != nil {
		t.Errorf("the certificate is not cached in the data directory: %v", err)
	}

	// Plain HTTP: a permanent redirect to the same path on https.
	defer func() { // after the redirect check below
		// A restart serves the cached certificate without asking the ACME
		// server again: Pebble is stopped first.
		if err := srv.Close(); err != nil {
			t.Fatal(err)
		}
		p.stop()
		// The same address: an instance's public URL is fixed at first use.
		ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(httpsPort))
		if err != nil {
			t.Fatal(err)
		}
		cfg.HTTPListen = "off"
		again := &Server{Config: cfg, Listener: ln, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			ACMEClient: &acme.Client{DirectoryURL: p.dir, HTTPClient: p.client}}
		if err := again.Open(context.Background()); err != nil {
			t.Fatal(err)
		}
		defer again.Close()
		resp, err := client.Get(again.BaseURL() + "/")
		if err != nil {
			t.Fatalf("GET / after a restart, Pebble stopped: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET / after a restart = %d", resp.StatusCode)
		}
	}()
	resp, err = client.Get("http://maillage.test:" + strconv.Itoa(httpPort) + "/lieux?q=atelier")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if want := srv.BaseURL() + "/lieux?q=atelier"; resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
		t.Errorf("GET http://…/lieux = %d Location %q; want 301 %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
}

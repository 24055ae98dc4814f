package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// selfSigned returns a certificate for the names, its key and a pool
// trusting it.
func selfSigned(t testing.TB, names ...string) (certPEM, keyPEM []byte, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: names[0]},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), pool
}

// startTLSServer serves with --tls-cert on loopback and returns the
// server and a client trusting the certificate.
func startTLSServer(t testing.TB) (*Server, *http.Client) {
	t.Helper()
	dir := t.TempDir()
	certPEM, keyPEM, pool := selfSigned(t, "maillage.test")
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, certPEM, 0o600)
	os.WriteFile(keyFile, keyPEM, 0o600)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := parseServeFlags([]string{"--data", filepath.Join(dir, "data"), "--tls-cert", certFile, "--tls-key", keyFile,
		"--url", "https://maillage.test:" + strings.Split(ln.Addr().String(), ":")[1], "--https-listen", ln.Addr().String(), "--http-listen", "off"},
		func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	srv := &Server{Config: cfg, Listener: ln, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := srv.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Addr())
	}
	return srv, &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: dial, TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

// TestServeWithGivenCertificate: --tls-cert/--tls-key for certificates
// managed elsewhere; pages come over HTTPS with HSTS.
func TestServeWithGivenCertificate(t *testing.T) {
	srv, client := startTLSServer(t)
	resp, err := client.Get(srv.BaseURL() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.TLS == nil {
		t.Errorf("GET / = %d, TLS %v; want 200 over TLS", resp.StatusCode, resp.TLS != nil)
	}
	if got := resp.Header.Get("Strict-Transport-Security"); got != hstsValue {
		t.Errorf("Strict-Transport-Security = %q; want %q", got, hstsValue)
	}
}

// TestTLSFlagErrors: each bad combination is refused at start with a
// French message naming the flag.
func TestTLSFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--acme-domain", "a.example", "--tls-cert", "c", "--tls-key", "k"}, nil, "s'excluent"},
		{[]string{"--tls-cert", "c"}, nil, "--tls-key vont ensemble"},
		{[]string{"--acme-domain", "https://a.example"}, nil, "--acme-domain : nom de domaine"},
		{[]string{"--acme-domain", "localhost"}, nil, "--acme-domain : nom de domaine"},
		{[]string{"--acme-domain", "a.example", "--url", "https://b.example"}, nil, "--url : avec --acme-domain"},
		{[]string{"--acme-domain", "a.example", "--http-listen", "off"}, nil, "--http-listen off"},
		{[]string{"--tls-cert", "c", "--tls-key", "k"}, nil, "--url : avec --tls-cert"},
		{[]string{"--tls-cert", "c", "--tls-key", "k", "--url", "http://a.example"}, nil, "--url : avec --tls-cert"},
		{nil, map[string]string{"MAILLAGE_ACME_DOMAIN": "a.example", "MAILLAGE_HTTPS_LISTEN": "443"}, "--https-listen"},
		{[]string{"--log-format", "xml"}, nil, "--log-format"},
		{[]string{"--metrics-listen", "9100"}, nil, "--metrics-listen"},
	} {
		_, err := parseServeFlags(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("serve %v %v: %v; want an error containing %q", tc.args, tc.env, err, tc.want)
		}
	}
	cfg, err := parseServeFlags(nil, func(k string) string {
		return map[string]string{"MAILLAGE_ACME_DOMAIN": "maillage.example.fr", "MAILLAGE_ACME_EMAIL": "a@example.fr"}[k]
	}, io.Discard)
	if err != nil || cfg.URL != "https://maillage.example.fr" || cfg.HTTPSListen != ":443" || cfg.HTTPListen != ":80" || cfg.ACMEEmail != "a@example.fr" {
		t.Errorf("MAILLAGE_ACME_DOMAIN: %+v, %v; want https://maillage.example.fr on :443 and :80", cfg, err)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

func startServer(t *testing.T, dir string) *Server {
	t.Helper()
	ln, _ := listenLoopback(t, "127.0.0.1:0")
	return startServerOn(t, dir, ln)
}

// startServerOn serves dir on ln; the instance's URL is the one stored
// at the first command, or ln's for a new data directory.
func startServerOn(t *testing.T, dir string, ln net.Listener) *Server {
	t.Helper()
	srv := &Server{
		Config:   Config{Data: dir, Listen: "127.0.0.1:0", Name: "Arsenic 13", Handle: "arsenic13"},
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		Listener: ln,
	}
	if err := srv.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	return srv
}

// listenLoopback listens on addr and returns the listener and its URL, to
// give the first command of a data directory (which fixes the URL).
func listenLoopback(t *testing.T, addr string) (net.Listener, string) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return ln, "http://" + ln.Addr().String()
}

func runCmd(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), err
}

func post(t *testing.T, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	json.NewDecoder(resp.Body).Decode(&v)
	return resp.StatusCode, v
}

const placeBody = `{"pivot":"00000000000000","nom":"EPN de la Joliette","adresse":"1 quai de la Joliette",
"code_postal":"13002","commune":"Marseille","code_insee":"13202","date_maj":"2026-01-05"}`

// TestTokenPlaceRestart is the user story: create a token, add a
// place through the API, stop, start, and find the place again.
func TestTokenPlaceRestart(t *testing.T) {
	dir := t.TempDir()
	ln, url := listenLoopback(t, "127.0.0.1:0")
	out, err := runCmd(t, "", "token", "create", "--data", dir, "--url", url, "--label", "tests")
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out)

	srv := startServerOn(t, dir, ln)
	if _, err := runCmd(t, "", "token", "create", "--data", dir); err == nil || !strings.Contains(err.Error(), "autre processus") {
		t.Errorf("token create while serving: %v; want a clear refusal", err)
	}
	status, body := post(t, srv.BaseURL()+"/api/v1/places", token, placeBody)
	if status != http.StatusCreated {
		t.Fatalf("POST place = %d %v", status, body)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}

	ln, _ = listenLoopback(t, strings.TrimPrefix(url, "http://")) // the same address again
	srv = startServerOn(t, dir, ln)
	defer srv.Close()
	resp, err := http.Get(srv.BaseURL() + "/api/v1/places/" + body["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got map[string]any
	json.NewDecoder(resp.Body).Decode(&got)
	if resp.StatusCode != 200 || got["nom"] != "EPN de la Joliette" {
		t.Fatalf("after restart GET place = %d %v", resp.StatusCode, got)
	}
	if net := got["network"].(map[string]any); net["name"] != "Arsenic 13" {
		t.Errorf("network = %v; want Arsenic 13", net)
	}
}

func TestUserAdd(t *testing.T) {
	dir := t.TempDir()
	if _, err := runCmd(t, "un mot de passe solide\n", "user", "add", "--data", dir, "--email", "a@example.org", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, "un autre mot de passe\n", "user", "add", "--data", dir, "--email", "a@example.org"); err == nil {
		t.Error("adding the same email twice succeeded")
	}
	if _, err := runCmd(t, "court\n", "user", "add", "--data", dir, "--email", "b@example.org"); err == nil {
		t.Error("a short password was accepted")
	}
	if _, err := runCmd(t, "", "user", "add", "--data", dir, "--email", "c@example.org", "--role", "root"); err == nil || !strings.Contains(err.Error(), "--role") {
		t.Errorf("user add with an unknown role, no password typed: %v; want the role named", err)
	}
	if _, err := runCmd(t, "", "user", "add", "--data", dir); err == nil {
		t.Error("user add without --email succeeded")
	}
}

func TestServeFlagsAndEnvironment(t *testing.T) {
	env := map[string]string{"MAILLAGE_DATA": "/srv/maillage", "MAILLAGE_NAME": "Arsenic 83", "MAILLAGE_RELAY": "true"}
	cfg, err := parseServeFlags([]string{"--listen", "0.0.0.0:9000", "--handle", "arsenic83"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Data != "/srv/maillage" || cfg.Listen != "0.0.0.0:9000" || cfg.Name != "Arsenic 83" || !cfg.NameSet ||
		cfg.Handle != "arsenic83" || !cfg.HandleSet || !cfg.Relay || cfg.AllowPrivate {
		t.Errorf("config = %+v", cfg)
	}
	cfg, err = parseServeFlags(nil, func(string) string { return "" }, io.Discard)
	if err != nil || cfg.Data != "./data" || cfg.Listen != "localhost:8080" || cfg.Name != "Mon réseau" || cfg.Handle != "reseau" || cfg.NameSet {
		t.Errorf("defaults = %+v, %v", cfg, err)
	}
	for _, args := range [][]string{
		{"--url", "ftp://x"}, {"--url", "https://x.example/chemin"}, {"--handle", "Arsenic 13"}, {"--listen", "8080"}, {"extra"},
	} {
		if _, err := parseServeFlags(args, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("parseServeFlags(%q) succeeded; want an error", args)
		}
	}
	if _, err := parseServeFlags(nil, func(k string) string { return map[string]string{"MAILLAGE_RELAY": "peut-être"}[k] }, io.Discard); err == nil {
		t.Error("a bad MAILLAGE_RELAY was accepted")
	}
}

func TestServeTrustedProxies(t *testing.T) {
	env := map[string]string{"MAILLAGE_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8,2001:db8::/32,"}
	cfg, err := parseServeFlags(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}
	if !slices.Equal(cfg.TrustedProxies, want) {
		t.Errorf("MAILLAGE_TRUSTED_PROXIES: %v; want %v", cfg.TrustedProxies, want)
	}
	cfg, err = parseServeFlags([]string{"--trusted-proxies", "192.168.1.7/24"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil || !slices.Equal(cfg.TrustedProxies, []netip.Prefix{netip.MustParsePrefix("192.168.1.0/24")}) {
		t.Errorf("--trusted-proxies over the environment: %v, %v", cfg.TrustedProxies, err)
	}
	cfg, err = parseServeFlags(nil, func(string) string { return "" }, io.Discard)
	if err != nil || cfg.TrustedProxies != nil {
		t.Errorf("default trusted proxies: %v, %v; want none", cfg.TrustedProxies, err)
	}
	// A bad entry stops serve at start, with the value named.
	for _, bad := range []string{"10.0.0.0/33", "mon-proxy", "127.0.0.1,10.0.0.300", "fe80::1%eth0"} {
		_, err := runCmd(t, "", "serve", "--data", t.TempDir(), "--listen", "localhost:0", "--trusted-proxies", bad)
		name := bad[strings.LastIndexByte(bad, ',')+1:]
		if err == nil || !strings.Contains(err.Error(), "--trusted-proxies") || !strings.Contains(err.Error(), name) {
			t.Errorf("serve --trusted-proxies %s: %v; want a refusal naming %q", bad, err, name)
		}
	}
}

func TestDefaultBaseURL(t *testing.T) {
	dir := t.TempDir()
	srv := &Server{Config: Config{Data: dir, Listen: "localhost:0", Name: "x", Handle: "x"}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := srv.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if !strings.HasPrefix(srv.BaseURL(), "http://127.0.0.1:") {
		t.Errorf("BaseURL = %q", srv.BaseURL())
	}
	resp, err := http.Get(srv.BaseURL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// TestGracefulShutdown checks that a request in flight when Close is
// called still gets its answer.
func TestGracefulShutdown(t *testing.T) {
	srv := startServer(t, t.TempDir())
	token, err := srv.Store().CreateToken("tests", "admin")
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		req, _ := http.NewRequest("POST", srv.BaseURL()+"/api/v1/places", pr)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			done <- -1
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	pw.Write([]byte(placeBody[:40]))
	time.Sleep(100 * time.Millisecond) // let the server accept the connection
	closed := make(chan error)
	go func() { closed <- srv.Close() }()
	time.Sleep(100 * time.Millisecond)
	pw.Write([]byte(placeBody[40:]))
	pw.Close()
	if status := <-done; status != http.StatusCreated {
		t.Errorf("in-flight request got %d; want its normal answer (201)", status)
	}
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
}

func TestUnknownCommand(t *testing.T) {
	if _, err := runCmd(t, "", "fly"); err == nil || !strings.Contains(err.Error(), "commande inconnue") {
		t.Errorf("unknown command: %v", err)
	}
}

// TestTokenCreateRole: --role editor makes a token that keeps the
// catalogue but cannot moderate; without --role the token is an admin's.
func TestTokenCreateRole(t *testing.T) {
	dir := t.TempDir()
	if _, err := runCmd(t, "", "token", "create", "--data", dir, "--role", "root"); err == nil || !strings.Contains(err.Error(), "rôle inconnu « root » (admin ou editor)") {
		t.Errorf("--role root: %v; want a French refusal", err)
	}
	ln, url := listenLoopback(t, "127.0.0.1:0")
	out, err := runCmd(t, "", "token", "create", "--data", dir, "--url", url, "--label", "site", "--role", "editor")
	if err != nil {
		t.Fatal(err)
	}
	editor := strings.TrimSpace(out)
	out, err = runCmd(t, "", "token", "create", "--data", dir, "--label", "script")
	if err != nil {
		t.Fatal(err)
	}
	admin := strings.TrimSpace(out)

	srv := startServerOn(t, dir, ln)
	defer srv.Close()
	if _, err := runCmd(t, "", "token", "create", "--data", dir, "--role", "chef"); err == nil || !strings.Contains(err.Error(), "rôle inconnu") {
		t.Errorf("--role chef while serving: %v; want the role's refusal first", err)
	}
	if status, body := post(t, srv.BaseURL()+"/api/v1/places", editor, placeBody); status != http.StatusCreated {
		t.Errorf("editor POST place = %d %v; want 201", status, body)
	}
	block := `{"domain": "spam.example"}`
	if status, body := post(t, srv.BaseURL()+"/api/v1/blocks", editor, block); status != http.StatusForbidden || !strings.Contains(body["error"].(string), "« admin »") {
		t.Errorf("editor POST block = %d %v; want 403 naming the admin role", status, body)
	}
	if status, body := post(t, srv.BaseURL()+"/api/v1/blocks", admin, block); status != http.StatusCreated {
		t.Errorf("default token POST block = %d %v; want 201", status, body)
	}
}

package ui

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/maillage/maillage/storage"
)

// Passwords of the test accounts.
const (
	adminEmail  = "admin@arsenic13.example"
	editorEmail = "editrice@arsenic13.example"
	password    = "correct horse battery staple"
)

// adminInstance is an instance with an admin and an editor account.
func adminInstance(t *testing.T) *instance {
	t.Helper()
	in := newInstance(t)
	if err := in.store.AddUser(adminEmail, storage.RoleAdmin, password); err != nil {
		t.Fatal(err)
	}
	if err := in.store.AddUser(editorEmail, storage.RoleEditor, password); err != nil {
		t.Fatal(err)
	}
	return in
}

// browser is a client that keeps cookies and does not follow redirects,
// with the CSRF token of the last page it read. Its header goes with
// every request (as a reverse proxy's X-Forwarded-For would).
type browser struct {
	in     *instance
	client *http.Client
	csrf   string
	header http.Header
}

func (in *instance) browser() *browser {
	return &browser{in: in, client: &http.Client{Jar: newJar(in.t),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// answer is a response with its body read.
type answer struct {
	status int
	body   string
	header http.Header
}

func (a answer) location() string { return a.header.Get("Location") }

func (b *browser) do(req *http.Request) answer {
	b.in.t.Helper()
	for k, vs := range b.header {
		req.Header[k] = vs
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.in.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.in.t.Fatal(err)
	}
	if m := csrfInput.FindSubmatch(data); m != nil {
		b.csrf = string(m[1])
	}
	body := string(data)
	if strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
		if m := missingKey.FindString(body); m != "" {
			b.in.t.Errorf("%s %s: message without text %s", req.Method, req.URL.Path, m)
		}
		for _, trace := range []string{"goroutine ", ".go:", "panic", "runtime error", "%!"} {
			if strings.Contains(body, trace) {
				b.in.t.Errorf("%s %s shows %q", req.Method, req.URL.Path, trace)
			}
		}
	}
	return answer{status: resp.StatusCode, body: body, header: resp.Header}
}

func (b *browser) get(path string) answer {
	b.in.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.in.srv.URL+path, nil)
	if err != nil {
		b.in.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form with the browser's CSRF token (unless the form has
// its own "csrf").
func (b *browser) post(path string, form url.Values) answer {
	b.in.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	}
	req, err := http.NewRequest(http.MethodPost, b.in.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.in.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// upload posts a file in a multipart form, with the CSRF token.
func (b *browser) upload(path, name string, file []byte, fields url.Values) answer {
	b.in.t.Helper()
	var buf strings.Builder
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", b.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, err := mw.CreateFormFile("fichier", name)
		if err != nil {
			b.in.t.Fatal(err)
		}
		fw.Write(file)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.in.srv.URL+path, strings.NewReader(buf.String()))
	if err != nil {
		b.in.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// login opens the login page and logs in; it fails the test unless the
// login succeeds.
func (b *browser) login(email string) {
	b.in.t.Helper()
	b.get("/admin/connexion")
	a := b.post("/admin/connexion", url.Values{"email": {email}, "password": {password}})
	if a.status != http.StatusSeeOther {
		b.in.t.Fatalf("login %s = %d\n%s", email, a.status, a.body)
	}
	b.get("/admin") // a fresh CSRF token
}

// want checks an answer's status and that its body holds every want.
func (a answer) want(t *testing.T, what string, status int, want ...string) {
	t.Helper()
	if a.status != status {
		t.Errorf("%s = %d; want %d\n%.3000s", what, a.status, status, a.body)
		return
	}
	for _, w := range want {
		if !strings.Contains(a.body, w) {
			t.Errorf("%s: body lacks %q", what, w)
		}
	}
}

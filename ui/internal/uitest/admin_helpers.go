package uitest

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
	AdminEmail  = "admin@arsenic13.example"
	EditorEmail = "editrice@arsenic13.example"
	Password    = "correct horse battery staple"
)

// adminInstance is an instance with an admin and an editor account.
func AdminInstance(t *testing.T) *Instance {
	t.Helper()
	in := NewInstance(t)
	if err := in.Store.AddUser(AdminEmail, storage.RoleAdmin, Password); err != nil {
		t.Fatal(err)
	}
	if err := in.Store.AddUser(EditorEmail, storage.RoleEditor, Password); err != nil {
		t.Fatal(err)
	}
	return in
}

// browser is a client that keeps cookies and does not follow redirects,
// with the CSRF token of the last page it read. Its header goes with
// every request (as a reverse proxy's X-Forwarded-For would).
type Browser struct {
	In     *Instance
	Client *http.Client
	CSRF   string
	Header http.Header
}

func (in *Instance) Browser() *Browser {
	return &Browser{In: in, Client: &http.Client{Jar: NewJar(in.T),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var CSRFInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// answer is a response with its body read.
type Answer struct {
	Status int
	Body   string
	Header http.Header
}

func (a Answer) Location() string { return a.Header.Get("Location") }

func (b *Browser) Do(req *http.Request) Answer {
	b.In.T.Helper()
	for k, vs := range b.Header {
		req.Header[k] = vs
	}
	resp, err := b.Client.Do(req)
	if err != nil {
		b.In.T.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.In.T.Fatal(err)
	}
	if m := CSRFInput.FindSubmatch(data); m != nil {
		b.CSRF = string(m[1])
	}
	body := string(data)
	if strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
		if m := MissingKey.FindString(body); m != "" {
			b.In.T.Errorf("%s %s: message without text %s", req.Method, req.URL.Path, m)
		}
		for _, trace := range []string{"goroutine ", ".go:", "panic", "runtime error", "%!"} {
			if strings.Contains(body, trace) {
				b.In.T.Errorf("%s %s shows %q", req.Method, req.URL.Path, trace)
			}
		}
	}
	return Answer{Status: resp.StatusCode, Body: body, Header: resp.Header}
}

func (b *Browser) Get(path string) Answer {
	b.In.T.Helper()
	req, err := http.NewRequest(http.MethodGet, b.In.Srv.URL+path, nil)
	if err != nil {
		b.In.T.Fatal(err)
	}
	return b.Do(req)
}

// post sends a form with the browser's CSRF token (unless the form has
// its own "csrf").
func (b *Browser) Post(path string, form url.Values) Answer {
	b.In.T.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.CSRF)
	}
	req, err := http.NewRequest(http.MethodPost, b.In.Srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.In.T.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.Do(req)
}

// upload posts a file in a multipart form, with the CSRF token.
func (b *Browser) Upload(path, name string, file []byte, fields url.Values) Answer {
	b.In.T.Helper()
	var buf strings.Builder
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", b.CSRF)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, err := mw.CreateFormFile("fichier", name)
		if err != nil {
			b.In.T.Fatal(err)
		}
		fw.Write(file)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.In.Srv.URL+path, strings.NewReader(buf.String()))
	if err != nil {
		b.In.T.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.Do(req)
}

// login opens the login page and logs in; it fails the test unless the
// login succeeds.
func (b *Browser) Login(email string) {
	b.In.T.Helper()
	b.Get("/admin/connexion")
	a := b.Post("/admin/connexion", url.Values{"email": {email}, "password": {Password}})
	if a.Status != http.StatusSeeOther {
		b.In.T.Fatalf("login %s = %d\n%s", email, a.Status, a.Body)
	}
	b.Get("/admin") // a fresh CSRF token
}

// want checks an answer's status and that its body holds every want.
func (a Answer) Want(t *testing.T, what string, status int, want ...string) {
	t.Helper()
	if a.Status != status {
		t.Errorf("%s = %d; want %d\n%.3000s", what, a.Status, status, a.Body)
		return
	}
	for _, w := range want {
		if !strings.Contains(a.Body, w) {
			t.Errorf("%s: body lacks %q", what, w)
		}
	}
}

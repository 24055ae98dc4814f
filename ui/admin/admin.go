package admin

import (
	"context"
	"embed"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/page"
	"github.com/maillage/maillage/ui/internal/server"
)

// The editors' pages live under /admin, behind a login. A session is a
// random id in the maillage_session cookie (Path=/admin, HttpOnly,
// SameSite=Lax, Secure over https); the store keeps only its SHA-256.
// Every form carries the signed CSRF token of pages_csrf.go, and every
// answer is marked no-store.

const sessionCookie = "maillage_session"

// Login limits (see loginLimiter): after loginMaxFailures failed logins
// within loginWindow from one address, that address is refused until the
// oldest failure leaves the window; an account with as many failures is
// only slowed down, never locked.
const (
	loginMaxFailures = 5
	loginWindow      = 15 * time.Minute
)

// adminSession is the logged-in user of a request.
type adminSession struct {
	storage.Session
	id string
}

type adminKey struct{}

// adminView is what every admin page's frame needs.
type adminView struct {
	page.Layout
	User      string // the logged-in email, empty on the login page
	IsAdmin   bool
	Federated bool // the federation pages exist
	CSRF      string
	Flash     string // a confirmation of the last change
}

// adminHandler serves an admin page for a logged-in user.
type adminHandler func(w http.ResponseWriter, r *http.Request, a *adminSession)

//go:embed templates/*.html
var templateFiles embed.FS

// Module serves the editors' pages under /admin.
type Module struct {
	*page.Site
	limiter *loginLimiter // failed logins
	uploads *uploads      // import files waiting for confirmation
	// sampleMu makes the check that the catalogue is empty and the
	// loading of the sample data one step: two clicks load it once.
	sampleMu *sync.Mutex
}

// New returns the editors' pages on the shared part of the pages.
func New(site *page.Site) *Module {
	return &Module{Site: site.WithTemplates(templateFiles),
		limiter: newLoginLimiter(loginMaxFailures, loginWindow), uploads: newUploads(), sampleMu: &sync.Mutex{}}
}

// Route adds the /admin pages to r.
func (p *Module) Route(r *mux.Router) {
	ar := r.PathPrefix("/admin").Subrouter()
	get := func(path, role string, h adminHandler) {
		ar.HandleFunc(path, p.requireSession(role, h)).Methods(http.MethodGet, http.MethodHead)
	}
	post := func(path, role string, h adminHandler) {
		ar.HandleFunc(path, p.requireSession(role, h)).Methods(http.MethodPost)
	}
	ar.HandleFunc("/connexion", p.adminHTML(p.loginPage)).Methods(http.MethodGet, http.MethodHead)
	ar.HandleFunc("/connexion", p.adminHTML(p.login)).Methods(http.MethodPost)
	ar.HandleFunc("/deconnexion", p.adminHTML(p.logout)).Methods(http.MethodPost)
	get("", server.RoleCatalogue, p.dashboard)
	get("/", server.RoleCatalogue, p.dashboard)
	post("/exemple", server.RoleCatalogue, p.loadSample)
	p.registerAdminPlaces(get, post)
	p.registerAdminSkills(get, post)
	p.registerAdminMerge(post)
	p.registerAdminEvents(get, post)
	get("/import", server.RoleCatalogue, p.importPage)
	post("/import", server.RoleCatalogue, p.importUpload)
	post("/import/appliquer", server.RoleCatalogue, p.importApply)
	post("/import/correspondance", server.RoleCatalogue, p.importRemap)
	get("/sources", server.RoleCatalogue, p.sourcesPage)
	post("/sources", server.RoleCatalogue, p.addSource)
	post("/sources/{id}/retirer", server.RoleCatalogue, p.removeSource)
	get("/signalements", server.RoleCatalogue, p.reportsPage)
	post("/signalements/{id}/traite", server.RoleCatalogue, p.handleReport(true))
	post("/signalements/{id}/rouvrir", server.RoleCatalogue, p.handleReport(false))
	get("/jetons", server.RoleTokens, p.tokensPage)
	post("/jetons", server.RoleTokens, p.createToken)
	post("/jetons/{id}/revoquer", server.RoleTokens, p.revokeToken)
	p.registerAdminAccounts(get, post)
	if p.Fed != nil {
		p.registerAdminFederation(get, post)
		p.registerAdminMessages(get, post)
		p.registerAdminProfile(get, post)
	}
	ar.NotFoundHandler = p.adminHTML(func(w http.ResponseWriter, r *http.Request) {
		p.adminMessage(w, r, http.StatusNotFound, nil, "error.notfound.title", "error.notfound.text")
	})
}

// adminHTML sets the headers of every admin answer: those of the public
// pages, and no caching anywhere. A handler that panics is logged with
// its stack, and the editor gets the French error page.
func (p *Module) adminHTML(h http.HandlerFunc) http.HandlerFunc {
	return p.HTML(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Frame-Options", "DENY")
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				p.Log.Error("admin page panicked", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				p.adminMessage(w, r, http.StatusInternalServerError, nil, "error.internal.title", "error.internal")
			}
		}()
		h(w, r)
	})
}

// requireSession lets through a logged-in user whose role covers role
// (see roles.go). Without a session it redirects to the login page,
// which comes back here. A POST must carry a valid CSRF token; without
// one nothing happens and the answer is a 403 page.
func (p *Module) requireSession(role string, h adminHandler) http.HandlerFunc {
	return p.adminHTML(func(w http.ResponseWriter, r *http.Request) {
		a, err := p.session(r)
		if errors.Is(err, storage.ErrNotFound) {
			suite := r.URL.Path
			if r.Method == http.MethodGet && r.URL.RawQuery != "" {
				suite += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, "/admin/connexion?suite="+url.QueryEscape(suite), http.StatusSeeOther)
			return
		}
		if err != nil {
			p.adminFail(w, r, nil, err)
			return
		}
		if !storage.RoleAllows(a.Role, role) {
			p.adminMessage(w, r, http.StatusForbidden, a, "admin.forbidden.title", "admin.forbidden.role")
			return
		}
		if r.Method == http.MethodPost {
			if err := p.parseAdminForm(w, r); err != nil {
				p.adminMessage(w, r, http.StatusRequestEntityTooLarge, a, "admin.toolarge.title", "admin.toolarge.text")
				return
			}
			if !p.CSRF.Check(r, r.PostFormValue("csrf"), p.BaseURL()) {
				p.adminMessage(w, r, http.StatusForbidden, a, "admin.forbidden.title", "admin.csrf")
				return
			}
		}
		h(w, r.WithContext(context.WithValue(r.Context(), adminKey{}, a)), a)
	})
}

// parseAdminForm reads a POST's form: up to MaxImportBody for a file
// upload, s.MaxBody otherwise.
func (p *Module) parseAdminForm(w http.ResponseWriter, r *http.Request) error {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, server.MaxImportBody)
		return r.ParseMultipartForm(8 << 20)
	}
	r.Body = http.MaxBytesReader(w, r.Body, max(p.MaxBody, 1<<20))
	return r.ParseForm()
}

// session returns the live session of the request's cookie, or
// ErrNotFound.
func (p *Module) session(r *http.Request) (*adminSession, error) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, storage.ErrNotFound
	}
	se, err := p.Store.Session(ck.Value)
	if err != nil {
		return nil, err
	}
	return &adminSession{Session: *se, id: ck.Value}, nil
}

// adminView builds the frame of a page; a is nil on the login page.
func (p *Module) adminView(w http.ResponseWriter, r *http.Request, a *adminSession, titleKey string, args ...any) adminView {
	v := adminView{Layout: p.Layout(p.Msg.Get(titleKey, args...), ""), CSRF: p.CSRF.Token(w, r, p.Secure(r))}
	v.Robots, v.Federated = "noindex", p.Fed != nil
	if a != nil {
		v.User, v.IsAdmin = a.Email, a.Role == storage.RoleAdmin
	}
	if f := r.URL.Query().Get("ok"); f != "" {
		if msg, ok := p.Msg.Lookup("admin.flash." + f); ok {
			v.Flash = msg
		}
	}
	return v
}

// messageView is the data of admin_message: a title and a text.
type messageView struct {
	adminView
	Message string
}

// adminMessage answers a page that only says something.
func (p *Module) adminMessage(w http.ResponseWriter, r *http.Request, status int, a *adminSession, titleKey, textKey string) {
	if a == nil {
		a, _ = p.session(r)
	}
	v := messageView{adminView: p.adminView(w, r, a, titleKey), Message: p.Msg.Get(textKey)}
	p.Render(w, r, status, "admin_message", v)
}

// adminFail answers an error: 404 for what does not exist, else a French
// 500 page, the detail going to the log only.
func (p *Module) adminFail(w http.ResponseWriter, r *http.Request, a *adminSession, err error) {
	if errors.Is(err, storage.ErrNotFound) {
		p.adminMessage(w, r, http.StatusNotFound, a, "error.notfound.title", "error.notfound.text")
		return
	}
	p.Log.Error("admin page failed", "method", r.Method, "path", r.URL.Path, "err", err)
	p.adminMessage(w, r, http.StatusInternalServerError, a, "error.internal.title", "error.internal")
}

// loginView is the data of the login page.
type loginView struct {
	adminView
	Email, Suite string
	Problem      string
	NoAccount    bool // no account yet: say how to make the first one
}

// noAccount reports whether the instance has no account yet.
func (p *Module) noAccount() bool {
	users, err := p.Store.Users()
	return err == nil && len(users) == 0
}

func (p *Module) loginPage(w http.ResponseWriter, r *http.Request) {
	suite := localPath(r.URL.Query().Get("suite"))
	if a, err := p.session(r); err == nil && a != nil {
		http.Redirect(w, r, suite, http.StatusSeeOther)
		return
	}
	v := loginView{adminView: p.adminView(w, r, nil, "admin.login.title"), Suite: suite, NoAccount: p.noAccount()}
	p.Render(w, r, http.StatusOK, "admin_login", v)
}

// login checks the email and password. Unknown email and wrong password
// get the same answer; too many failures from an address or for an
// email get 429 before the password is even checked.
func (p *Module) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	err := r.ParseForm()
	v := loginView{adminView: p.adminView(w, r, nil, "admin.login.title"),
		Email: strings.TrimSpace(r.PostForm.Get("email")), Suite: localPath(r.PostForm.Get("suite"))}
	if err != nil {
		v.Problem = p.Msg.Get("admin.login.failed")
		p.Render(w, r, http.StatusBadRequest, "admin_login", v)
		return
	}
	if !p.CSRF.Check(r, r.PostForm.Get("csrf"), p.BaseURL()) {
		v.Problem = p.Msg.Get("admin.csrf")
		p.Render(w, r, http.StatusForbidden, "admin_login", v)
		return
	}
	now := p.Now()
	ip := p.Proxies.ClientIP(r)
	account := strings.ToLower(v.Email)
	if wait := p.limiter.wait(now, ip, account); wait > 0 {
		p.Log.Warn("admin login refused: too many failures", "client", ip)
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		v.Problem = p.Msg.Get("admin.login.limited", int(wait.Minutes())+1)
		if wait < time.Minute {
			v.Problem = p.Msg.Get("admin.login.slowed", int(wait.Seconds())+1)
		}
		p.Render(w, r, http.StatusTooManyRequests, "admin_login", v)
		return
	}
	u, err := p.Store.Authenticate(v.Email, r.PostForm.Get("password"))
	if errors.Is(err, storage.ErrBadCredentials) {
		p.limiter.fail(now, ip, account)
		v.Problem = p.Msg.Get("admin.login.failed")
		p.Render(w, r, http.StatusUnauthorized, "admin_login", v)
		return
	}
	if err != nil {
		p.adminFail(w, r, nil, err)
		return
	}
	p.limiter.reset(account)
	id, err := p.Store.CreateSession(u.Email, u.Role)
	if err != nil {
		p.adminFail(w, r, nil, err)
		return
	}
	if old, err := r.Cookie(sessionCookie); err == nil {
		p.Store.DeleteSession(old.Value) // a stale session of this browser; best effort
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/admin", HttpOnly: true,
		Secure: p.Secure(r), SameSite: http.SameSiteLaxMode, MaxAge: int(storage.SessionMaxAge.Seconds())})
	http.Redirect(w, r, v.Suite, http.StatusSeeOther)
}

// logout ends the session and forgets the cookie.
func (p *Module) logout(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil || !p.CSRF.Check(r, r.PostForm.Get("csrf"), p.BaseURL()) {
		p.adminMessage(w, r, http.StatusForbidden, nil, "admin.forbidden.title", "admin.csrf")
		return
	}
	if ck, err := r.Cookie(sessionCookie); err == nil {
		if err := p.Store.DeleteSession(ck.Value); err != nil {
			p.adminFail(w, r, nil, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/admin", HttpOnly: true,
		Secure: p.Secure(r), SameSite: http.SameSiteLaxMode, MaxAge: -1})
	http.Redirect(w, r, "/admin/connexion?ok=deconnecte", http.StatusSeeOther)
}

// localPath returns s when it is a path of the admin pages, else
// "/admin": the login's "suite" must not lead to another site.
func localPath(s string) string {
	if !strings.HasPrefix(s, "/admin") || strings.ContainsAny(s, "\\\r\n\t") {
		return "/admin"
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/admin") {
		return "/admin"
	}
	if rest := strings.TrimPrefix(u.Path, "/admin"); rest != "" && rest[0] != '/' {
		return "/admin"
	}
	return s
}

// loginLimiter slows password guessing down without letting anyone lock
// an editor out. An address that failed max times within window is
// refused until the oldest of those failures leaves the window: that is
// the guesser's own address. An account is never locked for the window,
// whatever addresses fail on it: once it has max recent failures, each
// further try waits after the last failure, 1 s, then 2 s, 4 s… up to
// maxAccountDelay. Guessing one account from many addresses is slowed to
// about a try a minute, and its owner, with the right password from
// another address, gets in after that delay at most.
type loginLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

// maxAccountDelay is the longest an account's next try waits.
const maxAccountDelay = time.Minute

func newLoginLimiter(max int, window time.Duration) *loginLimiter {
	return &loginLimiter{max: max, window: window, fails: map[string][]time.Time{}}
}

// wait returns how long until a login from address ip for account may be
// tried, or 0.
func (l *loginLimiter) wait(now time.Time, ip, account string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	if ts := l.recent(now, "ip:"+ip); len(ts) >= l.max {
		wait = ts[len(ts)-l.max].Add(l.window).Sub(now)
	}
	if ts := l.recent(now, "account:"+account); len(ts) >= l.max {
		delay := min(maxAccountDelay, time.Second<<min(len(ts)-l.max, 6))
		wait = max(wait, ts[len(ts)-1].Add(delay).Sub(now))
	}
	return wait
}

// fail notes a failed login from ip for account.
func (l *loginLimiter) fail(now time.Time, ip, account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > 10000 { // many addresses: forget the old failures
		for k := range l.fails {
			l.recent(now, k)
		}
	}
	for _, k := range []string{"ip:" + ip, "account:" + account} {
		l.fails[k] = append(l.recent(now, k), now)
	}
}

// reset forgets the failures of account, after a successful login.
func (l *loginLimiter) reset(account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, "account:"+account)
}

// recent drops the failures of k older than the window; l.mu is held.
func (l *loginLimiter) recent(now time.Time, k string) []time.Time {
	ts := l.fails[k]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.window {
		i++
	}
	if i == len(ts) {
		delete(l.fails, k)
		return nil
	}
	ts = ts[i:]
	l.fails[k] = ts
	return ts
}

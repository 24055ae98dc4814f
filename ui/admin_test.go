package ui

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/storage"
)

func TestAdminLoginAndLogout(t *testing.T) {
	in := adminInstance(t)
	b := in.browser()
	// Without a session, every page leads to the login, which comes back.
	a := b.get("/admin/signalements?q=mairie")
	if a.status != http.StatusSeeOther || a.location() != "/admin/connexion?suite="+url.QueryEscape("/admin/signalements?q=mairie") {
		t.Fatalf("GET /admin/lieux without session = %d %s", a.status, a.location())
	}
	b.get(a.location()).want(t, "login page", 200, `<html lang="fr"`, `name="suite" value="/admin/signalements?q=mairie"`, `type="password"`)

	// Unknown email and wrong password get the same answer.
	wrong := b.post("/admin/connexion", url.Values{"email": {adminEmail}, "password": {"pas le bon mot"}})
	unknown := b.post("/admin/connexion", url.Values{"email": {"personne@example.org"}, "password": {password}})
	wrong.want(t, "wrong password", http.StatusUnauthorized, "Adresse électronique ou mot de passe incorrect.")
	unknown.want(t, "unknown email", http.StatusUnauthorized, "Adresse électronique ou mot de passe incorrect.")
	if strings.ReplaceAll(wrong.body, adminEmail, "") != strings.ReplaceAll(unknown.body, "personne@example.org", "") {
		t.Error("unknown email and wrong password give different pages")
	}

	// The right password opens a session and goes where asked.
	a = b.post("/admin/connexion", url.Values{"email": {" Editrice@Arsenic13.example "}, "password": {password}, "suite": {"/admin/signalements?q=mairie"}})
	if a.status != http.StatusSeeOther || a.location() != "/admin/signalements?q=mairie" {
		t.Fatalf("login = %d %s", a.status, a.location())
	}
	ck := sessionSetCookie(t, a.header)
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/admin" || ck.Secure || len(ck.Value) < 43 {
		t.Errorf("session cookie %+v", ck)
	}
	b.get("/admin").want(t, "dashboard", 200, "Tableau de bord", editorEmail, "Se déconnecter")

	// Logging out ends the session on the server too.
	a = b.post("/admin/deconnexion", nil)
	if a.status != http.StatusSeeOther {
		t.Fatalf("logout = %d", a.status)
	}
	if _, err := in.store.Session(ck.Value); err == nil {
		t.Error("the session outlives the logout")
	}
	if a := b.get("/admin"); a.status != http.StatusSeeOther {
		t.Errorf("GET /admin after logout = %d", a.status)
	}
	// The old cookie, replayed, opens nothing.
	replay := in.browser()
	replay.client.Jar.SetCookies(mustURL(t, in.srv.URL+"/admin"), []*http.Cookie{{Name: sessionCookie, Value: ck.Value, Path: "/admin"}})
	if a := replay.get("/admin"); a.status != http.StatusSeeOther {
		t.Errorf("replayed cookie = %d", a.status)
	}
}

func sessionSetCookie(t *testing.T, h http.Header) *http.Cookie {
	t.Helper()
	for _, ck := range (&http.Response{Header: h}).Cookies() {
		if ck.Name == sessionCookie {
			return ck
		}
	}
	t.Fatal("no session cookie set")
	return nil
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestAdminSessionExpires(t *testing.T) {
	in := adminInstance(t)
	b := in.browser()
	b.login(editorEmail)
	in.now = in.now.Add(storage.SessionIdle + time.Minute)
	if a := b.get("/admin"); a.status != http.StatusSeeOther {
		t.Errorf("GET /admin after 12 idle hours = %d", a.status)
	}
}

func TestAdminLoginNeverLeavesTheSite(t *testing.T) {
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
	in := adminInstance(t)
	b := in.browser()
	b.get("/admin/connexion")
	a := b.post("/admin/connexion", url.Values{"email": {adminEmail}, "password": {password}, "suite": {"//evil.example/"}})
	if a.status != http.StatusSeeOther || a.location() != "/admin" {
		t.Errorf("login with an outside suite = %d %s", a.status, a.location())
	}
}

func TestAdminLoginIsRateLimited(t *testing.T) {
	in := adminInstance(t)
	b := in.browser()
	b.get("/admin/connexion")
	for i := range loginMaxFailures {
		a := b.post("/admin/connexion", url.Values{"email": {adminEmail}, "password": {"essai " + string(rune('a'+i))}})
		if a.status != http.StatusUnauthorized {
			t.Fatalf("failure %d = %d", i+1, a.status)
		}
	}
	// Now even the right password is refused, with a French reason.
	a := b.post("/admin/connexion", url.Values{"email": {adminEmail}, "password": {password}})
	a.want(t, "login after 5 failures", http.StatusTooManyRequests, "Trop de tentatives de connexion")
	if a.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// The address is limited too, whatever the email.
	b.post("/admin/connexion", url.Values{"email": {editorEmail}, "password": {password}}).
		want(t, "other email from the same address", http.StatusTooManyRequests)
	// Fifteen minutes later, it works again.
	in.now = in.now.Add(loginWindow)
	if a := b.post("/admin/connexion", url.Values{"email": {adminEmail}, "password": {password}}); a.status != http.StatusSeeOther {
		t.Errorf("login after the window = %d", a.status)
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

func TestAdminFormsNeedTheCSRFToken(t *testing.T) {
	in := adminInstance(t)
	b := in.browser()
	b.login(adminEmail)
	before, _ := in.store.ListTokens()
	for name, form := range map[string]url.Values{
		"no token":  {"label": {"x"}, "csrf": {""}},
		"bad token": {"label": {"x"}, "csrf": {"faux"}},
	} {
		b.post("/admin/jetons", form).want(t, name, http.StatusForbidden, "Le formulaire a expiré")
	}
	// Another site's page posting with the browser's cookies.
	req, _ := http.NewRequest(http.MethodPost, in.srv.URL+"/admin/jetons", strings.NewReader(url.Values{"label": {"x"}, "csrf": {b.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	b.do(req).want(t, "cross-site POST", http.StatusForbidden)
	if after, _ := in.store.ListTokens(); len(after) != len(before) {
		t.Errorf("a refused form created a token")
	}
	// Login and logout need it as well.
	c := in.browser()
	c.get("/admin/connexion")
	c.post("/admin/connexion", url.Values{"email": {adminEmail}, "password": {password}, "csrf": {"faux"}}).
		want(t, "login without token", http.StatusForbidden)
	b.post("/admin/deconnexion", url.Values{"csrf": {""}}).want(t, "logout without token", http.StatusForbidden)
	if a := b.get("/admin"); a.status != 200 {
		t.Errorf("a refused logout ended the session: %d", a.status)
	}
}

func TestAdminRoles(t *testing.T) {
	in := adminInstance(t)
	ed := in.browser()
	ed.login(editorEmail)
	ed.get("/admin/jetons").want(t, "editor on tokens", http.StatusForbidden, "réservée aux administrateurs")
	ed.post("/admin/jetons", url.Values{"label": {"x"}}).want(t, "editor creates a token", http.StatusForbidden)
	if body := ed.get("/admin").body; strings.Contains(body, `href="/admin/jetons"`) {
		t.Error("the editor's menu links to the tokens")
	}
	ad := in.browser()
	ad.login(adminEmail)
	ad.get("/admin/jetons").want(t, "admin on tokens", 200, "Jetons d’API")
}

func TestAdminHeaders(t *testing.T) {
	in := adminInstance(t)
	b := in.browser()
	check := func(path string, a answer) {
		t.Helper()
		for k, want := range map[string]string{"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
			"Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"} {
			if got := a.header.Get(k); got != want {
				t.Errorf("%s: %s = %q; want %q", path, k, got, want)
			}
		}
		if csp := a.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
	}
	check("/admin", b.get("/admin"))
	check("/admin/connexion", b.get("/admin/connexion"))
	b.login(adminEmail)
	for _, path := range []string{"/admin", "/admin/jetons", "/admin/signalements", "/admin/inconnue"} {
		check(path, b.get(path))
	}
}

func TestAdminSecureCookiesBehindHTTPS(t *testing.T) {
	in := adminInstance(t)
	st, err := storage.Open(t.TempDir(), storage.Options{BaseURL: "https://maillage.example", Now: func() time.Time { return in.now }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.AddUser(adminEmail, storage.RoleAdmin, password); err != nil {
		t.Fatal(err)
	}
	in.srv.Config.Handler = New(Config{Store: st, Logger: quietLog, Now: func() time.Time { return in.now }})
	// A jar does not send Secure cookies over http: carry them by hand.
	resp, err := http.Get(in.srv.URL + "/admin/connexion")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var csrf *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == csrfCookie {
			csrf = ck
		}
	}
	if csrf == nil || !csrf.Secure {
		t.Fatalf("CSRF cookie %+v", csrf)
	}
	token := csrfInput.FindStringSubmatch(string(body))[1]
	req, _ := http.NewRequest(http.MethodPost, in.srv.URL+"/admin/connexion",
		strings.NewReader(url.Values{"email": {adminEmail}, "password": {password}, "csrf": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: csrfCookie, Value: csrf.Value})
	resp, err = (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login = %d", resp.StatusCode)
	}
	if ck := sessionSetCookie(t, resp.Header); !ck.Secure || !ck.HttpOnly {
		t.Errorf("session cookie behind https: %+v", ck)
	}
}

func TestAdminTokens(t *testing.T) {
	in := adminInstance(t)
	b := in.browser()
	b.login(adminEmail)
	b.post("/admin/jetons", url.Values{"label": {""}}).want(t, "no label", http.StatusUnprocessableEntity, "donnez un nom au jeton", `aria-invalid="true"`)
	a := b.post("/admin/jetons", url.Values{"label": {evil}})
	a.want(t, "create", http.StatusCreated, "il ne sera plus jamais affiché", "&lt;script&gt;alert")
	token := regexp.MustCompile(`id="nouveau-jeton">(mlg_[A-Za-z0-9_-]+)<`).FindStringSubmatch(a.body)
	if token == nil {
		t.Fatalf("no token shown:\n%s", a.body)
	}
	if rawMarkup.MatchString(a.body) {
		t.Error("the label is not escaped")
	}
	if in.doWith(token[1], "DELETE", "/api/v1/places/inconnu", nil, nil) != http.StatusNotFound {
		t.Error("the new token does not open the API")
	}
	list := b.get("/admin/jetons")
	if strings.Contains(list.body, token[1]) {
		t.Error("the token list shows the secret")
	}
	id := regexp.MustCompile(`action="/admin/jetons/([0-9a-f]+)/revoquer"`).FindAllStringSubmatch(list.body, -1)
	if len(id) != 2 { // the tests' token and the new one
		t.Fatalf("%d revoke buttons", len(id))
	}
	infos, _ := in.store.ListTokens()
	var newID string
	for _, ti := range infos {
		if ti.Label == evil {
			newID = ti.ID
		}
	}
	a = b.post("/admin/jetons/"+newID+"/revoquer", nil)
	if a.status != http.StatusSeeOther {
		t.Fatalf("revoke = %d", a.status)
	}
	b.get(a.location()).want(t, "after revoke", 200, "Le jeton a été révoqué.")
	if in.doWith(token[1], "DELETE", "/api/v1/places/inconnu", nil, nil) != http.StatusUnauthorized {
		t.Error("the revoked token still opens the API")
	}
	b.post("/admin/jetons/"+newID+"/revoquer", nil).want(t, "revoke twice", http.StatusNotFound, "Page introuvable")
}

func TestAdminInternalErrorIsAFrenchPage(t *testing.T) {
	in := adminInstance(t)
	b := in.browser()
	b.login(editorEmail)
	// A store that fails: a second, closed one behind the same server.
	st, err := storage.Open(t.TempDir(), storage.Options{BaseURL: in.srv.URL, Now: func() time.Time { return in.now }})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	in.srv.Config.Handler = New(Config{Store: st, Logger: quietLog, Now: func() time.Time { return in.now }})
	a := b.get("/admin")
	if a.status != http.StatusInternalServerError || !strings.Contains(a.body, "Une erreur est survenue de notre côté") {
		t.Errorf("GET /admin with a broken store = %d\n%s", a.status, a.body)
	}
}

func TestAdminPanicIsAFrenchPage(t *testing.T) {
	in := adminInstance(t)
	var logged strings.Builder
	s := &server{store: in.store, log: slog.New(slog.NewTextHandler(&logged, nil)), now: func() time.Time { return in.now }, maxBody: DefaultMaxBody}
	p := newPages(s, Config{})
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

func TestAdminReports(t *testing.T) {
	in := adminInstance(t)
	p := in.createPlace(nil)
	b := in.browser()
	b.login(editorEmail)
	b.get("/admin/signalements").want(t, "no reports", 200, "Aucun signalement à traiter.")
	for _, r := range []storage.Report{
		{Place: p.ID, PlaceAP: p.APID, Message: "Fermé le lundi depuis mars.", Contact: "marie@example.org", Created: monday},
		{PlaceAP: "https://autre.example/lieux/9", Message: evil, Contact: evil, From: evil, Created: monday.Add(time.Hour)},
	} {
		if err := in.store.AddReport(&r); err != nil {
			t.Fatal(err)
		}
	}
	a := b.get("/admin/signalements")
	a.want(t, "reports", 200, "Fermé le lundi depuis mars.", `href="mailto:marie@example.org"`, `href="/admin/lieux/`+p.ID+`"`)
	checkEscaped(t, "/admin/signalements", a, 200)
	d := b.get("/admin")
	d.want(t, "dashboard", 200, "<strong>2</strong> <a href=\"/admin/signalements\">signalements à traiter", "Fermé le lundi depuis mars.",
		"<strong>1</strong> <a href=\"/admin/lieux\">lieux publiés")
	checkEscaped(t, "/admin", d, 200)

	// An editor marks the first report handled, then waiting again.
	reports, err := in.store.Reports()
	if err != nil {
		t.Fatal(err)
	}
	first := reports[len(reports)-1] // newest first
	b.post("/admin/signalements/"+first.ID+"/traite", url.Values{"csrf": {"faux"}}).want(t, "handle without token", http.StatusForbidden)
	if got, _ := in.store.Reports(); !got[len(got)-1].Handled.IsZero() {
		t.Fatal("a forged form marked the report handled")
	}
	a = b.post("/admin/signalements/"+first.ID+"/traite", nil)
	a.want(t, "handle", http.StatusSeeOther)
	if a.location() != "/admin/signalements?ok=signalement-traite" {
		t.Errorf("handle leads to %q", a.location())
	}
	got, _ := in.store.Reports()
	if h := got[len(got)-1]; !h.Handled.Equal(monday) || h.HandledBy != editorEmail {
		t.Errorf("handled report: %v by %q; want now by %s", h.Handled, h.HandledBy, editorEmail)
	}
	b.get("/admin/signalements?ok=signalement-traite").want(t, "reports after handling", 200,
		"Le signalement est marqué comme traité.", "<h2>Traités</h2>", "par "+editorEmail, "/signalements/"+first.ID+"/rouvrir")
	b.get("/admin").want(t, "dashboard after handling", 200, "<strong>1</strong> <a href=\"/admin/signalements\">signalements à traiter")
	b.post("/admin/signalements/"+first.ID+"/rouvrir", nil).want(t, "reopen", http.StatusSeeOther)
	b.get("/admin").want(t, "dashboard after reopening", 200, "<strong>2</strong> <a href=\"/admin/signalements\">signalements à traiter")
	b.post("/admin/signalements/inconnu/traite", nil).want(t, "handle unknown", http.StatusNotFound)
}

func TestAdminLoginPageEscapesAndRedirects(t *testing.T) {
	in := adminInstance(t)
	b := in.browser()
	b.get("/admin/connexion?suite="+url.QueryEscape("/admin/"+evil)).want(t, "login with a hostile suite", 200)
	a := b.post("/admin/connexion", url.Values{"email": {evil}, "password": {"secret-mot-de-passe"}, "suite": {"/admin/lieux?q=" + evil}})
	checkEscaped(t, "failed login", a, http.StatusUnauthorized)
	if strings.Contains(a.body, "secret-mot-de-passe") {
		t.Error("the password is echoed")
	}
	// Logged in, the login page goes where asked.
	b.login(editorEmail)
	if a := b.get("/admin/connexion?suite=%2Fadmin%2Fevenements"); a.status != http.StatusSeeOther || a.location() != "/admin/evenements" {
		t.Errorf("login page with a session = %d %s", a.status, a.location())
	}
}

// TestAdminTokenRoles: the form offers editor (checked) or admin, and the
// list shows each token's role.
func TestAdminTokenRoles(t *testing.T) {
	in := newFederatedInstance(t)
	if err := in.store.AddUser(adminEmail, storage.RoleAdmin, password); err != nil {
		t.Fatal(err)
	}
	b := in.browser()
	b.login(adminEmail)
	b.get("/admin/jetons").want(t, "form", 200, `id="jeton-role-editor" name="role" value="editor" checked`, "Administrateur : aussi")
	b.post("/admin/jetons", url.Values{"label": {"x"}, "role": {"root"}}).
		want(t, "bad role", http.StatusUnprocessableEntity, "choisissez éditeur ou administrateur", `value="x"`)
	secret := regexp.MustCompile(`id="nouveau-jeton">(mlg_[A-Za-z0-9_-]+)<`)
	roles := map[string]string{}
	for label, form := range map[string]url.Values{
		"sans rôle":   {"label": {"sans rôle"}},
		"éditeur":     {"label": {"éditeur"}, "role": {"editor"}},
		"administrer": {"label": {"administrer"}, "role": {"admin"}},
	} {
		a := b.post("/admin/jetons", form)
		a.want(t, "create "+label, http.StatusCreated)
		m := secret.FindStringSubmatch(a.body)
		if m == nil {
			t.Fatalf("no token shown for %s", label)
		}
		roles[label] = m[1]
	}
	infos, _ := in.store.ListTokens()
	got := map[string]string{}
	for _, ti := range infos {
		got[ti.Label] = ti.Role
	}
	if got["sans rôle"] != storage.RoleEditor || got["éditeur"] != storage.RoleEditor || got["administrer"] != storage.RoleAdmin {
		t.Errorf("stored roles %v; want editor by default", got)
	}
	b.get("/admin/jetons").want(t, "list", 200, "<th scope=\"row\">éditeur</th><td>Éditeur</td>", "<th scope=\"row\">administrer</th><td>Administrateur</td>")
	block := map[string]string{"domain": "spam.example"}
	if st := in.doWith(roles["sans rôle"], "POST", "/api/v1/blocks", block, nil); st != http.StatusForbidden {
		t.Errorf("a default token blocks: %d; want 403", st)
	}
	if st := in.doWith(roles["administrer"], "POST", "/api/v1/blocks", block, nil); st != http.StatusCreated {
		t.Errorf("an admin token blocks: %d; want 201", st)
	}
}

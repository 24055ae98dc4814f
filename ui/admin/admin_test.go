package admin_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui"
	"github.com/maillage/maillage/ui/internal/uitest"
)

func TestAdminLoginAndLogout(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	// Without a session, every page leads to the login, which comes back.
	a := b.Get("/admin/signalements?q=mairie")
	if a.Status != http.StatusSeeOther || a.Location() != "/admin/connexion?suite="+url.QueryEscape("/admin/signalements?q=mairie") {
		t.Fatalf("GET /admin/lieux without session = %d %s", a.Status, a.Location())
	}
	b.Get(a.Location()).Want(t, "login page", 200, `<html lang="fr"`, `name="suite" value="/admin/signalements?q=mairie"`, `type="password"`)

	// Unknown email and wrong password get the same answer.
	wrong := b.Post("/admin/connexion", url.Values{"email": {uitest.AdminEmail}, "password": {"pas le bon mot"}})
	unknown := b.Post("/admin/connexion", url.Values{"email": {"personne@example.org"}, "password": {uitest.Password}})
	wrong.Want(t, "wrong password", http.StatusUnauthorized, "Adresse électronique ou mot de passe incorrect.")
	unknown.Want(t, "unknown email", http.StatusUnauthorized, "Adresse électronique ou mot de passe incorrect.")
	if strings.ReplaceAll(wrong.Body, uitest.AdminEmail, "") != strings.ReplaceAll(unknown.Body, "personne@example.org", "") {
		t.Error("unknown email and wrong password give different pages")
	}

	// The right password opens a session and goes where asked.
	a = b.Post("/admin/connexion", url.Values{"email": {" Editrice@Arsenic13.example "}, "password": {uitest.Password}, "suite": {"/admin/signalements?q=mairie"}})
	if a.Status != http.StatusSeeOther || a.Location() != "/admin/signalements?q=mairie" {
		t.Fatalf("login = %d %s", a.Status, a.Location())
	}
	ck := uitest.SessionSetCookie(t, a.Header)
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/admin" || ck.Secure || len(ck.Value) < 43 {
		t.Errorf("session cookie %+v", ck)
	}
	b.Get("/admin").Want(t, "dashboard", 200, "Tableau de bord", uitest.EditorEmail, "Se déconnecter")

	// Logging out ends the session on the server too.
	a = b.Post("/admin/deconnexion", nil)
	if a.Status != http.StatusSeeOther {
		t.Fatalf("logout = %d", a.Status)
	}
	if _, err := in.Store.Session(ck.Value); err == nil {
		t.Error("the session outlives the logout")
	}
	if a := b.Get("/admin"); a.Status != http.StatusSeeOther {
		t.Errorf("GET /admin after logout = %d", a.Status)
	}
	// The old cookie, replayed, opens nothing.
	replay := in.Browser()
	replay.Client.Jar.SetCookies(uitest.MustURL(t, in.Srv.URL+"/admin"), []*http.Cookie{{Name: "maillage_session", Value: ck.Value, Path: "/admin"}})
	if a := replay.Get("/admin"); a.Status != http.StatusSeeOther {
		t.Errorf("replayed cookie = %d", a.Status)
	}
}

func TestAdminSessionExpires(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	in.Now = in.Now.Add(storage.SessionIdle + time.Minute)
	if a := b.Get("/admin"); a.Status != http.StatusSeeOther {
		t.Errorf("GET /admin after 12 idle hours = %d", a.Status)
	}
}

func TestAdminLoginNeverLeavesTheSite(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Get("/admin/connexion")
	a := b.Post("/admin/connexion", url.Values{"email": {uitest.AdminEmail}, "password": {uitest.Password}, "suite": {"//evil.example/"}})
	if a.Status != http.StatusSeeOther || a.Location() != "/admin" {
		t.Errorf("login with an outside suite = %d %s", a.Status, a.Location())
	}
}

func TestAdminLoginIsRateLimited(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Get("/admin/connexion")
	for i := range 5 { // the limit: 5 failures in 15 minutes
		a := b.Post("/admin/connexion", url.Values{"email": {uitest.AdminEmail}, "password": {"essai " + string(rune('a'+i))}})
		if a.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d = %d", i+1, a.Status)
		}
	}
	// Now even the right password is refused, with a French reason.
	a := b.Post("/admin/connexion", url.Values{"email": {uitest.AdminEmail}, "password": {uitest.Password}})
	a.Want(t, "login after 5 failures", http.StatusTooManyRequests, "Trop de tentatives de connexion")
	if a.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// The address is limited too, whatever the email.
	b.Post("/admin/connexion", url.Values{"email": {uitest.EditorEmail}, "password": {uitest.Password}}).
		Want(t, "other email from the same address", http.StatusTooManyRequests)
	// Fifteen minutes later, it works again.
	in.Now = in.Now.Add(15 * time.Minute)
	if a := b.Post("/admin/connexion", url.Values{"email": {uitest.AdminEmail}, "password": {uitest.Password}}); a.Status != http.StatusSeeOther {
		t.Errorf("login after the window = %d", a.Status)
	}
}

func TestAdminFormsNeedTheCSRFToken(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Login(uitest.AdminEmail)
	before, _ := in.Store.ListTokens()
	for name, form := range map[string]url.Values{
		"no token":  {"label": {"x"}, "csrf": {""}},
		"bad token": {"label": {"x"}, "csrf": {"faux"}},
	} {
		b.Post("/admin/jetons", form).Want(t, name, http.StatusForbidden, "Le formulaire a expiré")
	}
	// Another site's page posting with the browser's cookies.
	req, _ := http.NewRequest(http.MethodPost, in.Srv.URL+"/admin/jetons", strings.NewReader(url.Values{"label": {"x"}, "csrf": {b.CSRF}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	b.Do(req).Want(t, "cross-site POST", http.StatusForbidden)
	if after, _ := in.Store.ListTokens(); len(after) != len(before) {
		t.Errorf("a refused form created a token")
	}
	// Login and logout need it as well.
	c := in.Browser()
	c.Get("/admin/connexion")
	c.Post("/admin/connexion", url.Values{"email": {uitest.AdminEmail}, "password": {uitest.Password}, "csrf": {"faux"}}).
		Want(t, "login without token", http.StatusForbidden)
	b.Post("/admin/deconnexion", url.Values{"csrf": {""}}).Want(t, "logout without token", http.StatusForbidden)
	if a := b.Get("/admin"); a.Status != 200 {
		t.Errorf("a refused logout ended the session: %d", a.Status)
	}
}

func TestAdminRoles(t *testing.T) {
	in := uitest.AdminInstance(t)
	ed := in.Browser()
	ed.Login(uitest.EditorEmail)
	ed.Get("/admin/jetons").Want(t, "editor on tokens", http.StatusForbidden, "réservée aux administrateurs")
	ed.Post("/admin/jetons", url.Values{"label": {"x"}}).Want(t, "editor creates a token", http.StatusForbidden)
	if body := ed.Get("/admin").Body; strings.Contains(body, `href="/admin/jetons"`) {
		t.Error("the editor's menu links to the tokens")
	}
	ad := in.Browser()
	ad.Login(uitest.AdminEmail)
	ad.Get("/admin/jetons").Want(t, "admin on tokens", 200, "Jetons d’API")
}

func TestAdminHeaders(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	check := func(path string, a uitest.Answer) {
		t.Helper()
		for k, want := range map[string]string{"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
			"Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"} {
			if got := a.Header.Get(k); got != want {
				t.Errorf("%s: %s = %q; want %q", path, k, got, want)
			}
		}
		if csp := a.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
	}
	check("/admin", b.Get("/admin"))
	check("/admin/connexion", b.Get("/admin/connexion"))
	b.Login(uitest.AdminEmail)
	for _, path := range []string{"/admin", "/admin/jetons", "/admin/signalements", "/admin/inconnue"} {
		check(path, b.Get(path))
	}
}

func TestAdminSecureCookiesBehindHTTPS(t *testing.T) {
	in := uitest.AdminInstance(t)
	st, err := storage.Open(t.TempDir(), storage.Options{BaseURL: "https://maillage.example", Now: func() time.Time { return in.Now }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.AddUser(uitest.AdminEmail, storage.RoleAdmin, uitest.Password); err != nil {
		t.Fatal(err)
	}
	in.Srv.Config.Handler = ui.New(ui.Config{Store: st, Logger: uitest.QuietLog, Now: func() time.Time { return in.Now }})
	// A jar does not send Secure cookies over http: carry them by hand.
	resp, err := http.Get(in.Srv.URL + "/admin/connexion")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var csrf *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "maillage_csrf" {
			csrf = ck
		}
	}
	if csrf == nil || !csrf.Secure {
		t.Fatalf("CSRF cookie %+v", csrf)
	}
	token := uitest.CSRFInput.FindStringSubmatch(string(body))[1]
	req, _ := http.NewRequest(http.MethodPost, in.Srv.URL+"/admin/connexion",
		strings.NewReader(url.Values{"email": {uitest.AdminEmail}, "password": {uitest.Password}, "csrf": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "maillage_csrf", Value: csrf.Value})
	resp, err = (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login = %d", resp.StatusCode)
	}
	if ck := uitest.SessionSetCookie(t, resp.Header); !ck.Secure || !ck.HttpOnly {
		t.Errorf("session cookie behind https: %+v", ck)
	}
}

func TestAdminTokens(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Login(uitest.AdminEmail)
	b.Post("/admin/jetons", url.Values{"label": {""}}).Want(t, "no label", http.StatusUnprocessableEntity, "donnez un nom au jeton", `aria-invalid="true"`)
	a := b.Post("/admin/jetons", url.Values{"label": {uitest.Evil}})
	a.Want(t, "create", http.StatusCreated, "il ne sera plus jamais affiché", "&lt;script&gt;alert")
	token := regexp.MustCompile(`id="nouveau-jeton">(mlg_[A-Za-z0-9_-]+)<`).FindStringSubmatch(a.Body)
	if token == nil {
		t.Fatalf("no token shown:\n%s", a.Body)
	}
	if uitest.RawMarkup.MatchString(a.Body) {
		t.Error("the label is not escaped")
	}
	if in.DoWith(token[1], "DELETE", "/api/v1/places/inconnu", nil, nil) != http.StatusNotFound {
		t.Error("the new token does not open the API")
	}
	list := b.Get("/admin/jetons")
	if strings.Contains(list.Body, token[1]) {
		t.Error("the token list shows the secret")
	}
	id := regexp.MustCompile(`action="/admin/jetons/([0-9a-f]+)/revoquer"`).FindAllStringSubmatch(list.Body, -1)
	if len(id) != 2 { // the tests' token and the new one
		t.Fatalf("%d revoke buttons", len(id))
	}
	infos, _ := in.Store.ListTokens()
	var newID string
	for _, ti := range infos {
		if ti.Label == uitest.Evil {
			newID = ti.ID
		}
	}
	a = b.Post("/admin/jetons/"+newID+"/revoquer", nil)
	if a.Status != http.StatusSeeOther {
		t.Fatalf("revoke = %d", a.Status)
	}
	b.Get(a.Location()).Want(t, "after revoke", 200, "Le jeton a été révoqué.")
	if in.DoWith(token[1], "DELETE", "/api/v1/places/inconnu", nil, nil) != http.StatusUnauthorized {
		t.Error("the revoked token still opens the API")
	}
	b.Post("/admin/jetons/"+newID+"/revoquer", nil).Want(t, "revoke twice", http.StatusNotFound, "Page introuvable")
}

func TestAdminInternalErrorIsAFrenchPage(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	// A store that fails: a second, closed one behind the same server.
	st, err := storage.Open(t.TempDir(), storage.Options{BaseURL: in.Srv.URL, Now: func() time.Time { return in.Now }})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	in.Srv.Config.Handler = ui.New(ui.Config{Store: st, Logger: uitest.QuietLog, Now: func() time.Time { return in.Now }})
	a := b.Get("/admin")
	if a.Status != http.StatusInternalServerError || !strings.Contains(a.Body, "Une erreur est survenue de notre côté") {
		t.Errorf("GET /admin with a broken store = %d\n%s", a.Status, a.Body)
	}
}

func TestAdminReports(t *testing.T) {
	in := uitest.AdminInstance(t)
	p := in.CreatePlace(nil)
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	b.Get("/admin/signalements").Want(t, "no reports", 200, "Aucun signalement à traiter.")
	for _, r := range []storage.Report{
		{Place: p.ID, PlaceAP: p.APID, Message: "Fermé le lundi depuis mars.", Contact: "marie@example.org", Created: uitest.Monday},
		{PlaceAP: "https://autre.example/lieux/9", Message: uitest.Evil, Contact: uitest.Evil, From: uitest.Evil, Created: uitest.Monday.Add(time.Hour)},
	} {
		if err := in.Store.AddReport(&r); err != nil {
			t.Fatal(err)
		}
	}
	a := b.Get("/admin/signalements")
	a.Want(t, "reports", 200, "Fermé le lundi depuis mars.", `href="mailto:marie@example.org"`, `href="/admin/lieux/`+p.ID+`"`)
	uitest.CheckEscaped(t, "/admin/signalements", a, 200)
	d := b.Get("/admin")
	d.Want(t, "dashboard", 200, "<strong>2</strong> <a href=\"/admin/signalements\">signalements à traiter", "Fermé le lundi depuis mars.",
		"<strong>1</strong> <a href=\"/admin/lieux\">lieux publiés")
	uitest.CheckEscaped(t, "/admin", d, 200)

	// An editor marks the first report handled, then waiting again.
	reports, err := in.Store.Reports()
	if err != nil {
		t.Fatal(err)
	}
	first := reports[len(reports)-1] // newest first
	b.Post("/admin/signalements/"+first.ID+"/traite", url.Values{"csrf": {"faux"}}).Want(t, "handle without token", http.StatusForbidden)
	if got, _ := in.Store.Reports(); !got[len(got)-1].Handled.IsZero() {
		t.Fatal("a forged form marked the report handled")
	}
	a = b.Post("/admin/signalements/"+first.ID+"/traite", nil)
	a.Want(t, "handle", http.StatusSeeOther)
	if a.Location() != "/admin/signalements?ok=signalement-traite" {
		t.Errorf("handle leads to %q", a.Location())
	}
	got, _ := in.Store.Reports()
	if h := got[len(got)-1]; !h.Handled.Equal(uitest.Monday) || h.HandledBy != uitest.EditorEmail {
		t.Errorf("handled report: %v by %q; want now by %s", h.Handled, h.HandledBy, uitest.EditorEmail)
	}
	b.Get("/admin/signalements?ok=signalement-traite").Want(t, "reports after handling", 200,
		"Le signalement est marqué comme traité.", "<h2>Traités</h2>", "par "+uitest.EditorEmail, "/signalements/"+first.ID+"/rouvrir")
	b.Get("/admin").Want(t, "dashboard after handling", 200, "<strong>1</strong> <a href=\"/admin/signalements\">signalements à traiter")
	b.Post("/admin/signalements/"+first.ID+"/rouvrir", nil).Want(t, "reopen", http.StatusSeeOther)
	b.Get("/admin").Want(t, "dashboard after reopening", 200, "<strong>2</strong> <a href=\"/admin/signalements\">signalements à traiter")
	b.Post("/admin/signalements/inconnu/traite", nil).Want(t, "handle unknown", http.StatusNotFound)
}

func TestAdminLoginPageEscapesAndRedirects(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Get("/admin/connexion?suite="+url.QueryEscape("/admin/"+uitest.Evil)).Want(t, "login with a hostile suite", 200)
	a := b.Post("/admin/connexion", url.Values{"email": {uitest.Evil}, "password": {"secret-mot-de-passe"}, "suite": {"/admin/lieux?q=" + uitest.Evil}})
	uitest.CheckEscaped(t, "failed login", a, http.StatusUnauthorized)
	if strings.Contains(a.Body, "secret-mot-de-passe") {
		t.Error("the password is echoed")
	}
	// Logged in, the login page goes where asked.
	b.Login(uitest.EditorEmail)
	if a := b.Get("/admin/connexion?suite=%2Fadmin%2Fevenements"); a.Status != http.StatusSeeOther || a.Location() != "/admin/evenements" {
		t.Errorf("login page with a session = %d %s", a.Status, a.Location())
	}
}

// TestAdminTokenRoles: the form offers editor (checked) or admin, and the
// list shows each token's role.
func TestAdminTokenRoles(t *testing.T) {
	in := uitest.NewFederatedInstance(t)
	if err := in.Store.AddUser(uitest.AdminEmail, storage.RoleAdmin, uitest.Password); err != nil {
		t.Fatal(err)
	}
	b := in.Browser()
	b.Login(uitest.AdminEmail)
	b.Get("/admin/jetons").Want(t, "form", 200, `id="jeton-role-editor" name="role" value="editor" checked`, "Administrateur : aussi")
	b.Post("/admin/jetons", url.Values{"label": {"x"}, "role": {"root"}}).
		Want(t, "bad role", http.StatusUnprocessableEntity, "choisissez éditeur ou administrateur", `value="x"`)
	secret := regexp.MustCompile(`id="nouveau-jeton">(mlg_[A-Za-z0-9_-]+)<`)
	roles := map[string]string{}
	for label, form := range map[string]url.Values{
		"sans rôle":   {"label": {"sans rôle"}},
		"éditeur":     {"label": {"éditeur"}, "role": {"editor"}},
		"administrer": {"label": {"administrer"}, "role": {"admin"}},
	} {
		a := b.Post("/admin/jetons", form)
		a.Want(t, "create "+label, http.StatusCreated)
		m := secret.FindStringSubmatch(a.Body)
		if m == nil {
			t.Fatalf("no token shown for %s", label)
		}
		roles[label] = m[1]
	}
	infos, _ := in.Store.ListTokens()
	got := map[string]string{}
	for _, ti := range infos {
		got[ti.Label] = ti.Role
	}
	if got["sans rôle"] != storage.RoleEditor || got["éditeur"] != storage.RoleEditor || got["administrer"] != storage.RoleAdmin {
		t.Errorf("stored roles %v; want editor by default", got)
	}
	b.Get("/admin/jetons").Want(t, "list", 200, "<th scope=\"row\">éditeur</th><td>Éditeur</td>", "<th scope=\"row\">administrer</th><td>Administrateur</td>")
	block := map[string]string{"domain": "spam.example"}
	if st := in.DoWith(roles["sans rôle"], "POST", "/api/v1/blocks", block, nil); st != http.StatusForbidden {
		t.Errorf("a default token blocks: %d; want 403", st)
	}
	if st := in.DoWith(roles["administrer"], "POST", "/api/v1/blocks", block, nil); st != http.StatusCreated {
		t.Errorf("an admin token blocks: %d; want 201", st)
	}
}

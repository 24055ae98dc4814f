package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAdminAccounts(t *testing.T) {
	in := adminInstance(t)
	ed := in.browser()
	ed.login(editorEmail)
	ed.get("/admin/comptes").want(t, "editor on accounts", http.StatusForbidden, "réservée aux administrateurs")
	ed.post("/admin/comptes", url.Values{"email": {"x@y.fr"}, "role": {"admin"}, "password": {password}, "confirmation": {password}}).
		want(t, "editor adds an account", http.StatusForbidden)

	ad := in.browser()
	ad.login(adminEmail)
	ad.get("/admin/comptes").want(t, "accounts", 200, adminEmail, "Votre compte", editorEmail, `action="/admin/comptes/`+editorEmail+`/supprimer"`)

	// Problems come back on their fields; nothing is stored, the password
	// is never shown back.
	for _, c := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"bad email", url.Values{"email": {"marie"}, "role": {"editor"}, "password": {"assez-long-secret"}, "confirmation": {"assez-long-secret"}},
			[]string{`href="#compte-email"`, "adresse électronique complète", `value="marie"`}},
		{"short password", url.Values{"email": {"marie@arsenic13.example"}, "role": {"editor"}, "password": {"court"}, "confirmation": {"court"}},
			[]string{`href="#compte-password"`, "10 caractères au moins"}},
		{"confirmation", url.Values{"email": {"marie@arsenic13.example"}, "role": {"editor"}, "password": {"assez-long-secret"}, "confirmation": {"assez-long-secrer"}},
			[]string{`href="#compte-confirmation"`, "pas identiques"}},
		{"role", url.Values{"email": {"marie@arsenic13.example"}, "role": {"root"}, "password": {"assez-long-secret"}, "confirmation": {"assez-long-secret"}},
			[]string{`href="#compte-role"`, "choisissez éditeur ou administrateur"}},
		{"taken", url.Values{"email": {strings.ToUpper(editorEmail)}, "role": {"editor"}, "password": {"assez-long-secret"}, "confirmation": {"assez-long-secret"}},
			[]string{"un compte existe déjà"}},
		{"hostile", url.Values{"email": {evil}, "role": {evil}, "password": {evil}, "confirmation": {evil}}, nil},
	} {
		a := ad.post("/admin/comptes", c.form)
		a.want(t, c.name, http.StatusUnprocessableEntity, c.want...)
		if pw := c.form.Get("password"); len(pw) > 3 && strings.Contains(a.body, pw) {
			t.Errorf("%s: the password is shown back", c.name)
		}
		if c.name == "hostile" {
			checkEscaped(t, c.name, a, http.StatusUnprocessableEntity)
		}
	}
	if users, _ := in.store.Users(); len(users) != 2 {
		t.Fatalf("%d accounts after refused forms; want 2", len(users))
	}

	// A new editor is created and can log in.
	a := ad.post("/admin/comptes", url.Values{"email": {" Marie@Arsenic13.example "}, "role": {"editor"}, "password": {"assez-long-secret"}, "confirmation": {"assez-long-secret"}})
	a.want(t, "add", http.StatusSeeOther)
	if _, err := in.store.Authenticate("marie@arsenic13.example", "assez-long-secret"); err != nil {
		t.Fatalf("the new account cannot log in: %v", err)
	}
	ad.get("/admin/comptes?ok=compte-cree").want(t, "after add", 200, "Le compte a été créé.", "marie@arsenic13.example")

	// No one deletes their own account; deleting another ends its sessions.
	ad.post("/admin/comptes/"+adminEmail+"/supprimer", nil).want(t, "delete self", http.StatusConflict, "votre propre compte")
	ad.post("/admin/comptes/"+editorEmail+"/supprimer", url.Values{"csrf": {"faux"}}).want(t, "delete without token", http.StatusForbidden)
	ad.post("/admin/comptes/"+editorEmail+"/supprimer", nil).want(t, "delete editor", http.StatusSeeOther)
	if a := ed.get("/admin"); a.status != http.StatusSeeOther || !strings.HasPrefix(a.location(), "/admin/connexion") {
		t.Errorf("the deleted editor's session still opens /admin: %d %s", a.status, a.location())
	}
	if users, _ := in.store.Users(); len(users) != 2 {
		t.Errorf("%d accounts; want 2 (admin and marie)", len(users))
	}
	ad.post("/admin/comptes/personne@nulle.part/supprimer", nil).want(t, "delete unknown", http.StatusNotFound)
}

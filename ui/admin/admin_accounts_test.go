package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/maillage/maillage/ui/internal/uitest"
)

func TestAdminAccounts(t *testing.T) {
	in := uitest.AdminInstance(t)
	ed := in.Browser()
	ed.Login(uitest.EditorEmail)
	ed.Get("/admin/comptes").Want(t, "editor on accounts", http.StatusForbidden, "réservée aux administrateurs")
	ed.Post("/admin/comptes", url.Values{"email": {"x@y.fr"}, "role": {"admin"}, "password": {uitest.Password}, "confirmation": {uitest.Password}}).
		Want(t, "editor adds an account", http.StatusForbidden)

	ad := in.Browser()
	ad.Login(uitest.AdminEmail)
	ad.Get("/admin/comptes").Want(t, "accounts", 200, uitest.AdminEmail, "Votre compte", uitest.EditorEmail, `action="/admin/comptes/`+uitest.EditorEmail+`/supprimer"`)

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
		{"taken", url.Values{"email": {strings.ToUpper(uitest.EditorEmail)}, "role": {"editor"}, "password": {"assez-long-secret"}, "confirmation": {"assez-long-secret"}},
			[]string{"un compte existe déjà"}},
		{"hostile", url.Values{"email": {uitest.Evil}, "role": {uitest.Evil}, "password": {uitest.Evil}, "confirmation": {uitest.Evil}}, nil},
	} {
		a := ad.Post("/admin/comptes", c.form)
		a.Want(t, c.name, http.StatusUnprocessableEntity, c.want...)
		if pw := c.form.Get("password"); len(pw) > 3 && strings.Contains(a.Body, pw) {
			t.Errorf("%s: the password is shown back", c.name)
		}
		if c.name == "hostile" {
			uitest.CheckEscaped(t, c.name, a, http.StatusUnprocessableEntity)
		}
	}
	if users, _ := in.Store.Users(); len(users) != 2 {
		t.Fatalf("%d accounts after refused forms; want 2", len(users))
	}

	// A new editor is created and can log in.
	a := ad.Post("/admin/comptes", url.Values{"email": {" Marie@Arsenic13.example "}, "role": {"editor"}, "password": {"assez-long-secret"}, "confirmation": {"assez-long-secret"}})
	a.Want(t, "add", http.StatusSeeOther)
	if _, err := in.Store.Authenticate("marie@arsenic13.example", "assez-long-secret"); err != nil {
		t.Fatalf("the new account cannot log in: %v", err)
	}
	ad.Get("/admin/comptes?ok=compte-cree").Want(t, "after add", 200, "Le compte a été créé.", "marie@arsenic13.example")

	// No one deletes their own account; deleting another ends its sessions.
	ad.Post("/admin/comptes/"+uitest.AdminEmail+"/supprimer", nil).Want(t, "delete self", http.StatusConflict, "votre propre compte")
	ad.Post("/admin/comptes/"+uitest.EditorEmail+"/supprimer", url.Values{"csrf": {"faux"}}).Want(t, "delete without token", http.StatusForbidden)
	ad.Post("/admin/comptes/"+uitest.EditorEmail+"/supprimer", nil).Want(t, "delete editor", http.StatusSeeOther)
	if a := ed.Get("/admin"); a.Status != http.StatusSeeOther || !strings.HasPrefix(a.Location(), "/admin/connexion") {
		t.Errorf("the deleted editor's session still opens /admin: %d %s", a.Status, a.Location())
	}
	if users, _ := in.Store.Users(); len(users) != 2 {
		t.Errorf("%d accounts; want 2 (admin and marie)", len(users))
	}
	ad.Post("/admin/comptes/personne@nulle.part/supprimer", nil).Want(t, "delete unknown", http.StatusNotFound)
}

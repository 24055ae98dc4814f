package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// TestAdminFirstStart: on a fresh instance the login page says how to make
// the first account, and the home page of an empty catalogue offers to
// import a file or load the sample places; both hints go once they are
// no longer true.
func TestAdminFirstStart(t *testing.T) {
	in := uitest.NewInstance(t)
	b := in.Browser()
	b.Get("/admin/connexion").Want(t, "login page without accounts", http.StatusOK,
		"Aucun compte n’existe encore", "maillage user add --data DIR --email vous@exemple.fr --role admin")

	if err := in.Store.AddUser(uitest.AdminEmail, storage.RoleAdmin, uitest.Password); err != nil {
		t.Fatal(err)
	}
	if a := b.Get("/admin/connexion"); strings.Contains(a.Body, "maillage user add") {
		t.Error("the login page still tells how to make the first account once there is one")
	}
	b.Login(uitest.AdminEmail)
	b.Get("/admin").Want(t, "home of an empty catalogue", http.StatusOK,
		"Le catalogue est vide", `<a href="/admin/import">importer un fichier`, "maillage serve --demo-seed")

	in.CreatePlace(nil)
	if a := b.Get("/admin"); strings.Contains(a.Body, "Le catalogue est vide") {
		t.Error("the home page still says the catalogue is empty once it holds a place")
	}
}

// TestBrowserAdminFirstStartAudit: the first start's hints, on the login
// page and the empty catalogue's home, pass axe.
func TestBrowserAdminFirstStartAudit(t *testing.T) {
	src := uitest.AxeSource(t)
	ctx := uitest.NewBrowser(t)
	in := uitest.NewInstance(t)
	uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+"/admin/connexion"), chromedp.WaitVisible(chromedp.ID("premier-compte")))
	axeAudit(t, ctx, src, "/admin/connexion without accounts")
	if err := in.Store.AddUser(uitest.AdminEmail, storage.RoleAdmin, uitest.Password); err != nil {
		t.Fatal(err)
	}
	browserLogin(t, ctx, in, uitest.AdminEmail)
	uitest.CDPDo(t, ctx, chromedp.WaitVisible(chromedp.ID("catalogue-vide")))
	axeAudit(t, ctx, src, "/admin of an empty catalogue")
}

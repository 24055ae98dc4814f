package admin_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// TestBrowserSourcesAndMappingEditorAudit passes axe on /admin/sources,
// its add form with errors, and the import preview of a spreadsheet whose
// columns the editor maps by hand, in a real Chromium.
func TestBrowserSourcesAndMappingEditorAudit(t *testing.T) {
	src := uitest.AxeSource(t)
	ctx := uitest.NewBrowser(t)
	in := uitest.AdminInstance(t)
	if _, err := in.Store.AddSource(storage.Source{URL: "https://reseau.example/lieux.xlsx", Name: "Réseau du Var", Every: 24 * time.Hour,
		Mapping: map[string]string{"nom": "Désignation EPN"}}); err != nil {
		t.Fatal(err)
	}
	browserLogin(t, ctx, in, uitest.EditorEmail)
	uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+"/admin/sources"), chromedp.WaitVisible(chromedp.ID("source-url")))
	axeAudit(t, ctx, src, "/admin/sources")
	uitest.CDPDo(t, ctx,
		chromedp.SendKeys(chromedp.ID("source-url"), "ftp://reseau.example/x.csv"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/sources"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`div.problems`)),
	)
	axeAudit(t, ctx, src, "/admin/sources with errors")

	file, err := filepath.Abs("../../sources/testdata/producteur.ods")
	if err != nil {
		t.Fatal(err)
	}
	uitest.CDPDo(t, ctx,
		chromedp.Navigate(in.Srv.URL+"/admin/import"),
		chromedp.SetUploadFiles(chromedp.ID("fichier"), []string{file}),
		chromedp.Click(chromedp.CSS(`form[action="/admin/import"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("correspondance")),
	)
	axeAudit(t, ctx, src, "/admin/import mapping editor")
	// The editor chooses the name's column and previews again.
	uitest.CDPDo(t, ctx,
		chromedp.SetValue(chromedp.ID("colonne-nom"), "Désignation EPN"),
		chromedp.SetValue(chromedp.ID("colonne-commune"), "Ville d'implantation"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/import/correspondance"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("rapport")),
	)
	axeAudit(t, ctx, src, "/admin/import preview after mapping")
}

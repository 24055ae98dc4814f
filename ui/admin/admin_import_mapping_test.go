package admin_test

import (
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/uitest"
)

var remapID = regexp.MustCompile(`name="apercu" value="([^"]+)"`)

// selectedColumn is the column chosen for field in the preview's editor;
// "" for none. It fails the test when the page has no select for field.
func selectedColumn(t *testing.T, body, field string) string {
	t.Helper()
	m := regexp.MustCompile(`<select id="colonne-` + regexp.QuoteMeta(field) + `" name="colonne-` + regexp.QuoteMeta(field) + `">(.*?)</select>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no select for %s", field)
	}
	sel := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[1])
	if sel == nil {
		t.Fatalf("nothing selected for %s", field)
	}
	return html.UnescapeString(sel[1])
}

// editorForm is the editor's form as the page shows it: every select
// with its chosen column.
func editorForm(t *testing.T, body string) url.Values {
	t.Helper()
	id := remapID.FindStringSubmatch(body)
	if id == nil {
		t.Fatal("no mapping editor")
	}
	form := url.Values{"apercu": {id[1]}}
	for _, m := range regexp.MustCompile(`<select id="colonne-([a-z_]+)"`).FindAllStringSubmatch(body, -1) {
		form.Set("colonne-"+m[1], selectedColumn(t, body, m[1]))
	}
	return form
}

// A producer's spreadsheet whose headers are not recognised: the preview
// says which column is missing and lists the file's columns in selects;
// the editor picks them, previews again, imports with them; the mapping
// is saved to the source and used by its next import.
func TestAdminImportMappingEditor(t *testing.T) {
	in := uitest.AdminInstance(t)
	src, err := in.Store.AddSource(storage.Source{URL: "https://reseau.example/lieux.xlsx", Name: "Réseau du Var", Every: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile("../../sources/testdata/producteur.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	b.Get("/admin/import").Want(t, "source select", 200, `<select id="source" name="source"`, "Réseau du Var (https://reseau.example/lieux.xlsx)")

	a := b.Upload("/admin/import", "lieux.xlsx", file, url.Values{"source": {src.ID}})
	a.Want(t, "no name column", http.StatusUnprocessableEntity, "aucune colonne ne donne le nom des lieux",
		`<label for="colonne-nom">nom</label>`, `<option value="Désignation EPN">Désignation EPN</option>`)
	if got := selectedColumn(t, a.Body, "nom"); got != "" {
		t.Errorf("nom's column = %q; want none yet", got)
	}
	form := editorForm(t, a.Body)

	// A column that is not in the file: said, nothing changes.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("colonne-nom", "Nom inventé")
	b.Post("/admin/import/correspondance", bad).Want(t, "unknown column", http.StatusUnprocessableEntity,
		"Ces colonnes ne conviennent pas à ce fichier", "la colonne « Nom inventé » n&#39;est pas dans le fichier")
	// An unknown field: said.
	bad = url.Values{"apercu": form["apercu"], "colonne-nom_du_lieu": {"Désignation EPN"}}
	b.Post("/admin/import/correspondance", bad).Want(t, "unknown field", http.StatusUnprocessableEntity, "« nom_du_lieu » n’est pas un champ du standard")
	// Without the CSRF token: refused.
	bad = url.Values{"csrf": {"x"}, "apercu": form["apercu"], "colonne-nom": {"Désignation EPN"}}
	b.Post("/admin/import/correspondance", bad).Want(t, "no csrf", http.StatusForbidden)

	// The editor picks the name and the commune, and leaves the phone out.
	form.Set("colonne-nom", "Désignation EPN")
	form.Set("colonne-commune", "Ville d'implantation")
	form.Set("colonne-telephone", "")
	a = b.Post("/admin/import/correspondance", form)
	a.Want(t, "remapped preview", 200, "Aperçu de l’import de « lieux.xlsx »", "<strong>3</strong> lieux seront créés",
		"Les colonnes choisies seront enregistrées pour la source « Réseau du Var (https://reseau.example/lieux.xlsx) ».",
		"Tél. accueil", "&#34;nom&#34;: &#34;Désignation EPN&#34;", "&#34;telephone&#34;: &#34;&#34;")
	if got := selectedColumn(t, a.Body, "nom"); got != "Désignation EPN" {
		t.Errorf("nom's column after the edit = %q", got)
	}
	if got := selectedColumn(t, a.Body, "telephone"); got != "" {
		t.Errorf("telephone's column after the edit = %q; want none", got)
	}
	if n := in.LocalPlaces(); n != 0 {
		t.Fatalf("the previews stored %d places", n)
	}
	id := uploadID.FindStringSubmatch(a.Body)
	if id == nil {
		t.Fatal("no confirmation form")
	}
	b.Post("/admin/import/appliquer", url.Values{"envoi": {id[1]}}).Want(t, "apply", 200,
		"<strong>3</strong> lieux créés", "Correspondance des colonnes enregistrée pour la source « Réseau du Var")
	page, err := in.Store.Places(catalogue.PlaceQuery{Network: "local", Limit: 10})
	if err != nil || page.Total != 3 {
		t.Fatalf("places after import: %d, %v", page.Total, err)
	}
	for _, p := range page.Items {
		if p.Telephone != "" || p.Commune == "" {
			t.Errorf("place %s: phone %q, commune %q; want no phone (no column) and a commune", p.Nom, p.Telephone, p.Commune)
		}
	}
	kept, err := in.Store.Source(src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if kept.Mapping["nom"] != "Désignation EPN" || kept.Mapping["commune"] != "Ville d'implantation" || kept.Mapping["telephone"] != "" {
		t.Errorf("source mapping = %v", kept.Mapping)
	}
	if !strings.Contains(b.Get("/admin/sources").Body, "Correspondance des colonnes enregistrée") {
		t.Error("/admin/sources does not show the kept mapping")
	}

	// The next import of the source starts from its mapping.
	a = b.Upload("/admin/import", "lieux.xlsx", file, url.Values{"source": {src.ID}})
	a.Want(t, "next import", 200, "<strong>3</strong> lieux inchangés", "Correspondance des colonnes de la source « Réseau du Var")
	if got := selectedColumn(t, a.Body, "nom"); got != "Désignation EPN" {
		t.Errorf("nom's column on the next import = %q", got)
	}
}

package admin_test

import (
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/ui/internal/uitest"
)

var uploadID = regexp.MustCompile(`name="envoi" value="([^"]+)"`)

func TestAdminImportPreviewThenApply(t *testing.T) {
	in := uitest.AdminInstance(t)
	file, err := os.ReadFile("../../catalogue/standard/testdata/broken-v1.csv")
	if err != nil {
		t.Fatal(err)
	}
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	b.Get("/admin/import").Want(t, "import page", 200, `enctype="multipart/form-data"`, `type="file"`, `<label for="fichier">`)

	// The dry run says what would change, line by line, and stores nothing.
	a := b.Upload("/admin/import", "lieux.csv", file, nil)
	a.Want(t, "preview", 200, "Aperçu de l’import de « lieux.csv »", "Rien n’a encore été enregistré.",
		"<strong>8</strong> lieux seront créés", "<strong>3</strong> lignes rejetées", "<strong>18</strong> avertissements",
		"<td>3</td><td>a2</td><td>code_postal</td><td>5 chiffres attendus, « 130 » reçu : valeur ignorée, lieu importé comme brouillon « à compléter »</td>",
		"Importer ces lieux", "<strong>6</strong> brouillons « à compléter »",
		`<h2 id="correspondance">Colonnes du fichier</h2>`, `<label for="colonne-code_postal">code_postal</label>`)
	if got := selectedColumn(t, a.Body, "code_postal"); got != "code_postal" {
		t.Errorf("code_postal's column = %q; want code_postal", got)
	}
	if n := in.LocalPlaces(); n != 0 {
		t.Fatalf("the preview stored %d places", n)
	}
	id := uploadID.FindStringSubmatch(a.Body)
	if id == nil {
		t.Fatal("no confirmation form")
	}
	// Another session cannot apply it.
	other := in.Browser()
	other.Login(uitest.AdminEmail)
	other.Post("/admin/import/appliquer", url.Values{"envoi": {id[1]}}).Want(t, "other session", http.StatusGone, "n’est plus disponible")
	// The uploader can, once.
	b.Post("/admin/import/appliquer", url.Values{"envoi": {id[1]}}).Want(t, "apply", 200,
		"Import de « lieux.csv » terminé", "<strong>8</strong> lieux créés", "<strong>3</strong> lignes rejetées")
	// Six are drafts, lacking services or a postal code: not listed.
	if n := in.LocalPlaces(); n != 2 {
		t.Errorf("%d places listed after the import; want 2 (and 6 drafts)", n)
	}
	if drafts, err := in.Store.Drafts(); err != nil || len(drafts) != 6 {
		t.Errorf("%d drafts, %v; want 6", len(drafts), err)
	}
	// The editors see them, with what each lacks.
	b.Get("/admin/lieux").Want(t, "drafts listed", 200, "À compléter (6)",
		"EPN du Panier</a></th>\n<td> Marseille</td>\n<td>code_postal, services</td>")
	b.Post("/admin/import/appliquer", url.Values{"envoi": {id[1]}}).Want(t, "apply twice", http.StatusGone)
	// The same file again changes nothing, and offers nothing to apply.
	a = b.Upload("/admin/import", "lieux.csv", file, nil)
	a.Want(t, "preview again", 200, "<strong>0</strong> lieux seront créés", "<strong>8</strong> lieux inchangés")
	if uploadID.MatchString(a.Body) {
		t.Error("a file that changes nothing can be applied")
	}
}

func TestAdminImportExpiresAndRefuses(t *testing.T) {
	in := uitest.AdminInstance(t)
	file, err := os.ReadFile("../../catalogue/standard/testdata/broken-v1.csv")
	if err != nil {
		t.Fatal(err)
	}
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	id := uploadID.FindStringSubmatch(b.Upload("/admin/import", "lieux.csv", file, nil).Body)
	if id == nil {
		t.Fatal("no confirmation form")
	}
	in.Now = in.Now.Add(31 * time.Minute) // an upload waits 30 minutes
	b.Post("/admin/import/appliquer", url.Values{"envoi": {id[1]}}).Want(t, "after 31 minutes", http.StatusGone)
	if n := in.LocalPlaces(); n != 0 {
		t.Errorf("an expired upload stored %d places", n)
	}
	b.Upload("/admin/import", "", nil, nil).Want(t, "no file", http.StatusUnprocessableEntity, "Choisissez un fichier")
	a := b.Upload("/admin/import", uitest.Evil+".csv", []byte("Liste des lieux "+uitest.Evil+"\nEPN, Paris\n"), nil)
	a.Want(t, "unreadable file", http.StatusUnprocessableEntity, "Ce fichier ne peut pas être lu")
	if uitest.RawMarkup.MatchString(a.Body) {
		t.Error("unescaped markup on the import page")
	}
	// Without the CSRF token, nothing is read.
	b.CSRF = "faux"
	b.Upload("/admin/import", "lieux.csv", file, nil).Want(t, "upload without token", http.StatusForbidden)
}

func TestAdminImportEscapesTheFile(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	csv := "id,pivot,nom,adresse,code_postal,commune,date_maj\n" +
		`"` + strings.ReplaceAll(uitest.Evil, `"`, `""`) + `",43493312300029,"` + strings.ReplaceAll(uitest.Evil, `"`, `""`) + `",1 rue,13001,Marseille,2026-01-05` + "\n" +
		`x2,43493312300029,"` + strings.ReplaceAll(uitest.Evil, `"`, `""`) + `",1 rue,` + `"` + strings.ReplaceAll(uitest.Evil, `"`, `""`) + `",Marseille,2026-01-05` + "\n"
	a := b.Upload("/admin/import", uitest.Evil+".csv", []byte(csv), nil)
	uitest.CheckEscaped(t, "import preview", a, 200)
	// The second has a hostile postal code: dropped, a draft.
	if !strings.Contains(a.Body, "<strong>2</strong> lieux seront créés") || !strings.Contains(a.Body, "<strong>0</strong> lignes rejetées") {
		t.Errorf("preview of the hostile file:\n%s", a.Body)
	}
}

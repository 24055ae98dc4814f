package ui

import (
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

var uploadID = regexp.MustCompile(`name="envoi" value="([^"]+)"`)

func TestAdminImportPreviewThenApply(t *testing.T) {
	in := adminInstance(t)
	file, err := os.ReadFile("../catalogue/standard/testdata/broken-v1.csv")
	if err != nil {
		t.Fatal(err)
	}
	b := in.browser()
	b.login(editorEmail)
	b.get("/admin/import").want(t, "import page", 200, `enctype="multipart/form-data"`, `type="file"`, `<label for="fichier">`)

	// The dry run says what would change, line by line, and stores nothing.
	a := b.upload("/admin/import", "lieux.csv", file, nil)
	a.want(t, "preview", 200, "Aperçu de l’import de « lieux.csv »", "Rien n’a encore été enregistré.",
		"<strong>3</strong> lieux seront créés", "<strong>8</strong> lignes rejetées", "<strong>5</strong> avertissements",
		"<td>3</td><td>a2</td><td>code_postal</td><td>5 chiffres attendus, « 130 » reçu</td>", "Importer ces lieux")
	if n := in.localPlaces(); n != 0 {
		t.Fatalf("the preview stored %d places", n)
	}
	id := uploadID.FindStringSubmatch(a.body)
	if id == nil {
		t.Fatal("no confirmation form")
	}
	// Another session cannot apply it.
	other := in.browser()
	other.login(adminEmail)
	other.post("/admin/import/appliquer", url.Values{"envoi": {id[1]}}).want(t, "other session", http.StatusGone, "n’est plus disponible")
	// The uploader can, once.
	b.post("/admin/import/appliquer", url.Values{"envoi": {id[1]}}).want(t, "apply", 200,
		"Import de « lieux.csv » terminé", "<strong>3</strong> lieux créés", "<strong>8</strong> lignes rejetées")
	if n := in.localPlaces(); n != 3 {
		t.Errorf("%d places after the import; want 3", n)
	}
	b.post("/admin/import/appliquer", url.Values{"envoi": {id[1]}}).want(t, "apply twice", http.StatusGone)
	// The same file again changes nothing, and offers nothing to apply.
	a = b.upload("/admin/import", "lieux.csv", file, nil)
	a.want(t, "preview again", 200, "<strong>0</strong> lieux seront créés", "<strong>3</strong> lieux inchangés")
	if uploadID.MatchString(a.body) {
		t.Error("a file that changes nothing can be applied")
	}
}

func TestAdminImportExpiresAndRefuses(t *testing.T) {
	in := adminInstance(t)
	file, err := os.ReadFile("../catalogue/standard/testdata/broken-v1.csv")
	if err != nil {
		t.Fatal(err)
	}
	b := in.browser()
	b.login(editorEmail)
	id := uploadID.FindStringSubmatch(b.upload("/admin/import", "lieux.csv", file, nil).body)
	if id == nil {
		t.Fatal("no confirmation form")
	}
	in.now = in.now.Add(uploadTTL + time.Minute)
	b.post("/admin/import/appliquer", url.Values{"envoi": {id[1]}}).want(t, "after 31 minutes", http.StatusGone)
	if n := in.localPlaces(); n != 0 {
		t.Errorf("an expired upload stored %d places", n)
	}
	b.upload("/admin/import", "", nil, nil).want(t, "no file", http.StatusUnprocessableEntity, "Choisissez un fichier")
	a := b.upload("/admin/import", evil+".csv", []byte("Liste des lieux "+evil+"\nEPN, Paris\n"), nil)
	a.want(t, "unreadable file", http.StatusUnprocessableEntity, "Ce fichier ne peut pas être lu")
	if rawMarkup.MatchString(a.body) {
		t.Error("unescaped markup on the import page")
	}
	// Without the CSRF token, nothing is read.
	b.csrf = "faux"
	b.upload("/admin/import", "lieux.csv", file, nil).want(t, "upload without token", http.StatusForbidden)
}

func TestAdminImportEscapesTheFile(t *testing.T) {
	in := adminInstance(t)
	b := in.browser()
	b.login(editorEmail)
	csv := "id,pivot,nom,adresse,code_postal,commune,date_maj\n" +
		`"` + strings.ReplaceAll(evil, `"`, `""`) + `",43493312300029,"` + strings.ReplaceAll(evil, `"`, `""`) + `",1 rue,13001,Marseille,2026-01-05` + "\n" +
		`x2,43493312300029,"` + strings.ReplaceAll(evil, `"`, `""`) + `",1 rue,` + `"` + strings.ReplaceAll(evil, `"`, `""`) + `",Marseille,2026-01-05` + "\n"
	a := b.upload("/admin/import", evil+".csv", []byte(csv), nil)
	checkEscaped(t, "import preview", a, 200)
	if !strings.Contains(a.body, "<strong>1</strong> lieux seront créés") || !strings.Contains(a.body, "<strong>1</strong> lignes rejetées") {
		t.Errorf("preview of the hostile file:\n%s", a.body)
	}
}

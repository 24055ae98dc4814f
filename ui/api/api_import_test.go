package api_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/uitest"
)

func TestImportHinauraTwice(t *testing.T) {
	t.Parallel()
	in := uitest.NewInstance(t)
	data := uitest.ReadReference(t, "samples/hinaura-lieux-v0.1-sample300.json")
	var a uitest.ImportAnswer
	if st := in.PostFile("/api/v1/import", "application/json", data, &a); st != http.StatusOK {
		t.Fatalf("POST /api/v1/import = %d %s", st, a.Error)
	}
	if got, want := a.Brief(), "300 created, 0 updated, 0 unchanged, 0 rejected, 466 warnings"; got != want || a.Format != "json" || a.Version != "0.1.x" {
		t.Fatalf("first import: %s (%s %s); want %s", got, a.Format, a.Version, want)
	}
	if len(a.Places) != 300 || a.Places[0].ID != "0" || a.Places[0].Action != "created" || a.Places[0].Place == "" {
		t.Errorf("places of the answer: %d, first %+v", len(a.Places), a.Places[0])
	}
	var p catalogue.Place
	if st := in.Do("GET", "/api/v1/places/"+a.Places[0].Place, nil, &p); st != http.StatusOK || p.Nom != "MAISON DE SERVICES AU PUBLIC D'ABONDANCE" || !p.Network.Local {
		t.Errorf("GET the first imported place = %d %+v", st, p)
	}
	var again uitest.ImportAnswer
	in.PostFile("/api/v1/import", "application/json", data, &again)
	if got, want := again.Brief(), "0 created, 0 updated, 300 unchanged, 0 rejected, 466 warnings"; got != want {
		t.Errorf("second import: %s; want %s", got, want)
	}
	if n := in.LocalPlaces(); n != 300 {
		t.Errorf("%d local places; want 300", n)
	}
}

func TestImportDryRun(t *testing.T) {
	t.Parallel()
	in := uitest.NewInstance(t)
	data := uitest.ReadReference(t, "lieux-mediation-numerique.exemple-valide.v1.0.2.csv")
	var a uitest.ImportAnswer
	if st := in.PostFile("/api/v1/import?dry_run=1", "text/csv", data, &a); st != http.StatusOK || !a.DryRun {
		t.Fatalf("dry run = %d %+v", st, a)
	}
	if got := a.Brief(); got != "1 created, 0 updated, 0 unchanged, 0 rejected, 0 warnings" {
		t.Errorf("dry run: %s", got)
	}
	if n := in.LocalPlaces(); n != 0 {
		t.Errorf("dry run stored %d places", n)
	}
	var bad uitest.ImportAnswer
	if st := in.PostFile("/api/v1/import?dry_run=peut-etre", "text/csv", data, &bad); st != http.StatusBadRequest {
		t.Errorf("dry_run=peut-etre = %d; want 400", st)
	}
}

func TestImportFormUploadReportsLines(t *testing.T) {
	t.Parallel()
	in := uitest.NewInstance(t)
	file, err := os.ReadFile("../../catalogue/standard/testdata/broken-v1.csv")
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("commentaire", "export du tableur")
	fw, _ := mw.CreateFormFile("file", "lieux.csv")
	fw.Write(file)
	mw.Close()
	var a uitest.ImportAnswer
	if st := in.PostFile("/api/v1/import", mw.FormDataContentType(), body.Bytes(), &a); st != http.StatusOK {
		t.Fatalf("POST form = %d %s", st, a.Error)
	}
	// Repair, don't reject: only what has no name, is shifted or repeats
	// an id is rejected; places lacking what the standard requires are
	// drafts.
	if got := a.Brief(); got != "8 created, 0 updated, 0 unchanged, 3 rejected, 18 warnings" || a.Summary["drafts"] != 6 {
		t.Errorf("import: %s, %d drafts", got, a.Summary["drafts"])
	}
	var lines []string
	for _, r := range a.Rejected {
		lines = append(lines, fmt.Sprintf("%d %s %s", r.Line, r.ID, r.Field))
	}
	if got, want := strings.Join(lines, ", "), "4 a3 nom, 7 a6 , 8 a1 id"; got != want {
		t.Errorf("rejected %s; want %s", got, want)
	}
	if r := a.Rejected[0].Reason; r != "champ obligatoire" {
		t.Errorf("reason %q", r)
	}
}

func TestImportRefusals(t *testing.T) {
	t.Parallel()
	in := uitest.NewInstance(t)
	var a uitest.ImportAnswer
	if st := in.PostFile("/api/v1/import", "text/csv", []byte("Liste des lieux\nEPN, Paris\n"), &a); st != http.StatusBadRequest ||
		!strings.Contains(a.Error, "aucune colonne ne donne le nom des lieux") {
		t.Errorf("file without header = %d %q; want 400 saying why", st, a.Error)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	mw.WriteField("other", "x")
	mw.Close()
	if st := in.PostFile("/api/v1/import", mw.FormDataContentType(), form.Bytes(), &a); st != http.StatusBadRequest {
		t.Errorf("form without file = %d; want 400", st)
	}
	in.Token = "not-a-token"
	if st := in.PostFile("/api/v1/import", "text/csv", []byte("id,nom\n"), &a); st != http.StatusUnauthorized {
		t.Errorf("bad token = %d; want 401", st)
	}
}

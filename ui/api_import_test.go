package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
)

const referenceDir = "../catalogue/standard/testdata/reference"

// importAnswer is the body of POST /api/v1/import.
type importAnswer struct {
	DryRun   bool   `json:"dry_run"`
	Format   string `json:"format"`
	Version  string `json:"version"`
	Rows     int    `json:"rows"`
	Summary  map[string]int
	Rejected []struct {
		Line   int    `json:"line"`
		ID     string `json:"id"`
		Field  string `json:"field"`
		Reason string `json:"reason"`
	} `json:"rejected"`
	Warnings []json.RawMessage `json:"warnings"`
	Places   []struct {
		Record int    `json:"record"`
		ID     string `json:"id"`
		Action string `json:"action"`
		Place  string `json:"place"`
	} `json:"places"`
	Error string `json:"error"`
}

func (a importAnswer) summary() string {
	s := a.Summary
	return fmt.Sprintf("%d created, %d updated, %d unchanged, %d rejected, %d warnings",
		s["created"], s["updated"], s["unchanged"], s["rejected"], s["warnings"])
}

// postFile sends body to path with the token and decodes the answer.
func (in *instance) postFile(path, contentType string, body []byte, out any) int {
	in.t.Helper()
	req, err := http.NewRequest("POST", in.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		in.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+in.token)
	req.Header.Set("Content-Type", contentType)
	resp, err := in.srv.Client().Do(req)
	if err != nil {
		in.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		in.t.Fatal(err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		in.t.Fatalf("POST %s: decode %s: %v", path, data, err)
	}
	return resp.StatusCode
}

func readReference(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(referenceDir, name))
	if err != nil {
		t.Skipf("reference sample not available: %v", err)
	}
	return data
}

func (in *instance) localPlaces() int {
	in.t.Helper()
	var page struct{ Total int }
	if st := in.do("GET", "/api/v1/places?network=local&limit=1", nil, &page); st != http.StatusOK {
		in.t.Fatalf("GET places = %d", st)
	}
	return page.Total
}

func TestImportHinauraTwice(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	data := readReference(t, "samples/hinaura-lieux-v0.1-sample300.json")
	var a importAnswer
	if st := in.postFile("/api/v1/import", "application/json", data, &a); st != http.StatusOK {
		t.Fatalf("POST /api/v1/import = %d %s", st, a.Error)
	}
	if got, want := a.summary(), "300 created, 0 updated, 0 unchanged, 0 rejected, 466 warnings"; got != want || a.Format != "json" || a.Version != "0.1.x" {
		t.Fatalf("first import: %s (%s %s); want %s", got, a.Format, a.Version, want)
	}
	if len(a.Places) != 300 || a.Places[0].ID != "0" || a.Places[0].Action != "created" || a.Places[0].Place == "" {
		t.Errorf("places of the answer: %d, first %+v", len(a.Places), a.Places[0])
	}
	var p catalogue.Place
	if st := in.do("GET", "/api/v1/places/"+a.Places[0].Place, nil, &p); st != http.StatusOK || p.Nom != "MAISON DE SERVICES AU PUBLIC D'ABONDANCE" || !p.Network.Local {
		t.Errorf("GET the first imported place = %d %+v", st, p)
	}
	var again importAnswer
	in.postFile("/api/v1/import", "application/json", data, &again)
	if got, want := again.summary(), "0 created, 0 updated, 300 unchanged, 0 rejected, 466 warnings"; got != want {
		t.Errorf("second import: %s; want %s", got, want)
	}
	if n := in.localPlaces(); n != 300 {
		t.Errorf("%d local places; want 300", n)
	}
}

func TestImportDryRun(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	data := readReference(t, "lieux-mediation-numerique.exemple-valide.v1.0.2.csv")
	var a importAnswer
	if st := in.postFile("/api/v1/import?dry_run=1", "text/csv", data, &a); st != http.StatusOK || !a.DryRun {
		t.Fatalf("dry run = %d %+v", st, a)
	}
	if got := a.summary(); got != "1 created, 0 updated, 0 unchanged, 0 rejected, 0 warnings" {
		t.Errorf("dry run: %s", got)
	}
	if n := in.localPlaces(); n != 0 {
		t.Errorf("dry run stored %d places", n)
	}
	var bad importAnswer
	if st := in.postFile("/api/v1/import?dry_run=peut-etre", "text/csv", data, &bad); st != http.StatusBadRequest {
		t.Errorf("dry_run=peut-etre = %d; want 400", st)
	}
}

func TestImportFormUploadReportsLines(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	file, err := os.ReadFile("../catalogue/standard/testdata/broken-v1.csv")
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("commentaire", "export du tableur")
	fw, _ := mw.CreateFormFile("file", "lieux.csv")
	fw.Write(file)
	mw.Close()
	var a importAnswer
	if st := in.postFile("/api/v1/import", mw.FormDataContentType(), body.Bytes(), &a); st != http.StatusOK {
		t.Fatalf("POST form = %d %s", st, a.Error)
	}
	if got := a.summary(); got != "3 created, 0 updated, 0 unchanged, 8 rejected, 5 warnings" {
		t.Errorf("import: %s", got)
	}
	var lines []string
	for _, r := range a.Rejected {
		lines = append(lines, fmt.Sprintf("%d %s %s", r.Line, r.ID, r.Field))
	}
	if got, want := strings.Join(lines, ", "), "3 a2 code_postal, 4 a3 nom, 5 a4 latitude, 6 a5 courriels, 7 a6 , 8 a1 id, 11 a8 telephone, 13 a9 date_maj"; got != want {
		t.Errorf("rejected %s; want %s", got, want)
	}
	if r := a.Rejected[0].Reason; r != "5 chiffres attendus, « 130 » reçu" {
		t.Errorf("reason %q", r)
	}
}

func TestImportRefusals(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	var a importAnswer
	if st := in.postFile("/api/v1/import", "text/csv", []byte("Liste des lieux\nEPN, Paris\n"), &a); st != http.StatusBadRequest ||
		!strings.Contains(a.Error, "nommer les colonnes") {
		t.Errorf("file without header = %d %q; want 400 saying why", st, a.Error)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	mw.WriteField("other", "x")
	mw.Close()
	if st := in.postFile("/api/v1/import", mw.FormDataContentType(), form.Bytes(), &a); st != http.StatusBadRequest {
		t.Errorf("form without file = %d; want 400", st)
	}
	in.token = "not-a-token"
	if st := in.postFile("/api/v1/import", "text/csv", []byte("id,nom\n"), &a); st != http.StatusUnauthorized {
		t.Errorf("bad token = %d; want 401", st)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
	"github.com/maillage/maillage/storage"
)

const referenceDir = "../../catalogue/standard/testdata/reference"

func referenceFile(t testing.TB, name string) string {
	t.Helper()
	path := filepath.Join(referenceDir, name)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("reference sample not available: %v", err)
	}
	return path
}

// runImport runs "maillage import" and returns its stdout and stderr.
func runImport(t testing.TB, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"import"}, args...), strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

func summaryLine(out string) string {
	for line := range strings.Lines(out) {
		if s, ok := strings.CutPrefix(line, "Résumé : "); ok {
			return strings.TrimSpace(s)
		}
	}
	return "(pas de résumé)"
}

// checkStore opens the data directory, runs the consistency check and
// returns the number of local places and of activities in the outbox.
func checkStore(t *testing.T, dir string) (places, activities int) {
	t.Helper()
	st, err := storage.Open(dir, storage.Options{BaseURL: "http://localhost:8080"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	page, err := st.Places(catalogue.PlaceQuery{Network: "local"})
	if err != nil {
		t.Fatal(err)
	}
	_, _, activities, err = st.OutboxPage(0, 1)
	if err != nil {
		t.Fatal(err)
	}
	return page.Total, activities
}

func TestImportReferenceSamples(t *testing.T) {
	for _, tc := range []struct {
		file        string
		first, next string
		places      int
	}{
		{"samples/hinaura-lieux-v0.1-sample300.json",
			"300 créés, 0 mis à jour, 0 inchangés, 0 rejetés, 466 avertissements",
			"0 créés, 0 mis à jour, 300 inchangés, 0 rejetés, 466 avertissements", 300},
		{"lieux-mediation-numerique.exemple-valide.v1.0.2.csv",
			"1 créés, 0 mis à jour, 0 inchangés, 0 rejetés, 0 avertissements",
			"0 créés, 0 mis à jour, 1 inchangés, 0 rejetés, 0 avertissements", 1},
		{"lieux-mediation-numerique.exemple-valide.v0.1.1.csv",
			"1 créés, 0 mis à jour, 0 inchangés, 0 rejetés, 3 avertissements",
			"0 créés, 0 mis à jour, 1 inchangés, 0 rejetés, 3 avertissements", 1},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			file := referenceFile(t, tc.file)
			dir := t.TempDir()
			out, _, err := runImport(t, "--data", dir, file, "--dry-run")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := summaryLine(out), tc.first; got != want || !strings.Contains(out, "rien n'a été enregistré") {
				t.Errorf("dry run: %s; want %s, and nothing written", got, want)
			}
			if places, _ := checkStore(t, dir); places != 0 {
				t.Fatalf("dry run stored %d places", places)
			}
			out, _, err = runImport(t, "--data", dir, file)
			if err != nil {
				t.Fatal(err)
			}
			if got := summaryLine(out); got != tc.first {
				t.Errorf("first import: %s; want %s\n%s", got, tc.first, out)
			}
			out, _, err = runImport(t, "--data", dir, file)
			if err != nil {
				t.Fatal(err)
			}
			if got := summaryLine(out); got != tc.next {
				t.Errorf("second import: %s; want %s", got, tc.next)
			}
			// Each place was published once, when created.
			if places, activities := checkStore(t, dir); places != tc.places || activities != tc.places {
				t.Errorf("%d local places and %d activities in the outbox; want %d of each", places, activities, tc.places)
			}
		})
	}
}

func TestImportUpdatedFile(t *testing.T) {
	src, err := os.ReadFile(referenceFile(t, "lieux-mediation-numerique.exemple-valide.v1.0.2.csv"))
	if err != nil {
		t.Fatal(err)
	}
	dir, tmp := t.TempDir(), t.TempDir()
	v1 := filepath.Join(tmp, "lieux.csv")
	os.WriteFile(v1, src, 0o600)
	if _, _, err := runImport(t, "--data", dir, v1); err != nil {
		t.Fatal(err)
	}
	// The same file a month later: new hours, a second place.
	lines := strings.SplitN(string(src), "\n", 2)
	row := strings.TrimSpace(lines[1])
	changed := strings.Replace(row, "Sa 08:30-12:00", "Sa 09:00-12:00", 1)
	added := strings.Replace(strings.Replace(row, `"structure-1"`, `"structure-2"`, 1), "12 BIS RUE DE LECLERCQ", "14 RUE DE LECLERCQ", 1)
	os.WriteFile(v1, []byte(lines[0]+"\n"+changed+"\n"+added+"\n"), 0o600)
	out, _, err := runImport(t, "--data", dir, v1)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := summaryLine(out), "1 créés, 1 mis à jour, 0 inchangés, 0 rejetés, 0 avertissements"; got != want {
		t.Errorf("import of the updated file: %s; want %s", got, want)
	}
	if places, activities := checkStore(t, dir); places != 2 || activities != 3 {
		t.Errorf("%d places, %d activities; want 2 places and 3 activities (2 Create, 1 Update)", places, activities)
	}
}

func TestImportReportsRejectedLines(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runImport(t, "--data", dir, "../../catalogue/standard/testdata/broken-v1.csv")
	var st *exitStatus
	if !errors.As(err, &st) || st.code != 2 {
		t.Fatalf("import with rejected records: %v; want exit status 2", err)
	}
	for _, want := range []string{
		"CSV (séparateur « , »), UTF-8, standard 1.x, 11 enregistrements",
		"ligne 3 (id « a2 ») : code_postal : 5 chiffres attendus, « 130 » reçu : valeur ignorée",
		"ligne 4 (id « a3 ») : nom : champ obligatoire",
		"ligne 13 (id « a9 ») : date_maj : date invalide « 2026-13-45 » (attendu : AAAA-MM-JJ) : date du jour utilisée",
		"ligne 7 (id « a6 ») : 19 colonnes au lieu de 18",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if last := lastLine(out); last != "Résumé : 8 créés, 0 mis à jour, 0 inchangés, 3 rejetés, 18 avertissements, 6 brouillons" {
		t.Errorf("last line %q; want the counts", last)
	}
}

func lastLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[len(lines)-1]
}

func TestImportCommandErrors(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := runImport(t, "--data", dir); err == nil || !strings.Contains(err.Error(), "fichier manquant") {
		t.Errorf("no file: %v", err)
	}
	if _, _, err := runImport(t, "--data", dir, "../../catalogue/standard/testdata/no-header.csv"); err == nil ||
		!strings.Contains(err.Error(), "aucune colonne ne donne le nom des lieux") {
		t.Errorf("file without header: %v", err)
	}
	srv := startServer(t, dir)
	defer srv.Close()
	start := time.Now()
	_, _, err := runImport(t, "--data", dir, "../../catalogue/standard/testdata/broken-v1.csv")
	if err == nil || !strings.Contains(err.Error(), "POST /api/v1/import") || time.Since(start) > 5*time.Second {
		t.Errorf("import while serving: %v; want a quick refusal pointing to the API", err)
	}
}

// writeStandardCSV writes places as a CSV file in the national standard
// v1.0.2, plus Maillage's two columns, with ids "sample-N".
func writeStandardCSV(w io.Writer, places []*catalogue.Place) error {
	cw := csv.NewWriter(w)
	header := []string{"id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse", "complement_adresse",
		"latitude", "longitude", "typologie", "telephone", "courriels", "site_web", "horaires", "presentation_resume",
		"presentation_detail", "source", "itinerance", "structure_parente", "date_maj", "services",
		"publics_specifiquement_adresses", "prise_en_charge_specifique", "frais_a_charge", "dispositif_programmes_nationaux",
		"formations_labels", "autres_formations_labels", "modalites_acces", "modalites_accompagnement",
		"fiche_acces_libre", "prise_rdv", "champs_intervention", "equipements"}
	if err := cw.Write(header); err != nil {
		return err
	}
	num := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	j := func(l []string) string { return strings.Join(l, "|") }
	for i, p := range places {
		err := cw.Write([]string{fmt.Sprintf("sample-%d", i), p.Pivot, p.Nom, p.Commune, p.CodePostal, p.CodeINSEE, p.Adresse,
			p.ComplementAdresse, num(p.Latitude), num(p.Longitude), j(p.Typologie), p.Telephone, j(p.Courriels), j(p.SiteWeb),
			p.Horaires, p.PresentationResume, p.PresentationDetail, p.Source, j(p.Itinerance), p.StructureParente, p.DateMaj,
			j(p.Services), j(p.Publics), j(p.PriseEnCharge), j(p.Frais), j(p.Dispositifs), j(p.FormationsLabels),
			j(p.AutresLabels), j(p.ModalitesAcces), j(p.ModalitesAccompagnement), p.FicheAccesLibre, p.PriseRDV,
			j(p.ChampsIntervention), j(p.Equipements)})
		if err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// BenchmarkImportCSV imports 25,000 places of catalogue/sample from a
// CSV file in the national standard into an empty instance, through the
// command line (read, map, validate, one transaction that also publishes
// each place to the outbox, and the instance's first actor key), then
// imports the same file again (every place unchanged). See
// docs/BENCHMARKS.md.
func BenchmarkImportCSV(b *testing.B) {
	const n = 25000
	file := filepath.Join(b.TempDir(), "lieux.csv")
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	if err := writeStandardCSV(f, sample.Places(n, 2026)); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	want := fmt.Sprintf("%d créés, 0 mis à jour, 0 inchangés, 0 rejetés", n)
	again := fmt.Sprintf("0 créés, 0 mis à jour, %d inchangés, 0 rejetés", n)
	var first, second time.Duration
	b.ResetTimer()
	for range b.N {
		dir := b.TempDir()
		t0 := time.Now()
		out, _, err := runImport(b, "--data", dir, file)
		t1 := time.Now()
		if err != nil || !strings.HasPrefix(summaryLine(out), want) {
			b.Fatalf("import: %v, %s; want %s", err, summaryLine(out), want)
		}
		out, _, err = runImport(b, "--data", dir, file)
		t2 := time.Now()
		if err != nil || !strings.HasPrefix(summaryLine(out), again) {
			b.Fatalf("second import: %v, %s; want %s", err, summaryLine(out), again)
		}
		first += t1.Sub(t0)
		second += t2.Sub(t1)
	}
	b.ReportMetric(first.Seconds()/float64(b.N), "s/import")
	b.ReportMetric(second.Seconds()/float64(b.N), "s/reimport")
}

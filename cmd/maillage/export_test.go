package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
	"github.com/maillage/maillage/catalogue/standard"
	"github.com/maillage/maillage/storage"
)

// seedExport fills a data directory with n sample places and, when
// events > 0, that many events at them, then closes it.
func seedExport(tb testing.TB, dir string, n, events int) {
	tb.Helper()
	st, err := storage.Open(dir, storage.Options{BaseURL: "http://localhost:8080"})
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	if err := st.SetSettings(storage.Settings{Name: "Arsenic 13", Handle: "arsenic13"}); err != nil {
		tb.Fatal(err)
	}
	places := sample.Places(n, 5)
	for i := 0; i < len(places); i += 5000 {
		if err := st.CreatePlaces(places[i:min(i+5000, len(places))]); err != nil {
			tb.Fatal(err)
		}
	}
	if events > 0 {
		ids := make([]string, len(places))
		for i, p := range places {
			ids[i] = p.ID
		}
		if err := st.CreateEvents(sample.Events(ids, events, time.Now(), 5)); err != nil {
			tb.Fatal(err)
		}
	}
}

func runExport(tb testing.TB, args ...string) (string, error) {
	tb.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"export"}, args...), strings.NewReader(""), &out, &errOut)
	return out.String(), err
}

func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	seedExport(t, dir, 40, 30)
	outDir := t.TempDir()
	for _, tc := range []struct{ format, file, start string }{
		{"csv", "lieux.csv", "id,pivot,nom,"},
		{"json", "lieux.json", "[\n  {\"id\": "},
		{"geojson", "lieux.geojson", `{"type":"FeatureCollection"`},
		{"data-inclusion", "di.json", `{"structures":[`},
		{"ics", "agenda.ics", "BEGIN:VCALENDAR\r\n"},
		{"atom", "feed.atom", "<?xml"},
		{"pdf", "catalogue.pdf", "%PDF-"},
	} {
		out := filepath.Join(outDir, tc.file)
		if _, err := runExport(t, "--data", dir, "--format", tc.format, "--out", out); err != nil {
			t.Fatalf("export %s: %v", tc.format, err)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte(tc.start)) {
			t.Errorf("export %s starts with %q; want %q", tc.format, data[:min(len(data), 40)], tc.start)
		}
	}
	// The JSON is the whole catalogue in the standard's fields, which
	// reads back.
	data, err := os.ReadFile(filepath.Join(outDir, "lieux.json"))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := standard.Read(bytes.NewReader(data), standard.Options{}); err != nil || res.Format != standard.FormatJSON || len(res.Records) != 40 || len(res.Rejected) > 0 {
		t.Fatalf("read back the JSON: %v, %d records, %v", err, len(res.Records), res.Rejected)
	}
	// The CSV is the whole catalogue, which reads back.
	f, err := os.Open(filepath.Join(outDir, "lieux.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := standard.Read(f, standard.Options{})
	if err != nil || len(res.Records) != 40 || len(res.Rejected) > 0 {
		t.Fatalf("read back: %v, %d records, %v", err, len(res.Records), res.Rejected)
	}
	for _, r := range res.Records {
		if r.Place.Source != "maillage-sample" {
			t.Errorf("source = %q", r.Place.Source)
		}
	}
	// Standard output, with filters; no file left behind.
	out, err := runExport(t, "--data", dir, "--format", "geojson", "--query", "departement=13&network=local")
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct{ Properties catalogue.Place }
	}
	if err := json.Unmarshal([]byte(out), &fc); err != nil {
		t.Fatal(err)
	}
	for _, ft := range fc.Features {
		if ft.Properties.Departement() != "13" {
			t.Errorf("departement=13 exported %s (%s)", ft.Properties.Nom, ft.Properties.CodePostal)
		}
	}
	entries, _ := os.ReadDir(outDir)
	if len(entries) != 7 {
		t.Errorf("%d files in the output directory; want the 7 exports and no temporary file", len(entries))
	}
}

func TestExportCommandErrors(t *testing.T) {
	dir := t.TempDir()
	seedExport(t, dir, 3, 0)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--data", dir}, "--format"},
		{[]string{"--data", dir, "--format", "xls"}, "--format"},
		{[]string{"--data", dir, "--format", "csv", "--query", "service=Cuisine"}, "service"},
		{[]string{"--data", dir, "--format", "pdf", "--query", "groupe=region"}, "groupe"},
		{[]string{"--data", dir, "--format", "csv", "extra"}, "extra"},
	} {
		if _, err := runExport(t, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("export %q = %v; want an error about %s", tc.args, err, tc.want)
		}
	}
	// A failed export leaves no file.
	out := filepath.Join(t.TempDir(), "x.csv")
	if _, err := runExport(t, "--data", dir, "--format", "csv", "--query", "service=Cuisine", "--out", out); err == nil {
		t.Fatal("bad filter accepted")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("failed export left %s: %v", out, err)
	}

	// While serve holds the database, the command fails at once, saying so.
	st, err := storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	start := time.Now()
	_, err = runExport(t, "--data", dir, "--format", "csv")
	if err == nil || !strings.Contains(err.Error(), "maillage serve") || !strings.Contains(err.Error(), "/export/lieux.csv") {
		t.Errorf("export of a locked database = %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("export of a locked database took %v", d)
	}
}

// BenchmarkExportCSV runs "maillage export --format csv" on 25,000
// places: opening the store (building the index), reading every place,
// writing the file. See docs/BENCHMARKS.md.
func BenchmarkExportCSV(b *testing.B) {
	dir := b.TempDir()
	seedExport(b, dir, 25000, 0)
	out := filepath.Join(b.TempDir(), "lieux.csv")
	b.ResetTimer()
	for b.Loop() {
		if _, err := runExport(b, "--data", dir, "--format", "csv", "--out", out); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if fi, err := os.Stat(out); err == nil {
		b.ReportMetric(float64(fi.Size())/1e6, "MB")
	}
}

// BenchmarkExportPDF runs "maillage export --format pdf" on 500 places.
func BenchmarkExportPDF(b *testing.B) {
	dir := b.TempDir()
	seedExport(b, dir, 500, 0)
	out := filepath.Join(b.TempDir(), "catalogue.pdf")
	b.ResetTimer()
	for b.Loop() {
		if _, err := runExport(b, "--data", dir, "--format", "pdf", "--out", out); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if fi, err := os.Stat(out); err == nil {
		b.ReportMetric(float64(fi.Size())/1e6, "MB")
	}
}

package standard

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// crashCSV is the one-line CSV that took a whole server down (issue 16):
// opening hours that made the parser panic, in the goroutine that builds
// the records.
const crashCSV = "id,nom,adresse,code_postal,commune,horaires,services,date_maj\n" +
	"a1,EPN du Panier,2 rue du Panier,13002,Marseille,0:00-,Aide aux démarches administratives,2026-01-05\n" +
	"a2,EPN de la Joliette,1 place de la Joliette,13002,Marseille,Mo-Fr 09:00-12:00,Aide aux démarches administratives,2026-01-05\n"

// TestReadCrashRow: the row with "0:00-" is read, its hours flagged
// unreadable on its line, and the next row is read too.
func TestReadCrashRow(t *testing.T) {
	res, err := Read(strings.NewReader(crashCSV), Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 2 || len(res.Rejected) != 0 {
		t.Fatalf("%d records, rejected %v; want both read", len(res.Records), res.Rejected)
	}
	if got := warningsOf(res, 2); !slices.ContainsFunc(got, func(w string) bool { return strings.HasPrefix(w, "horaires: illisibles") }) {
		t.Errorf("warnings of line 2: %q; want the hours flagged", got)
	}
	// Unreadable hours are kept in presentation_detail (issue 15).
	if p := record(t, res, "a1").Place; p.Horaires != "" || !strings.Contains(p.PresentationDetail, "Horaires : 0:00-") {
		t.Errorf("a1: horaires %q, detail %q; want the text kept in presentation_detail", p.Horaires, p.PresentationDetail)
	}
}

// TestBuildSafelyRejectsAPanickingRecord: a record whose building panics
// is rejected on its own line; it does not stop the reading.
func TestBuildSafelyRejectsAPanickingRecord(t *testing.T) {
	b := newBuilder(Issue{Line: 7, Record: 6}, today)
	b.place = nil // building it panics
	buildSafely(b, rawRow{"nom": value{}})
	if len(b.problems) != 1 || !strings.Contains(b.problems[""], "erreur interne") {
		t.Errorf("problems %v; want one internal error for the whole record", b.problems)
	}
}

// FuzzRead: no file makes Read panic; a file it cannot read is an
// ErrFormat, and every record is accounted for, read or rejected.
func FuzzRead(f *testing.F) {
	f.Add([]byte(crashCSV))
	f.Add([]byte(`[{"id":"a1","nom":"EPN","horaires":"0:00-","adresse":{"code_postal":"13002"}}]`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"nom":"EPN"},"geometry":{"type":"Point","coordinates":[5.4,43.3]}}]}`))
	f.Add([]byte("id;nom;courriel;publics_accueillis\nx;EPN;a@b.fr;Adultes\n"))
	f.Add([]byte("\xff\xfei\x00d\x00\n\x00"))
	for _, dir := range []string{"testdata"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.*"))
		for _, path := range files {
			if data, err := os.ReadFile(path); err == nil && len(data) < 64<<10 {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Read(bytes.NewReader(data), Options{Today: today})
		if err != nil {
			if !errors.Is(err, ErrFormat) && !strings.Contains(err.Error(), "JSON") {
				t.Logf("Read: %v", err)
			}
			return
		}
		if len(res.Records)+res.RejectedRows() > res.Rows {
			t.Fatalf("%d records and %d rejected rows out of %d", len(res.Records), res.RejectedRows(), res.Rows)
		}
		for _, r := range res.Records {
			if r.Place == nil || r.Place.Validate() != nil {
				t.Fatalf("record %d kept but invalid: %v", r.Index, r.Place.Validate())
			}
		}
	})
}

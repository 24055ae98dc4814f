package standard

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
)

// A place's skills go out in Maillage's columns, ids and labels, and come
// back from the CSV and the JSON export alike.
func TestSkillsExportedAndReadBack(t *testing.T) {
	lat, lon := 43.2965, 5.3698
	p := &catalogue.Place{ID: "fablab", Pivot: "12345678900012", Nom: "Fablab", Adresse: "1 rue X", CodePostal: "13001",
		Commune: "Marseille", Latitude: &lat, Longitude: &lon, DateMaj: "2026-07-01", Services: []string{"Aide aux démarches administratives"},
		Competences: []catalogue.Skill{{ID: "impression-3d", Libelle: "Impression 3D"}, {ID: "couture-numerique", Libelle: "Couture | numérique"}}}
	want := []catalogue.Skill{{ID: "impression-3d", Libelle: "Impression 3D"}, {ID: "couture-numerique", Libelle: "Couture / numérique"}}
	for _, name := range []string{"csv", "json"} {
		write := map[string]func(io.Writer, []*catalogue.Place, WriteOptions) error{"csv": WriteCSV, "json": WriteJSON}[name]
		var buf bytes.Buffer
		if err := write(&buf, []*catalogue.Place{p}, WriteOptions{Maillage: true}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "competences_libelles") {
			t.Errorf("%s: no competences_libelles in %s", name, buf.String())
		}
		back, err := Read(bytes.NewReader(buf.Bytes()), Options{})
		if err != nil || len(back.Records) != 1 {
			t.Fatalf("%s: read back: %v, %+v", name, err, back)
		}
		if name == "json" { // a list, so no separator to replace
			want[1].Libelle = p.Competences[1].Libelle
		}
		if got := back.Records[0].Place.Competences; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: read back competences %v; want %v", name, got, want)
		}
		var plain bytes.Buffer
		if err := write(&plain, []*catalogue.Place{p}, WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(plain.String(), "competences") {
			t.Errorf("%s: the standard's columns alone carry competences", name)
		}
	}
}

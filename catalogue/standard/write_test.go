package standard

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
)

// tableSchema is the part of a Frictionless TableSchema that the
// national standard uses.
type tableSchema struct {
	Fields []struct {
		Name        string `json:"name"`
		Type        string `json:"type"`
		Constraints struct {
			Required  bool   `json:"required"`
			Unique    bool   `json:"unique"`
			Pattern   string `json:"pattern"`
			MaxLength *int   `json:"maxLength"`
			Enum      []any  `json:"enum"`
		} `json:"constraints"`
	} `json:"fields"`
	PrimaryKey any `json:"primaryKey"`
}

func loadTableSchema(t *testing.T) *tableSchema {
	t.Helper()
	data, err := os.ReadFile("testdata/schema/lieux-mediation-numerique.schema.v1.0.2.json")
	if err != nil {
		t.Fatal(err)
	}
	var s tableSchema
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Fields) != 32 {
		t.Fatalf("schema has %d fields; want 32", len(s.Fields))
	}
	return &s
}

// validate checks a CSV file against the schema the way Frictionless
// does: the header names the fields in order, every row has every cell,
// required cells are filled, values cast to their type (number, date),
// patterns match the whole value, lengths and enumerations hold, unique
// values are unique. Multi-valued cells are also split at "|" and each
// value checked against the catalogue's lists for the fields whose
// pattern does not (typologie). It returns one line per problem.
func (s *tableSchema) validate(data []byte) []string {
	var bad []string
	if bytes.HasPrefix(data, []byte("\ufeff")) {
		bad = append(bad, "BOM at start of file")
	}
	if !utf8.Valid(data) {
		bad = append(bad, "not UTF-8")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return append(bad, "CSV: "+err.Error())
	}
	if len(rows) == 0 {
		return append(bad, "no header")
	}
	header := rows[0]
	if len(header) != len(s.Fields) {
		bad = append(bad, fmt.Sprintf("header has %d columns; schema %d", len(header), len(s.Fields)))
	}
	patterns := make([]*regexp.Regexp, len(s.Fields))
	for i, f := range s.Fields {
		if i < len(header) && header[i] != f.Name {
			bad = append(bad, fmt.Sprintf("column %d is %q; schema says %q", i+1, header[i], f.Name))
		}
		if f.Constraints.Pattern != "" {
			patterns[i] = regexp.MustCompile(`^(?:` + f.Constraints.Pattern + `)$`)
		}
	}
	seen := map[string]map[string]int{}
	for n, row := range rows[1:] {
		line := n + 2
		if len(row) != len(s.Fields) {
			bad = append(bad, fmt.Sprintf("row %d: %d cells; want %d", line, len(row), len(s.Fields)))
			continue
		}
		for i, f := range s.Fields {
			v, c := row[i], f.Constraints
			if v == "" {
				if c.Required {
					bad = append(bad, fmt.Sprintf("row %d: %s required", line, f.Name))
				}
				continue
			}
			switch f.Type {
			case "number":
				if _, err := strconv.ParseFloat(v, 64); err != nil {
					bad = append(bad, fmt.Sprintf("row %d: %s %q is not a number", line, f.Name, v))
				}
			case "date":
				if _, err := time.Parse("2006-01-02", v); err != nil {
					bad = append(bad, fmt.Sprintf("row %d: %s %q is not a date", line, f.Name, v))
				}
			}
			if patterns[i] != nil && !patterns[i].MatchString(v) {
				bad = append(bad, fmt.Sprintf("row %d: %s %q does not match %s", line, f.Name, v, f.Constraints.Pattern))
			}
			if c.MaxLength != nil && utf8.RuneCountInString(v) > *c.MaxLength {
				bad = append(bad, fmt.Sprintf("row %d: %s longer than %d", line, f.Name, *c.MaxLength))
			}
			if len(c.Enum) > 0 && !enumHas(c.Enum, v) {
				bad = append(bad, fmt.Sprintf("row %d: %s %q not in its enum", line, f.Name, v))
			}
			if c.Unique {
				if seen[f.Name] == nil {
					seen[f.Name] = map[string]int{}
				}
				if first, dup := seen[f.Name][v]; dup {
					bad = append(bad, fmt.Sprintf("row %d: %s %q already in row %d", line, f.Name, v, first))
				}
				seen[f.Name][v] = line
			}
			if f.Name == "typologie" {
				for _, code := range strings.Split(v, "|") {
					if !catalogue.Typologies.Has(code) {
						bad = append(bad, fmt.Sprintf("row %d: typologie %q unknown", line, code))
					}
				}
			}
			if strings.Contains(v, "||") || strings.HasPrefix(v, "|") || strings.HasSuffix(v, "|") {
				bad = append(bad, fmt.Sprintf("row %d: %s %q has an empty value", line, f.Name, v))
			}
		}
	}
	return bad
}

func enumHas(enum []any, v string) bool {
	for _, e := range enum {
		if fmt.Sprint(e) == v {
			return true
		}
	}
	return false
}

// exportPlaces are sample places with ids, as a store gives them, plus
// places with every awkward value.
func exportPlaces() []*catalogue.Place {
	places := sample.Places(300, 7)
	for i, p := range places {
		p.ID = fmt.Sprintf("lieu-%03d", i)
	}
	lat, lon := 43.2965, 5.3698
	odd := &catalogue.Place{
		ID: "bizarre", Pivot: "W133012345", Nom: `L'Écrit "numérique", à Marseille`, Adresse: "12, rue d'Aubagne",
		ComplementAdresse: "Bât. B\nau fond", CodePostal: "13001", Commune: "Marseille", CodeINSEE: "13201",
		Latitude: &lat, Longitude: &lon, Typologie: []string{"ASSO", "TIERS_LIEUX"}, Telephone: "04 91 00 00 00",
		Courriels: []string{"a@example.fr", "b@example.fr"}, SiteWeb: []string{"https://example.fr/a|b"},
		Horaires:           "Mo-Fr 09:00-12:00; PH off",
		PresentationResume: strings.Repeat("é", 100), PresentationDetail: "Ligne 1\nLigne 2 ; « guillemets », virgules",
		Itinerance: []string{"Fixe", "Itinérant"}, DateMaj: "2026-07-01",
		Services:         catalogue.Services.Values,
		Publics:          catalogue.Publics.Values,
		PriseEnCharge:    catalogue.PrisesEnCharge.Values,
		Frais:            catalogue.Frais.Values,
		Dispositifs:      catalogue.Dispositifs.Values,
		FormationsLabels: catalogue.FormationsLabels.Values,
		AutresLabels:     []string{"QPV", "Label | maison"},
		ModalitesAcces:   catalogue.ModalitesAcces.Values, ModalitesAccompagnement: catalogue.ModalitesAccompagnement.Values,
		FicheAccesLibre: "https://acceslibre.beta.gouv.fr/app/a/", PriseRDV: "https://rdv.example.fr/",
		ChampsIntervention: []string{"Participation citoyenne"}, Equipements: []string{"Imprimante 3D"},
		Network: catalogue.Network{Name: "Arsenic 13", Actor: "https://arsenic13.example/actor"},
	}
	odd.Normalize()
	minimal := &catalogue.Place{ID: "minimal", Pivot: "00000000000000", Nom: "Mi", Adresse: "1 place X",
		CodePostal: "01000", Commune: "Bourg-en-Bresse", DateMaj: "2025-01-31"}
	return append(places, odd, minimal)
}

func TestCSVValidatesAgainstTableSchema(t *testing.T) {
	schema := loadTableSchema(t)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, exportPlaces(), WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if bad := schema.validate(buf.Bytes()); len(bad) > 0 {
		t.Fatalf("exported CSV breaks the TableSchema:\n%s", strings.Join(bad, "\n"))
	}
	if n := bytes.Count(buf.Bytes(), []byte("\n")); n < 303 {
		t.Errorf("%d lines; want at least 303", n)
	}
}

// TestTableSchemaValidatorCatchesBreaches checks the validator itself:
// each broken file must give the expected complaint.
func TestTableSchemaValidatorCatchesBreaches(t *testing.T) {
	schema := loadTableSchema(t)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, exportPlaces()[:2], WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	lines := strings.SplitN(good, "\n", 2)
	rows, err := csv.NewReader(strings.NewReader(good)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int {
		for i, h := range rows[0] {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	withCell := func(name, v string) string {
		r := append([]string(nil), rows[1]...)
		r[col(name)] = v
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Write(rows[0])
		w.Write(r)
		w.Flush()
		return b.String()
	}
	for _, tc := range []struct {
		name, file, want string
	}{
		{"header order", strings.Replace(lines[0], "pivot,nom", "nom,pivot", 1) + "\n" + lines[1], `column 2 is "nom"`},
		{"missing column", strings.Replace(good, ",prise_rdv", "", 1), "header has 31 columns"},
		{"BOM", "\ufeff" + good, "BOM"},
		{"required", withCell("nom", ""), "nom required"},
		{"pivot pattern", withCell("pivot", "123"), "pivot \"123\" does not match"},
		{"telephone pattern", withCell("telephone", "04 91 00 00 00"), "telephone"},
		{"enumeration", withCell("services", "Aide aux démarches administratives|Cuisine"), "services"},
		{"separator", withCell("services", "Aide aux démarches administratives;Loisirs et créations numériques"), "services"},
		{"max length", withCell("presentation_resume", strings.Repeat("x", 281)), "longer than 280"},
		{"date", withCell("date_maj", "01/02/2025"), "not a date"},
		{"number", withCell("latitude", "43,2"), "not a number"},
		{"typologie", withCell("typologie", "EPN|PIZZERIA"), "PIZZERIA"},
		{"unique", good + lines[1][:strings.Index(lines[1], "\n")+1], "already in row"},
	} {
		bad := schema.validate([]byte(tc.file))
		if !strings.Contains(strings.Join(bad, "\n"), tc.want) {
			t.Errorf("%s: validate = %q; want a complaint with %q", tc.name, bad, tc.want)
		}
	}
}

// portable returns what a CSV file can carry of p: the server's fields
// and, without Maillage's columns, its own fields go.
func portable(p *catalogue.Place, maillage bool) catalogue.Place {
	c := *p
	c.ID, c.APID, c.Network, c.Updated, c.DistanceKm = "", "", catalogue.Network{}, time.Time{}, nil
	if !maillage {
		c.ChampsIntervention, c.Equipements, c.Competences = nil, nil, nil
	}
	for _, l := range []*[]string{&c.Typologie, &c.Courriels, &c.SiteWeb, &c.Services, &c.Publics, &c.PriseEnCharge,
		&c.Frais, &c.Dispositifs, &c.FormationsLabels, &c.AutresLabels, &c.ModalitesAcces, &c.ModalitesAccompagnement,
		&c.Itinerance, &c.ChampsIntervention, &c.Equipements} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	return c
}

func TestCSVRoundTrip(t *testing.T) {
	for _, maillage := range []bool{false, true} {
		places := exportPlaces()
		var buf bytes.Buffer
		if err := WriteCSV(&buf, places, WriteOptions{Maillage: maillage}); err != nil {
			t.Fatal(err)
		}
		res, err := Read(bytes.NewReader(buf.Bytes()), Options{Today: "2026-07-13"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rejected) > 0 {
			t.Fatalf("Maillage=%v: read back rejects %v", maillage, res.Rejected)
		}
		if len(res.Records) != len(places) {
			t.Fatalf("Maillage=%v: read back %d places; want %d", maillage, len(res.Records), len(places))
		}
		for i, rec := range res.Records {
			want := portable(places[i], maillage)
			if want.ID = places[i].ID; rec.ID != want.ID {
				t.Errorf("record %d: id %q; want %q", i, rec.ID, want.ID)
			}
			want.ID = ""
			// What the writer had to change to keep the file valid.
			if places[i].ID == "bizarre" {
				want.SiteWeb = []string{"https://example.fr/a%7Cb"}
				want.AutresLabels = []string{"QPV", "Label / maison"}
			}
			// What the reader repairs: hours in French become OSM
			// opening_hours, or go to presentation_detail; a place
			// without services is a draft.
			if h := want.Horaires; h != "" {
				if _, err := catalogue.ParseHours(h); err != nil {
					want.HoursError = ""
					if osm, ok := frenchHoursToOSM(h); ok {
						want.Horaires = osm
					} else {
						want.Horaires, want.PresentationDetail = "", joinParagraphs(want.PresentationDetail, "Horaires : "+h)
					}
				}
			}
			if len(want.Services) == 0 {
				want.ACompleter = []string{"services"}
			}
			got := portable(rec.Place, maillage)
			if !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				t.Errorf("Maillage=%v: Read(WriteCSV(%s)) =\n%s\nwant\n%s", maillage, places[i].ID, g, w)
			}
		}
	}
}

// TestReferenceExampleRoundTrip reads the standard's own valid example,
// writes it, and checks the file against the schema and read back.
func TestReferenceExampleRoundTrip(t *testing.T) {
	schema := loadTableSchema(t)
	f, err := os.Open(referenceFile(t, "lieux-mediation-numerique.exemple-valide.v1.0.2.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	first, err := Read(f, Options{Today: "2026-07-13"})
	if err != nil {
		t.Fatal(err)
	}
	var places []*catalogue.Place
	for _, r := range first.Records {
		r.Place.ID = r.ID
		places = append(places, r.Place)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, places, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if bad := schema.validate(buf.Bytes()); len(bad) > 0 {
		t.Fatalf("exported example breaks the TableSchema:\n%s", strings.Join(bad, "\n"))
	}
	again, err := Read(&buf, Options{Today: "2026-07-13"})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Records) != len(places) {
		t.Fatalf("read back %d places; want %d", len(again.Records), len(places))
	}
	for i, r := range again.Records {
		if got, want := portable(r.Place, false), portable(places[i], false); !reflect.DeepEqual(got, want) {
			t.Errorf("example %s changed:\n%+v\nwant\n%+v", r.ID, got, want)
		}
	}
}

func TestCSVLeavesOutValuesTheSchemaRefuses(t *testing.T) {
	p := &catalogue.Place{ID: "x", Pivot: "12", Nom: "Lieu", Adresse: "1 rue", CodePostal: "75001", Commune: "Paris",
		CodeINSEE: "7501", Telephone: "01 02", DateMaj: "2026-01-01", PresentationResume: strings.Repeat("mot ", 100),
		Services: []string{"Cuisine", "Aide aux demarches administratives"}}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, []*catalogue.Place{p}, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if bad := loadTableSchema(t).validate(buf.Bytes()); len(bad) > 0 {
		t.Fatalf("CSV of a place with invalid values breaks the TableSchema:\n%s", strings.Join(bad, "\n"))
	}
	rows, _ := csv.NewReader(&buf).ReadAll()
	if got := rows[1][21]; got != "Aide aux démarches administratives" {
		t.Errorf("services = %q; want the canonical known value only", got)
	}
}

// TestCSVDefusesFormulas: free-text cells a spreadsheet would run as a
// formula get a leading single quote (OWASP), telephone numbers keep
// their "+", and the file stays valid against the TableSchema.
func TestCSVDefusesFormulas(t *testing.T) {
	schema := loadTableSchema(t)
	lat, lon := 43.2965, 5.3698
	p := &catalogue.Place{ID: "formules", Pivot: "00000000000000", Nom: `=HYPERLINK("https://evil.example","Cliquez")`,
		Adresse: "+2 rue X", ComplementAdresse: "-1+1", CodePostal: "13001", Commune: "@SUM(A1)",
		Latitude: &lat, Longitude: &lon, Telephone: "+33491000000", Horaires: "\tMo 09:00-12:00",
		PresentationResume: "=1+2", PresentationDetail: "\r=cmd|' /C calc'!A0", Source: "-x",
		StructureParente: "@x", AutresLabels: []string{"=QPV"}, Equipements: []string{"+Imprimante"},
		DateMaj: "2026-07-01"}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, []*catalogue.Place{p}, WriteOptions{Maillage: true}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	cells := map[string]string{}
	for i, name := range rows[0] {
		cells[name] = rows[1][i]
	}
	for _, col := range []string{"nom", "adresse", "complement_adresse", "commune", "horaires", "presentation_resume",
		"presentation_detail", "source", "structure_parente", "autres_formations_labels", "equipements"} {
		if !strings.HasPrefix(cells[col], "'") {
			t.Errorf("%s = %q; want a leading single quote", col, cells[col])
		}
	}
	if cells["telephone"] != "+33491000000" {
		t.Errorf("telephone = %q; want +33491000000 as is", cells["telephone"])
	}
	back, err := Read(bytes.NewReader(buf.Bytes()), Options{})
	if err != nil || len(back.Records) != 1 {
		t.Fatalf("read back: %v, %+v", err, back)
	}
	if got := back.Records[0].Place; got.Nom != p.Nom || got.Commune != p.Commune || got.Source != p.Source ||
		len(got.AutresLabels) != 1 || got.AutresLabels[0] != "=QPV" {
		t.Errorf("read back nom %q, commune %q, source %q, labels %v; want the values before the quote", got.Nom, got.Commune, got.Source, got.AutresLabels)
	}
	buf.Reset()
	if err := WriteCSV(&buf, []*catalogue.Place{p}, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if bad := schema.validate(buf.Bytes()); len(bad) > 0 {
		t.Fatalf("the defused CSV breaks the TableSchema:\n%s", strings.Join(bad, "\n"))
	}
}

func TestCSVLeavesOutAnApproximatePosition(t *testing.T) {
	lat, lon := 43.35, 5.51
	p := &catalogue.Place{ID: "x", Pivot: "00000000000000", Nom: "EPN", Commune: "Allauch", CodePostal: "13190",
		Adresse: "1 rue A", Latitude: &lat, Longitude: &lon, PositionApproximative: true, DateMaj: "2026-01-05"}
	var b strings.Builder
	if err := WriteCSV(&b, []*catalogue.Place{p}, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "43.35") {
		t.Errorf("WriteCSV wrote the commune's centre as the place's coordinates:\n%s", b.String())
	}
}

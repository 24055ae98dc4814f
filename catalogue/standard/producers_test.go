package standard

import (
	"archive/zip"
	"bytes"
	"fmt"
	"html"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/maillage/maillage/catalogue"
)

// warningFor returns the warnings of the record with this id about field.
func warningFor(res *Result, id, field string) []string {
	var out []string
	for _, w := range res.Warnings {
		if w.ID == id && w.Field == field {
			out = append(out, w.Reason)
		}
	}
	return out
}

// A v0.1 city file with the defects of real files: two-digit years, ISO
// dates with a time, "+33 0…" phones, a lone "+", an e-mail ending with a
// dot, one without "@", hours in French. Every place is imported.
func TestReadStandardFileWithDefectsImportsEveryPlace(t *testing.T) {
	res := readFile(t, "testdata/producers/ville-v01-defauts.csv")
	if res.RejectedRows() != 0 || len(res.Records) != 4 || res.Drafts != 0 {
		t.Fatalf("%d valid, %d drafts, rejected %v; want 4 valid places", len(res.Records), res.Drafts, res.Rejected)
	}
	for _, c := range []struct {
		id, field string
		got, want any
	}{
		{"rezé-1", "date_maj", record(t, res, "rezé-1").Place.DateMaj, "2024-01-15"},
		{"rezé-1", "telephone", record(t, res, "rezé-1").Place.Telephone, "+33240048700"},
		{"rezé-1", "courriels", record(t, res, "rezé-1").Place.Courriels, []string{"mediatheque@mairie-reze.fr"}},
		{"rezé-1", "services", record(t, res, "rezé-1").Place.Services, []string{"Accès internet et matériel informatique", "Maîtrise des outils numériques du quotidien"}},
		{"rezé-2", "date_maj", record(t, res, "rezé-2").Place.DateMaj, "2024-01-15"},
		{"rezé-2", "telephone", record(t, res, "rezé-2").Place.Telephone, ""},
		{"rezé-2", "courriels", len(record(t, res, "rezé-2").Place.Courriels), 0},
		{"rezé-2", "horaires", record(t, res, "rezé-2").Place.Horaires, "Mo-Fr 09:00-12:00,14:00-17:00"},
		{"rezé-3", "date_maj", record(t, res, "rezé-3").Place.DateMaj, "2024-01-15"},
		{"rezé-3", "horaires", record(t, res, "rezé-3").Place.Horaires, ""},
		{"rezé-3", "presentation_detail", record(t, res, "rezé-3").Place.PresentationDetail, "Horaires : le mardi après-midi, sur rendez-vous"},
		{"rezé-4", "date_maj", record(t, res, "rezé-4").Place.DateMaj, "2024-01-15"},
		{"rezé-4", "telephone", record(t, res, "rezé-4").Place.Telephone, "+33240754652"},
	} {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %s = %q; want %q", c.id, c.field, c.got, c.want)
		}
	}
	// What was dropped is said, naming the line and the field.
	for _, c := range []struct{ id, field, want string }{
		{"rezé-2", "telephone", "numéro invalide « + »"},
		{"rezé-2", "courriels", "adresse électronique invalide « cyber.reze.mairie-reze.fr » : ignorée"},
		{"rezé-3", "horaires", "texte gardé dans presentation_detail"},
	} {
		if ws := warningFor(res, c.id, c.field); !slices.ContainsFunc(ws, func(w string) bool { return strings.Contains(w, c.want) }) {
			t.Errorf("%s: warnings on %s %q; want one saying %q", c.id, c.field, ws, c.want)
		}
	}
}

// The national France Services list: its own headers, hours in one
// column per day, no services column. Every place is imported as a
// draft, said once for the file.
func TestReadFranceServicesList(t *testing.T) {
	res := readFile(t, "testdata/producers/france-services-national.csv")
	if res.RejectedRows() != 0 || len(res.Records) != 4 || res.Drafts != 4 {
		t.Fatalf("%d valid, %d drafts, rejected %v; want 4 drafts", len(res.Records), res.Drafts, res.Rejected)
	}
	if !slices.Equal(res.NoColumn, []string{"services"}) {
		t.Errorf("NoColumn = %v; want [services]", res.NoColumn)
	}
	fileLevel := 0
	for _, w := range res.Warnings {
		if w.Field == "services" {
			if w.Record != 0 {
				t.Errorf("services warned for a record: %v", w)
			}
			fileLevel++
		}
	}
	if fileLevel != 1 {
		t.Errorf("%d warnings on services; want one for the file", fileLevel)
	}
	mapped := map[string]string{}
	for _, m := range res.Mapping {
		mapped[m.Field] = m.Column
	}
	for field, col := range map[string]string{"id": "id_fs", "nom": "lib_fs", "courriels": "mail", "horaires_lundi": "h_lundi", "horaires_samedi": "h_samedi"} {
		if mapped[field] != col {
			t.Errorf("mapping: %s ← %q; want %q", field, mapped[field], col)
		}
	}
	p := record(t, res, "FS-01-001").Place
	if p.Nom != "France services de Pont-de-Vaux" || p.Horaires != "Mo,Tu 09:00-12:00,13:30-17:00; We 09:00-12:00; Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00,13:30-16:00" ||
		p.DateMaj != "2024-01-15" || p.Telephone != "+33385300060" || !slices.Equal(p.ACompleter, []string{"services"}) {
		t.Errorf("FS-01-001 = %+v", p)
	}
	if p := record(t, res, "FS-07-012").Place; p.Telephone != "+33475350073" || !slices.Equal(p.Courriels, []string{"privas@france-services.gouv.fr"}) {
		t.Errorf("FS-07-012: phone %q, e-mails %q; want them repaired", p.Telephone, p.Courriels)
	}
	// Hours a day column cannot give: kept as text, with a warning.
	p = record(t, res, "FS-33-101").Place
	if p.Horaires != "" || !strings.Contains(p.PresentationDetail, "Lundi : sur rendez-vous") || len(warningFor(res, "FS-33-101", "horaires")) != 1 {
		t.Errorf("FS-33-101: horaires %q, detail %q", p.Horaires, p.PresentationDetail)
	}
}

// A department's spreadsheet: "Nom de l'organisation", a combined postal
// address, "Coord. X"/"Coord. Y", hours in French, v0.1 services.
func TestReadDepartmentSpreadsheet(t *testing.T) {
	res := readFile(t, "testdata/producers/departement-gironde.csv")
	if res.RejectedRows() != 0 || len(res.Records) != 4 || res.Drafts != 1 {
		t.Fatalf("%d valid, %d drafts, rejected %v; want 4, one a draft", len(res.Records), res.Drafts, res.Rejected)
	}
	if !slices.Equal(res.Unused, []string{"Observations internes"}) {
		t.Errorf("unused columns %q", res.Unused)
	}
	byName := map[string]*catalogue.Place{}
	for _, r := range res.Records {
		byName[r.Place.Nom] = r.Place
	}
	p := byName["Médiathèque de Cadillac"]
	if p == nil || p.Adresse != "8 rue du Cros" || p.CodePostal != "33410" || p.Commune != "Cadillac" ||
		*p.Latitude != 44.6372 || *p.Longitude != -0.3181 || p.Horaires != "Mo-Fr 10:00-12:00,14:00-17:00" ||
		p.StructureParente != "Commune de Cadillac" || p.DateMaj != "2024-03-12" || p.Draft() ||
		!slices.Equal(p.Services, []string{"Accès internet et matériel informatique", "Maîtrise des outils numériques du quotidien"}) {
		t.Errorf("Cadillac = %+v", p)
	}
	p = byName["Espace de vie sociale du Créonnais"]
	if p == nil || p.Adresse != "12, place de la Prévôté" || p.CodePostal != "33670" || p.Commune != "Créon" ||
		p.Horaires != "Tu 14:00-18:00; Th 14:00-18:00; Sa 09:30-12:00" {
		t.Errorf("Créon = %+v", p)
	}
	if p := byName["Point numérique de Langon"]; p == nil || p.Horaires != "" || !strings.Contains(p.PresentationDetail, "Horaires : Permanence un jeudi sur deux") {
		t.Errorf("Langon = %+v", p)
	}
	if p := byName["Tiers-lieu La Fabrique"]; p == nil || !slices.Equal(p.ACompleter, []string{"services"}) || p.CodePostal != "33540" {
		t.Errorf("La Fabrique = %+v; want a draft lacking services", p)
	}
}

func TestReadLambert93(t *testing.T) {
	res := readFile(t, "testdata/producers/lambert93-ville.csv")
	if len(res.Records) != 1 {
		t.Fatalf("rejected %v", res.Rejected)
	}
	p := res.Records[0].Place
	// The projection's origin: 46.5° N, 3° E.
	if *p.Latitude != 46.5 || *p.Longitude != 3 {
		t.Errorf("coordinates %v, %v; want 46.5, 3", *p.Latitude, *p.Longitude)
	}
	// The Eiffel Tower.
	if lat, lon := lambert93ToWGS84(648237, 6862271); lat != 48.858394 || lon != 2.294496 {
		t.Errorf("lambert93ToWGS84(648237, 6862271) = %v, %v; want 48.858394, 2.294496", lat, lon)
	}
}

// conseillersRows is a sheet in the shape of the national list of
// Conseillers numériques' places, with morning and afternoon columns.
var conseillersRows = [][]string{
	{"Nom de la structure", "SIRET structure", "Adresse", "Code postal", "Commune", "Latitude", "Longitude", "Téléphone",
		"Courriel", "Lundi matin", "Lundi après-midi", "Mercredi matin", "Mercredi après-midi", "Services", "Date de mise à jour"},
	{"Centre social Les Coteaux", "77567227200027", "3 rue des Coteaux", "68200", "Mulhouse", "47.7364", "7.3116", "389333333",
		"cnfs@coteaux.example", "9h-12h", "14h-17h", "9h00-12h00", "", "Prendre en main un smartphone ou une tablette", "45306"},
	{"Mairie de Bourg-en-Bresse", "21010053400017", "Place de l'Hôtel de Ville", "1000", "Bourg-en-Bresse", "46.2052", "5.2255", "",
		"numerique@bourgenbresse.example", "", "13:30-17:30", "", "", "", "15/01/24"},
}

func checkConseillers(t *testing.T, res *Result, format string) {
	t.Helper()
	if res.Format != format || res.RejectedRows() != 0 || len(res.Records) != 2 || res.Drafts != 1 {
		t.Fatalf("%s: %d valid, %d drafts, rejected %v; want 2, one a draft", res.Format, len(res.Records), res.Drafts, res.Rejected)
	}
	p := res.Records[0].Place
	if p.Nom != "Centre social Les Coteaux" || p.Pivot != "77567227200027" || p.Telephone != "+33389333333" ||
		p.Horaires != "Mo 09:00-12:00,14:00-17:00; We 09:00-12:00" || p.DateMaj != "2024-01-15" ||
		!slices.Equal(p.Services, []string{"Maîtrise des outils numériques du quotidien"}) || p.Draft() {
		t.Errorf("%s: first place %+v", format, p)
	}
	p = res.Records[1].Place
	if p.CodePostal != "01000" || p.Horaires != "Mo 13:30-17:30" || p.DateMaj != "2024-01-15" || !slices.Equal(p.ACompleter, []string{"services"}) {
		t.Errorf("%s: second place %+v", format, p)
	}
}

func TestReadXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range conseillersRows {
		cells := make([]any, len(row))
		for j, c := range row {
			cells[j] = c
		}
		if i > 0 {
			cells[7] = nil // the phone as a number, its 0 lost
			if row[7] != "" {
				cells[7] = 389333333
			}
			if row[14] == "45306" {
				cells[14] = 45306 // a date as the spreadsheet stores it
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2) // a blank first row, as spreadsheets have
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	res, err := Read(&buf, Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	checkConseillers(t, res, FormatXLSX)
}

// writeODS writes rows as the first table of a minimal ODS file, the
// way LibreOffice does: repeated empty cells, a repeated empty row.
func writeODS(rows [][]string) []byte {
	var content strings.Builder
	content.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="Lieux">`)
	for _, row := range rows {
		content.WriteString("<table:table-row>")
		for _, c := range row {
			switch {
			case c == "":
				content.WriteString(`<table:table-cell table:number-columns-repeated="1"/>`)
			case isDigits(c) && len(c) == 5 && c[0] == '4':
				fmt.Fprintf(&content, `<table:table-cell office:value-type="date" office:date-value="2024-01-15"><text:p>15/01/2024</text:p></table:table-cell>`)
			default:
				fmt.Fprintf(&content, `<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>`, html.EscapeString(c))
			}
		}
		content.WriteString(`<table:table-cell table:number-columns-repeated="1010"/></table:table-row>`)
	}
	content.WriteString(`<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>`)
	content.WriteString(`</table:table><table:table table:name="Notes"><table:table-row><table:table-cell><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	w.Write([]byte("application/vnd.oasis.opendocument.spreadsheet"))
	w, _ = zw.Create("content.xml")
	w.Write([]byte(content.String()))
	zw.Close()
	return buf.Bytes()
}

func TestReadODS(t *testing.T) {
	res, err := Read(bytes.NewReader(writeODS(conseillersRows)), Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	checkConseillers(t, res, FormatODS)
}

func TestReadMappingOverridesDetection(t *testing.T) {
	in := "Structure;Intitulé;Localité;Voie;CP\nCommune de Saint-Avit;Atelier numérique de Saint-Avit;Saint-Avit;1 place de la Mairie;40090\n"
	// Detected: "Structure" is the name; the mapping says "Intitulé" is.
	res, err := Read(strings.NewReader(in), Options{Today: today, Mapping: map[string]string{"nom": "Intitulé", "structure_parente": "Structure"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 1 {
		t.Fatalf("rejected %v", res.Rejected)
	}
	p := res.Records[0].Place
	if p.Nom != "Atelier numérique de Saint-Avit" || p.StructureParente != "Commune de Saint-Avit" || p.Commune != "Saint-Avit" || p.Adresse != "1 place de la Mairie" {
		t.Errorf("place %+v", p)
	}
	for _, bad := range []struct {
		mapping map[string]string
		want    string
	}{
		{map[string]string{"nom_du_lieu": "Intitulé"}, "« nom_du_lieu » n'est pas un champ du standard"},
		{map[string]string{"nom": "Libellé"}, "la colonne « Libellé » n'est pas dans le fichier"},
	} {
		if _, err := Read(strings.NewReader(in), Options{Today: today, Mapping: bad.mapping}); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("mapping %v: %v; want %q", bad.mapping, err, bad.want)
		}
	}
}

func TestReadFileWithoutNameColumnSaysSoOnce(t *testing.T) {
	in := "Adresse;Ville;Téléphone\n1 rue A;Lyon;0478000000\n2 rue B;Lyon;0478000001\n"
	_, err := Read(strings.NewReader(in), Options{Today: today})
	if err == nil || !strings.Contains(err.Error(), "aucune colonne ne donne le nom des lieux (nom)") || strings.Count(err.Error(), "nom") > 3 {
		t.Errorf("Read = %v; want one error naming the missing column", err)
	}
}

func TestHeaderField(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"nom_structure", "nom"}, {"lib_fs", "nom"}, {"Nom de l'organisation", "nom"}, {"ORGANISATION_NOM", "nom"}, {"Lieu", "nom"},
		{"adresse_commune", "commune"}, {"Adresse postale", colAdressePostale}, {"Coord. X", "longitude"}, {"Coord. Y", "latitude"},
		{"h_lundi", "horaires_lundi"}, {"Mardi matin", "horaires_mardi_matin"}, {"Vendredi après-midi", "horaires_vendredi_apres_midi"},
		{"codePostal", "code_postal"}, {"Code postal", "code_postal"}, {"E-mail", "courriels"}, {"Date de mise à jour", "date_maj"},
		{"Observations internes", ""},
	} {
		if got, _ := headerField(tc.header); got != tc.want {
			t.Errorf("headerField(%q) = %q; want %q", tc.header, got, tc.want)
		}
	}
}

// The testdata files are real-shaped: keep them readable as committed.
func TestProducerSamplesExist(t *testing.T) {
	for _, name := range []string{"ville-v01-defauts.csv", "france-services-national.csv", "departement-gironde.csv", "lambert93-ville.csv"} {
		if _, err := os.Stat("testdata/producers/" + name); err != nil {
			t.Error(err)
		}
	}
}

// BenchmarkReadProducerCSV detects the columns of a 25,000-row CSV in a
// producer's own shape (see cmd/maillage's producerCSV) and converts its
// records, repairs included.
func BenchmarkReadProducerCSV(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("Identifiant;Nom de l'organisation;Adresse postale;Coord. X;Coord. Y;Téléphone;Courriel;h_lundi;h_mardi;Horaires;Services proposés;Date de mise à jour\n")
	for i := range 25000 {
		hours := ""
		if i%3 == 0 {
			hours = "Lundi au vendredi de 10h à 12h et de 14h à 17h"
		}
		fmt.Fprintf(&buf, "org-%d;Espace numérique n° %d;%d rue de la République - %05d Commune;%.5f;%.5f;+3304%08d;contact%d@example.fr.;09:00 - 12:00 / 13:30 - 17:00;09:00 - 12:00;%s;Accéder à une connexion internet|Prendre en main un ordinateur;15/01/24\n",
			i, i, 1+i%200, 1000+i%95*1000, -1+float64(i%700)/100, 43+float64(i%500)/100, i, i, hours)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		res, err := Read(bytes.NewReader(data), Options{Today: today})
		if err != nil || len(res.Records) != 25000 {
			b.Fatalf("Read: %v, %d records, rejected %v", err, len(res.Records), res.RejectedRows())
		}
	}
}

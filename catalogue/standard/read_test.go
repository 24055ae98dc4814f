package standard

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
)

// referenceDir holds the national standard's examples and the Hinaura
// sample (see its README).
const referenceDir = "testdata/reference"

const today = "2026-03-02"

func readFile(t *testing.T, path string) *Result {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := Read(f, Options{Today: today})
	if err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	return res
}

func referenceFile(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join(referenceDir, name)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("reference sample not available: %v", err)
	}
	return path
}

// rejections lists the rejected records as "line field" (or "line" for
// the whole record).
func rejections(res *Result) []string {
	var out []string
	for _, is := range res.Rejected {
		out = append(out, strings.TrimSpace(fmt.Sprintf("%d %s", is.Line, is.Field)))
	}
	return out
}

func warningsOf(res *Result, line int) []string {
	var out []string
	for _, w := range res.Warnings {
		if w.Line == line {
			out = append(out, w.Field+": "+w.Reason)
		}
	}
	return out
}

func record(t *testing.T, res *Result, id string) Record {
	t.Helper()
	for _, r := range res.Records {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no valid record %q", id)
	return Record{}
}

func TestReadReferenceSamples(t *testing.T) {
	for _, tc := range []struct {
		file                   string
		format, version, delim string
		rows, valid, warnings  int
	}{
		{"samples/hinaura-lieux-v0.1-sample300.json", FormatJSON, Version01, "", 300, 300, 466},
		{"lieux-mediation-numerique.exemple-valide.v1.0.2.csv", FormatCSV, Version1, ",", 1, 1, 0},
		{"lieux-mediation-numerique.exemple-valide.v0.1.1.csv", FormatCSV, Version01, ",", 1, 1, 3},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			res := readFile(t, referenceFile(t, tc.file))
			got := fmt.Sprintf("%s %s %q rows=%d valid=%d rejected=%d warnings=%d", res.Format, res.Version, res.Delimiter,
				res.Rows, len(res.Records), res.RejectedRows(), len(res.Warnings))
			want := fmt.Sprintf("%s %s %q rows=%d valid=%d rejected=0 warnings=%d", tc.format, tc.version, tc.delim, tc.rows, tc.valid, tc.warnings)
			if got != want {
				t.Errorf("Read = %s; want %s\nrejected: %v", got, want, res.Rejected)
			}
		})
	}
}

func TestReadHinauraMapsV01OntoV1(t *testing.T) {
	res := readFile(t, referenceFile(t, "samples/hinaura-lieux-v0.1-sample300.json"))
	r := record(t, res, "0")
	p := r.Place
	checks := []struct {
		name      string
		got, want any
	}{
		{"services", p.Services, []string{"Accès internet et matériel informatique", "Aide aux démarches administratives"}},
		{"publics", p.Publics, []string{"Familles et/ou enfants", "Jeunes", "Seniors"}},
		{"prise en charge", p.PriseEnCharge, []string{"Surdité", "Handicaps mentaux", "Illettrisme", "Déficience visuelle"}},
		{"frais", p.Frais, []string{"Gratuit"}},
		{"accompagnement", p.ModalitesAccompagnement, []string{"Accompagnement individuel"}},
		{"detail", p.PresentationDetail, "Publics accueillis : Adultes"},
		{"pivot", p.Pivot, "00000000000000"},
		{"source", p.Source, "Hinaura"},
		{"line", r.Line, 2},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("record 0: %s = %v; want %v", c.name, c.got, c.want)
		}
	}
	if !slices.Contains(r.Fields, "prise_en_charge_specifique") || slices.Contains(r.Fields, "typologie") {
		t.Errorf("record 0 gives fields %v; want those of its columns, typologie not among them", r.Fields)
	}
}

func TestReadV01Example(t *testing.T) {
	res := readFile(t, referenceFile(t, "lieux-mediation-numerique.exemple-valide.v0.1.1.csv"))
	p := res.Records[0].Place
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"courriels", p.Courriels, []string{"contact@laquincaillerie.tl"}},
		{"services", p.Services, []string{"Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien"}},
		{"dispositifs", p.Dispositifs, []string{"France Services", "Point d'accès numérique CAF"}},
		{"autres labels", p.AutresLabels, []string{"APTIC", "SudLabs", "Nièvre médiation numérique"}},
		{"frais", p.Frais, []string{"Payant"}},
		{"fiche", p.FicheAccesLibre, "https://acceslibre.beta.gouv.fr/app/29-lampaul-plouarzel/a/bibliotheque-mediatheque/erp/mediatheque-13/"},
		{"accompagnement", p.ModalitesAccompagnement, []string{"En autonomie", "Accompagnement individuel"}},
	} {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s = %v; want %v", c.name, c.got, c.want)
		}
	}
	if !strings.Contains(p.PresentationDetail, "\n\nPublics accueillis : Adultes\nConditions d'accès : Accepte le Pass numérique") {
		t.Errorf("presentation_detail = %q; want the unmapped values at its end", p.PresentationDetail)
	}
}

func TestReadBrokenCSV(t *testing.T) {
	res := readFile(t, "testdata/broken-v1.csv")
	// Repair, don't reject: only the record without a name, the one whose
	// columns are shifted and the duplicate id are rejected.
	want := []string{"4 nom", "7", "8 id"}
	if got := rejections(res); !slices.Equal(got, want) {
		t.Errorf("rejected %q; want %q", got, want)
	}
	for _, is := range res.Rejected {
		if is.Reason == "" || is.Record == 0 {
			t.Errorf("rejection without reason or record: %+v", is)
		}
	}
	if res.Rows != 11 || len(res.Records) != 8 || res.RejectedRows() != 3 {
		t.Errorf("rows %d, valid %d, rejected %d; want 11, 8, 3", res.Rows, len(res.Records), res.RejectedRows())
	}
	if s := res.Rejected[0].String(); s != "ligne 4 (id « a3 ») : nom : champ obligatoire" {
		t.Errorf("first rejection reads %q", s)
	}
	if s := res.Rejected[1].Reason; !strings.Contains(s, "19 colonnes au lieu de 18") {
		t.Errorf("line 7 rejected for %q; want the column count", s)
	}
	// What breaks a rule is dropped with a warning naming the line and
	// the field, or makes the place a draft when the standard requires it.
	for _, c := range []struct {
		id, warning string
		ok          func(p *catalogue.Place) bool
	}{
		{"a2", "ligne 3 (id « a2 ») : code_postal : 5 chiffres attendus, « 130 » reçu : valeur ignorée, lieu importé comme brouillon « à compléter »",
			func(p *catalogue.Place) bool {
				return p.CodePostal == "" && slices.Contains(p.ACompleter, "code_postal")
			}},
		{"a4", "ligne 5 (id « a4 ») : latitude : nombre attendu, « quarante-trois » reçu : ignoré",
			func(p *catalogue.Place) bool { return p.Latitude == nil && p.Longitude == nil }},
		{"a5", "ligne 6 (id « a5 ») : courriels : adresse électronique invalide « pas-une-adresse » : ignorée",
			func(p *catalogue.Place) bool { return len(p.Courriels) == 0 }},
		{"a8", "ligne 11 (id « a8 ») : telephone : numéro invalide « 12 » (attendu : +33 suivi de 9 chiffres, ou un indicatif d'outre-mer) : numéro ignoré",
			func(p *catalogue.Place) bool { return p.Telephone == "" }},
		{"a9", "ligne 13 (id « a9 ») : date_maj : date invalide « 2026-13-45 » (attendu : AAAA-MM-JJ) : date du jour utilisée (" + today + ")",
			func(p *catalogue.Place) bool { return p.DateMaj == today }},
	} {
		p := record(t, res, c.id).Place
		if !c.ok(p) {
			t.Errorf("%s not repaired: %+v", c.id, p)
		}
		found := false
		for _, w := range res.Warnings {
			found = found || w.String() == c.warning
		}
		if !found {
			t.Errorf("no warning %q", c.warning)
		}
	}

	// Line 9, messy but clear.
	a7 := record(t, res, "a7")
	p := a7.Place
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"line", a7.Line, 9},
		{"nom", p.Nom, "Espace numérique d’Arles"},
		{"code_postal", p.CodePostal, "01000"},
		{"latitude", *p.Latitude, 43.6766},
		{"telephone", p.Telephone, "+33490493636"},
		{"site_web", p.SiteWeb, []string{"https://www.arles.example"}},
		{"services", p.Services, []string{"Aide aux démarches administratives"}},
		{"modalites_acces", p.ModalitesAcces, []string{"Ce lieu n'accueille pas de public"}},
		{"presentation_detail", p.PresentationDetail, "Un accueil\nsur deux lignes.\n\nServices : Jardinage"},
		{"date_maj", p.DateMaj, "2026-01-05"},
	} {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("a7: %s = %q; want %q", c.name, c.got, c.want)
		}
	}
	wantWarn := []string{
		"code_postal: « 1000 » a 4 chiffres : lu comme 01000",
		"site_web: « www.arles.example » sans http:// ni https:// : https:// ajouté",
		"services: « Jardinage » n'a pas d'équivalent dans le standard v1.0.2 : gardé dans presentation_detail",
	}
	if got := warningsOf(res, 9); !slices.Equal(got, wantWarn) {
		t.Errorf("warnings of line 9:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantWarn, "\n"))
	}

	// Line 14 is short and has no date: read, with two warnings, and its
	// fields say the date is not the file's.
	a10 := record(t, res, "a10")
	if got := warningsOf(res, 14); len(got) != 3 || !strings.Contains(got[0], "17 colonnes au lieu de 18") || !strings.HasPrefix(got[1], "date_maj: absente") ||
		!strings.HasPrefix(got[2], "services: absent : lieu importé comme brouillon") {
		t.Errorf("warnings of line 14: %q", got)
	}
	if a10.Place.DateMaj != today || slices.Contains(a10.Fields, "date_maj") {
		t.Errorf("a10: date_maj %s, fields %v; want today, without date_maj", a10.Place.DateMaj, a10.Fields)
	}
}

func TestReadWindows1252SemicolonV01(t *testing.T) {
	res := readFile(t, "testdata/v01-windows1252.csv")
	if res.Encoding != EncodingWindows1252 || res.Delimiter != ";" || res.Version != Version01 || len(res.Records) != 2 {
		t.Fatalf("Read = %s %q %s, %d valid, rejected %v", res.Encoding, res.Delimiter, res.Version, len(res.Records), res.Rejected)
	}
	p := record(t, res, "1").Place
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"nom", p.Nom, "Médiathèque Émile Zola"},
		{"adresse", p.Adresse, "218 boulevard de l’Aéroport International"},
		{"pivot", p.Pivot, "00000000000000"},
		{"telephone", p.Telephone, "+33467345000"},
		{"services", p.Services, []string{"Accès internet et matériel informatique", "Utilisation sécurisée du numérique",
			"Loisirs et créations numériques", "Compréhension du monde numérique"}},
		{"publics", p.Publics, []string{"Seniors"}},
		{"prise en charge", p.PriseEnCharge, []string{"Langues étrangères (anglais)", "Langues étrangères (autres)"}},
		{"frais", p.Frais, []string{"Gratuit"}},
		{"dispositifs", p.Dispositifs, []string{"Conseillers numériques"}},
		{"formations", p.FormationsLabels, []string{"Fabriques de Territoire"}},
		{"autres labels", p.AutresLabels, []string{"APTIC", "Label régional"}},
		{"accompagnement", p.ModalitesAccompagnement, []string{"En autonomie"}},
		{"fiche", p.FicheAccesLibre, ""},
		{"detail", p.PresentationDetail, "Publics accueillis : Adultes ; Handicaps psychiques : troubles psychiatriques donnant lieu à des atteintes comportementales\n" +
			"Conditions d'accès : Adhésion : L'accès au lieu et/ou à ses services nécessite d'y adhérer\n" +
			"Modalités d'accompagnement : A ma place : une personne habilitée fait les démarches à ma place\n" +
			"Accessibilité : Accessible en fauteuil"},
	} {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("record 1: %s = %q; want %q", c.name, c.got, c.want)
		}
	}
	p2 := record(t, res, "2").Place
	if fmt.Sprint(p2.Courriels) != "[accueil@oeuvre.example direction@oeuvre.example]" || p2.Nom != "Espace numérique Œuvre" ||
		p2.FicheAccesLibre != "https://acceslibre.beta.gouv.fr/erp/oeuvre/" || fmt.Sprint(p2.Dispositifs) != "[France Services]" {
		t.Errorf("record 2: %+v", p2)
	}
	// Every unmapped value is reported, and the unknown column too.
	var unmapped []string
	for _, w := range res.Warnings {
		if strings.Contains(w.Reason, "gardé dans") {
			unmapped = append(unmapped, w.Field)
		}
	}
	if want := "[publics_accueillis publics_accueillis conditions_acces labels_nationaux modalites_accompagnement accessibilite]"; fmt.Sprint(unmapped) != want {
		t.Errorf("unmapped values reported for %v; want %s", unmapped, want)
	}
	if !slices.Equal(res.Unused, []string{"Colonne perso"}) {
		t.Errorf("unused columns %q; want the unknown column", res.Unused)
	}
}

func TestReadNationalAPIShape(t *testing.T) {
	res := readFile(t, "testdata/api-shape.json")
	if res.Format != FormatJSON || len(res.Records) != 2 || res.RejectedRows() != 0 {
		t.Fatalf("Read = %s, %d valid, rejected %v", res.Format, len(res.Records), res.Rejected)
	}
	r := record(t, res, "Hinaura_42")
	p := r.Place
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"line", r.Line, 3},
		{"pivot", p.Pivot, "43493312300029"},
		{"nom", p.Nom, "Maison France Services"},
		{"adresse", p.Adresse, "3 bis rue de la Paix"},
		{"code_postal", p.CodePostal, "01000"},
		{"code_insee", p.CodeINSEE, "01053"},
		{"commune", p.Commune, "Bourg-en-Bresse"},
		{"typologie", p.Typologie, []string{"RFS", "MUNI"}},
		{"telephone", p.Telephone, "+33474000000"},
		{"publics", p.Publics, []string{"Seniors"}},
		{"prise en charge", p.PriseEnCharge, []string{"Surdité", "Langues étrangères (anglais)", "Langues étrangères (autres)"}},
		{"formations", p.FormationsLabels, []string{"Étapes numériques(La Poste)"}},
		{"modalites_acces", p.ModalitesAcces, []string{"Ce lieu n'accueille pas de public"}},
		{"date_maj", p.DateMaj, "2024-05-01"},
		{"detail", p.PresentationDetail, "Autres téléphones : 04 74 00 00 01"},
	} {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("Hinaura_42: %s = %q; want %q", c.name, c.got, c.want)
		}
	}
	if w := warningsOf(res, 3); len(w) != 2 || !strings.HasPrefix(w[0], "telephone:") || !strings.HasPrefix(w[1], "mediateurs:") {
		t.Errorf("warnings of Hinaura_42: %q; want the second phone and the mediators", w)
	}
	bus := record(t, res, "43").Place
	if bus.Latitude != nil || bus.Itinerance[0] != "Itinérant" || len(bus.Services) != 2 {
		t.Errorf("record 43: %+v", bus)
	}
}

func TestReadBrokenJSON(t *testing.T) {
	res := readFile(t, "testdata/broken.json")
	// A short pivot becomes the unknown one; a place without an address
	// is a draft, its lone latitude dropped.
	want := []string{"3", "7 id", "8 nom"}
	if got := rejections(res); !slices.Equal(got, want) {
		t.Errorf("rejected %q; want %q", got, want)
	}
	if len(res.Records) != 3 || res.Rows != 6 || res.RejectedRows() != 3 || res.Drafts != 3 {
		t.Errorf("rows %d, valid %d, rejected %d, drafts %d; want 6, 3, 3, 3", res.Rows, len(res.Records), res.RejectedRows(), res.Drafts)
	}
	if p := record(t, res, "b4").Place; !slices.Contains(p.ACompleter, "adresse") || p.Latitude != nil {
		t.Errorf("b4 = %+v; want a draft lacking its address, without its lone latitude", p)
	}
	if s := res.Rejected[0].String(); s != "enregistrement 2 (ligne 3) : objet JSON attendu, texte reçu" {
		t.Errorf("first rejection reads %q", s)
	}
}

func TestReadUnclosedQuote(t *testing.T) {
	res := readFile(t, "testdata/unclosed-quote.csv")
	if got := rejections(res); !slices.Equal(got, []string{"4 nom"}) || len(res.Records) != 2 {
		t.Fatalf("rejected %q, %d valid; want line 4 rejected, 2 valid", got, len(res.Records))
	}
	if r := res.Rejected[0].Reason; !strings.Contains(r, "guillemet non fermé ? les lignes 4 à 5") {
		t.Errorf("reason %q", r)
	}
}

func TestReadUnreadableFiles(t *testing.T) {
	for _, tc := range []struct{ name, input, want string }{
		{"truncated JSON", "testdata/truncated.json", "JSON incomplet : le fichier s'arrête ligne 4"},
		{"broken JSON", "[\n{\"id\": \"t1\",\n \"nom\" \"EPN\"}]", "JSON invalide ligne 3"},
		{"no header", "testdata/no-header.csv", "aucune colonne ne donne le nom des lieux"},
		{"empty", "", "fichier vide"},
		{"JSON without places", `{"hello": "world"}`, "JSON sans liste de lieux"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var in *strings.Reader
			if data, err := os.ReadFile(tc.input); err == nil {
				in = strings.NewReader(string(data))
			} else {
				in = strings.NewReader(tc.input)
			}
			_, err := Read(in, Options{Today: today})
			if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Read = %v; want ErrFormat saying %q", err, tc.want)
			}
		})
	}
}

func TestReadEncodingsAndShapes(t *testing.T) {
	const csv = "id\tnom\tadresse\tcode_postal\tcommune\tpivot\tdate_maj\r\nx1\tMédiathèque\t1 rue A\t75001\tParis\t43493312300029\t2024-01-01\r\n"
	utf16le := []byte{0xFF, 0xFE}
	for _, r := range csv {
		utf16le = append(utf16le, byte(r), byte(r>>8))
	}
	for _, tc := range []struct {
		name, input, encoding string
	}{
		{"UTF-8 with BOM, tabs", "\ufeff" + csv, EncodingUTF8BOM},
		{"UTF-16", string(utf16le), EncodingUTF16},
		{"GeoJSON", `{"type":"FeatureCollection","features":[{"type":"Feature","id":"x1","geometry":{"type":"Point","coordinates":[2.35,48.85]},
			"properties":{"nom":"Médiathèque","adresse":"1 rue A","code_postal":"75001","commune":"Paris","pivot":"43493312300029","date_maj":"2024-01-01"}}]}`, EncodingUTF8},
		{"single object", `{"id":"x1","nom":"Médiathèque","adresse":"1 rue A","code_postal":75001,"commune":"Paris","pivot":"43493312300029","date_maj":"2024-01-01"}`, EncodingUTF8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Read(strings.NewReader(tc.input), Options{Today: today})
			if err != nil {
				t.Fatal(err)
			}
			if res.Encoding != tc.encoding || len(res.Records) != 1 || res.Records[0].ID != "x1" || res.Records[0].Place.Nom != "Médiathèque" {
				t.Errorf("Read = %s, %d valid, rejected %v", res.Encoding, len(res.Records), res.Rejected)
			}
		})
	}
}

func TestCanonicalKey(t *testing.T) {
	for in, want := range map[string]string{
		"Code postal": "code_postal", " CODE_POSTAL ": "code_postal", "code-postal": "code_postal", "Adresse": "adresse",
		"Publics spécifiquement adressés": "publics_specifiquement_adresses", "\ufeffid": "id", "E-mail": "courriels",
		"Frais à charge": "frais_a_charge", "Conditions d'accès": "conditions_acces", "Téléphone": "telephone",
	} {
		if got := canonicalKey(in); got != want {
			t.Errorf("canonicalKey(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestEveryOldServiceMaps(t *testing.T) {
	old := []string{
		"Devenir autonome dans les démarches administratives", "Réaliser des démarches administratives avec un accompagnement",
		"Prendre en main un smartphone ou une tablette", "Prendre en main un ordinateur", "Utiliser le numérique au quotidien",
		"Approfondir ma culture numérique", "Favoriser mon insertion professionnelle", "Accéder à une connexion internet",
		"Accéder à du matériel", "S'équiper en matériel informatique", "Créer et développer mon entreprise",
		"Créer avec le numérique", "Accompagner les démarches de santé", "Promouvoir la citoyenneté numérique",
		"Soutenir la parentalité et l'éducation avec le numérique",
	}
	for _, s := range old {
		ts := groupServices.resolve(s)
		if len(ts) == 0 {
			t.Errorf("v0.1 service %q maps to nothing", s)
		}
		for _, tg := range ts {
			if !tg.enum.Has(tg.value) {
				t.Errorf("v0.1 service %q maps to %q, not a v1 service", s, tg.value)
			}
		}
	}
}

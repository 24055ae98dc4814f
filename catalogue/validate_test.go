package catalogue

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func validPlace() *Place {
	lat, lon := 43.2965, 5.3698
	return &Place{
		Pivot: "12345678900012", Nom: "Médiathèque de l'Alcazar", Adresse: "58 cours Belsunce",
		CodePostal: "13001", Commune: "Marseille", CodeINSEE: "13201",
		Latitude: &lat, Longitude: &lon, DateMaj: "2026-11-02",
		Services: []string{"Aide aux démarches administratives"},
	}
}

func TestPlaceValidation(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	long := strings.Repeat("é", 281)
	cases := []struct {
		name  string
		edit  func(p *Place)
		field string // "" when the place stays valid
	}{
		{"valid", func(p *Place) {}, ""},
		{"pivot missing", func(p *Place) { p.Pivot = "" }, "pivot"},
		{"pivot too short", func(p *Place) { p.Pivot = "12345678" }, "pivot"},
		{"pivot with symbols", func(p *Place) { p.Pivot = "123-456-789" }, "pivot"},
		{"pivot RNA", func(p *Place) { p.Pivot = "W133000000" }, ""},
		{"pivot SIRET with spaces", func(p *Place) { p.Pivot = "123 456 789 00012" }, ""},
		{"nom missing", func(p *Place) { p.Nom = "  " }, "nom"},
		{"nom too long", func(p *Place) { p.Nom = strings.Repeat("a", 501) }, "nom"},
		{"adresse missing", func(p *Place) { p.Adresse = "" }, "adresse"},
		{"commune missing", func(p *Place) { p.Commune = "" }, "commune"},
		{"code_postal missing", func(p *Place) { p.CodePostal = "" }, "code_postal"},
		{"code_postal four digits", func(p *Place) { p.CodePostal = "1300" }, "code_postal"},
		{"code_postal letters", func(p *Place) { p.CodePostal = "13OO1" }, "code_postal"},
		{"code_insee bad", func(p *Place) { p.CodeINSEE = "20001" }, "code_insee"},
		{"code_insee Corsica lower case", func(p *Place) { p.CodeINSEE = "2a004" }, ""},
		{"code_insee overseas", func(p *Place) { p.CodeINSEE = "97411" }, ""},
		{"date_maj missing", func(p *Place) { p.DateMaj = "" }, "date_maj"},
		{"date_maj French order", func(p *Place) { p.DateMaj = "02/11/2026" }, "date_maj"},
		{"date_maj impossible", func(p *Place) { p.DateMaj = "2026-02-30" }, "date_maj"},
		{"date_maj timestamp", func(p *Place) { p.DateMaj = "2026-11-02T10:00:00Z" }, ""},
		{"latitude alone", func(p *Place) { p.Longitude = nil }, "longitude"},
		{"longitude alone", func(p *Place) { p.Latitude = nil }, "latitude"},
		{"no coordinates", func(p *Place) { p.Latitude, p.Longitude = nil, nil }, ""},
		{"latitude out of range", func(p *Place) { p.Latitude = f(91) }, "latitude"},
		{"longitude out of range", func(p *Place) { p.Longitude = f(-181) }, "longitude"},
		{"telephone national", func(p *Place) { p.Telephone = "04 91 55 90 00" }, ""},
		{"telephone Réunion", func(p *Place) { p.Telephone = "0262 12 34 56" }, ""},
		{"telephone short", func(p *Place) { p.Telephone = "+3312" }, "telephone"},
		{"telephone foreign", func(p *Place) { p.Telephone = "+4412345678" }, "telephone"},
		{"courriels bad", func(p *Place) { p.Courriels = []string{"contact@mairie.fr", "pas une adresse"} }, "courriels"},
		{"courriels with name", func(p *Place) { p.Courriels = []string{"Mairie <contact@mairie.fr>"} }, "courriels"},
		{"site_web without scheme", func(p *Place) { p.SiteWeb = []string{"www.mairie.fr"} }, "site_web"},
		{"site_web javascript", func(p *Place) { p.SiteWeb = []string{"javascript:alert(1)"} }, "site_web"},
		{"fiche_acces_libre bad", func(p *Place) { p.FicheAccesLibre = "acceslibre" }, "fiche_acces_libre"},
		{"prise_rdv bad", func(p *Place) { p.PriseRDV = "ftp://rdv.example" }, "prise_rdv"},
		{"presentation_resume 281 runes", func(p *Place) { p.PresentationResume = long }, "presentation_resume"},
		{"presentation_resume 280 runes", func(p *Place) { p.PresentationResume = long[2:] }, ""},
		{"typologie unknown", func(p *Place) { p.Typologie = []string{"EPN", "CYBERBASE"} }, "typologie"},
		{"typologie by label", func(p *Place) { p.Typologie = []string{"epn"} }, ""},
		{"services unknown", func(p *Place) { p.Services = []string{"Réparation de vélos"} }, "services"},
		{"publics unknown", func(p *Place) { p.Publics = []string{"Retraités"} }, "publics_specifiquement_adresses"},
		{"prise_en_charge unknown", func(p *Place) { p.PriseEnCharge = []string{"Dyslexie"} }, "prise_en_charge_specifique"},
		{"frais unknown", func(p *Place) { p.Frais = []string{"Adhésion"} }, "frais_a_charge"},
		{"dispositifs unknown", func(p *Place) { p.Dispositifs = []string{"Pass numérique"} }, "dispositif_programmes_nationaux"},
		{"formations_labels unknown", func(p *Place) { p.FormationsLabels = []string{"Label inventé"} }, "formations_labels"},
		{"modalites_acces unknown", func(p *Place) { p.ModalitesAcces = []string{"Écrire une lettre"} }, "modalites_acces"},
		{"modalites_accompagnement unknown", func(p *Place) { p.ModalitesAccompagnement = []string{"Par pigeon"} }, "modalites_accompagnement"},
		{"itinerance unknown", func(p *Place) { p.Itinerance = []string{"Mobile"} }, "itinerance"},
		{"champs_intervention unknown", func(p *Place) { p.ChampsIntervention = []string{"Robotique"} }, "champs_intervention"},
		{"repeated equipements are merged", func(p *Place) { p.Equipements = slices.Repeat([]string{"Imprimante"}, 60) }, ""},
		{"too many equipements", func(p *Place) {
			for i := range 51 {
				p.Equipements = append(p.Equipements, fmt.Sprint("Poste ", i))
			}
		}, "equipements"},
		{"unparseable hours are kept", func(p *Place) { p.Horaires = "le mardi matin" }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := validPlace()
			c.edit(p)
			p.Normalize()
			err := p.Validate()
			var verr *ValidationError
			switch {
			case c.field == "" && err != nil:
				t.Fatalf("Validate() = %v; want nil", err)
			case c.field == "":
			case !errors.As(err, &verr):
				t.Fatalf("Validate() = %v; want a ValidationError naming %s", err, c.field)
			case verr.Fields[c.field] == "" || len(verr.Fields) != 1:
				t.Fatalf("Validate() fields = %v; want only %s", verr.Fields, c.field)
			}
		})
	}
}

func TestPlaceNormalize(t *testing.T) {
	p := validPlace()
	p.Services = []string{" aide aux demarches  administratives ", "Comprehension du monde numérique", "Aide aux démarches administratives"}
	p.ModalitesAcces = []string{"Ce lieu n’accueille pas de public"}
	p.FormationsLabels = []string{"Étapes numériques (La Poste)"}
	p.PriseEnCharge = []string{"Langues étrangères"}
	p.Typologie = []string{"Bibliothèque / Médiathèque", "rfs"}
	p.Telephone = "04.91.55.90.00"
	p.Horaires = "Lundi 9h-12h"
	p.Normalize()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"services":      {"Aide aux démarches administratives", "Compréhension du monde numérique"},
		"acces":         {"Ce lieu n'accueille pas de public"},
		"labels":        {"Étapes numériques(La Poste)"},
		"prise":         {"Langues étrangères (anglais)", "Langues étrangères (autres)"},
		"typologie":     {"BIB", "RFS"},
		"telephone":     {"+33491559000"},
		"horaires kept": {"Lundi 9h-12h"},
	}
	got := map[string][]string{
		"services": p.Services, "acces": p.ModalitesAcces, "labels": p.FormationsLabels,
		"prise": p.PriseEnCharge, "typologie": p.Typologie, "telephone": {p.Telephone},
		"horaires kept": {p.Horaires},
	}
	for k := range want {
		if !slices.Equal(got[k], want[k]) {
			t.Errorf("%s = %q; want %q", k, got[k], want[k])
		}
	}
	if p.HoursError == "" {
		t.Error("French hours give no horaires_erreur")
	}
}

func TestEnumCanonical(t *testing.T) {
	for _, e := range []*Enum{Services, Publics, PrisesEnCharge, Frais, Dispositifs, FormationsLabels,
		ModalitesAcces, ModalitesAccompagnement, Itinerances, ChampsIntervention, Typologies} {
		for _, v := range e.Values {
			for _, spelling := range []string{v, strings.ToUpper(v), Fold(v), strings.ReplaceAll(v, " ", "  ")} {
				if c, ok := e.Canonical(spelling); !ok || c != v {
					t.Errorf("%s: Canonical(%q) = %q, %v; want %q", e.Field, spelling, c, ok, v)
				}
			}
		}
	}
	if _, ok := Services.Canonical("Aide"); ok {
		t.Error("a prefix of a value is accepted")
	}
	if TypologieLabel("EPN") == "" || TypologieLabel("NOPE") != "" {
		t.Error("TypologieLabel")
	}
	if len(Typologies.Values) != 96 {
		t.Errorf("%d typology codes; want the 96 of the standard's list", len(Typologies.Values))
	}
}

func TestDepartement(t *testing.T) {
	for _, c := range []struct{ insee, postal, want string }{
		{"13055", "13001", "13"}, {"", "13001", "13"}, {"2A004", "20000", "2A"}, {"", "20000", "2A"},
		{"", "20200", "2B"}, {"97411", "97400", "974"}, {"", "97400", "974"}, {"", "", ""},
	} {
		p := Place{CodeINSEE: c.insee, CodePostal: c.postal}
		if got := p.Departement(); got != c.want {
			t.Errorf("Departement(%q, %q) = %q; want %q", c.insee, c.postal, got, c.want)
		}
	}
}

func validEvent() *Event {
	start := time.Date(2026, 12, 2, 14, 0, 0, 0, Paris)
	return &Event{Nom: "Atelier smartphone", Debut: start, Fin: start.Add(2 * time.Hour), Lieu: "abc"}
}

func TestEventValidation(t *testing.T) {
	neg := -1
	cases := []struct {
		name  string
		edit  func(e *Event)
		field string
	}{
		{"valid", func(e *Event) {}, ""},
		{"nom missing", func(e *Event) { e.Nom = "" }, "nom"},
		{"lieu missing", func(e *Event) { e.Lieu = "" }, "lieu"},
		{"debut missing", func(e *Event) { e.Debut = time.Time{} }, "debut"},
		{"fin missing", func(e *Event) { e.Fin = time.Time{} }, "fin"},
		{"fin before debut", func(e *Event) { e.Fin = e.Debut.Add(-time.Hour) }, "fin"},
		{"fin equals debut", func(e *Event) { e.Fin = e.Debut }, "fin"},
		{"too long", func(e *Event) { e.Fin = e.Debut.Add(32 * 24 * time.Hour) }, "fin"},
		{"inscription not a URL", func(e *Event) { e.Inscription = "par téléphone" }, "inscription"},
		{"capacite negative", func(e *Event) { e.Capacite = &neg }, "capacite"},
		{"services unknown", func(e *Event) { e.Services = []string{"Jardinage"} }, "services"},
		{"publics from both lists", func(e *Event) { e.Publics = []string{"seniors", "Surdité"} }, ""},
		{"publics unknown", func(e *Event) { e.Publics = []string{"Chats"} }, "publics"},
		{"frais unknown", func(e *Event) { e.Frais = []string{"Adhésion"} }, "frais_a_charge"},
		{"statut unknown", func(e *Event) { e.Statut = "reporté" }, "statut"},
		{"statut accented", func(e *Event) { e.Statut = "Annulé" }, ""},
		{"recurrence weekly", func(e *Event) { e.Recurrence = "RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=10" }, ""},
		{"recurrence garbage", func(e *Event) { e.Recurrence = "tous les mercredis" }, "recurrence"},
		{"recurrence hourly", func(e *Event) { e.Recurrence = "FREQ=HOURLY" }, "recurrence"},
		{"recurrence byhour", func(e *Event) { e.Recurrence = "FREQ=DAILY;BYHOUR=9,14" }, "recurrence"},
		{"recurrence with dtstart", func(e *Event) { e.Recurrence = "DTSTART:20260101T100000Z\nRRULE:FREQ=DAILY" }, "recurrence"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := validEvent()
			c.edit(e)
			e.Normalize()
			err := e.Validate()
			var verr *ValidationError
			switch {
			case c.field == "" && err != nil:
				t.Fatalf("Validate() = %v; want nil", err)
			case c.field == "":
			case !errors.As(err, &verr):
				t.Fatalf("Validate() = %v; want a ValidationError naming %s", err, c.field)
			case verr.Fields[c.field] == "" || len(verr.Fields) != 1:
				t.Fatalf("Validate() fields = %v; want only %s", verr.Fields, c.field)
			}
		})
	}
}

func TestEventNormalizeSanitizes(t *testing.T) {
	e := validEvent()
	e.Description = `<p onclick="x()">Venez <strong>nombreux</strong><script>alert(1)</script> <a href="javascript:evil()">ici</a> <a href="https://ex.fr/">là</a></p>`
	e.Normalize()
	for _, bad := range []string{"script", "onclick", "javascript"} {
		if strings.Contains(e.Description, bad) {
			t.Errorf("description keeps %q: %s", bad, e.Description)
		}
	}
	for _, good := range []string{"<strong>nombreux</strong>", `href="https://ex.fr/"`} {
		if !strings.Contains(e.Description, good) {
			t.Errorf("description lost %q: %s", good, e.Description)
		}
	}
	if e.Statut != StatusScheduled {
		t.Errorf("default statut = %q", e.Statut)
	}
}

// TestSanitizeHTMLTwice: sanitising a sanitised description changes
// nothing, so a reader may leave it to Normalize.
func TestSanitizeHTMLTwice(t *testing.T) {
	for _, s := range []string{
		"<p>Découvrir sa messagerie.</p>",
		`<a href="javascript:alert(1)">x</a>`,
		`<a href="https://example.org" rel="me" target="_self">lien</a>`,
		`<a href="/relatif">lien</a>`,
		"&lt;script&gt;alert(1)&lt;/script&gt;",
		"<scr<script>ipt>alert(1)</script>",
		"<style>p{}</style>texte",
		"<p>a<br>b</p><ul><li>un<li>deux</ul>",
		"<b><i>mal fermé</b></i>",
		"<img src=x onerror=alert(1)>",
		"<!-- commentaire -->x",
		"&amp;lt;&#0;&nbsp;",
		"<<p>>",
		`<p title="&quot;">x</p>`,
	} {
		once := SanitizeHTML(s)
		if twice := SanitizeHTML(once); twice != once {
			t.Errorf("SanitizeHTML(%q) = %q; SanitizeHTML of that = %q", s, once, twice)
		}
	}
}

func TestServicesAcceptV01Names(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Prendre en main un smartphone ou une tablette", []string{"Maîtrise des outils numériques du quotidien"}},
		{"prendre en main un SMARTPHONE ou une tablette", []string{"Maîtrise des outils numériques du quotidien"}},
		{"Approfondir ma culture numérique", []string{"Utilisation sécurisée du numérique", "Loisirs et créations numériques", "Compréhension du monde numérique"}},
		{"Aide aux demarches administratives", []string{"Aide aux démarches administratives"}},
		{"Jardinage", nil},
	} {
		if got := Services.CanonicalAll(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Services.CanonicalAll(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
	if c, ok := Dispositifs.Canonical("CNFS"); !ok || c != "Conseillers numériques" {
		t.Errorf("Dispositifs.Canonical(CNFS) = %q, %v", c, ok)
	}
	if c, ok := Publics.Canonical("Seniors (+ 65 ans)"); !ok || c != "Seniors" {
		t.Errorf("Publics.Canonical(Seniors (+ 65 ans)) = %q, %v", c, ok)
	}
	p := &Place{Services: []string{"Approfondir ma culture numérique", "Accéder à du matériel"}}
	p.Normalize()
	if len(p.Services) != 4 {
		t.Errorf("Normalize: services %q; want the four v1 services", p.Services)
	}
}

func TestDraftValidation(t *testing.T) {
	lat, lon := 45.0, 5.0
	for _, tc := range []struct {
		name string
		p    Place
		bad  []string
	}{
		{"draft lacking services and address", Place{Pivot: "00000000000000", Nom: "EPN", CodePostal: "69001", Commune: "Lyon", DateMaj: "2026-01-01",
			ACompleter: []string{"services", "adresse"}}, nil},
		{"draft with coordinates, no commune", Place{Pivot: "00000000000000", Nom: "EPN", DateMaj: "2026-01-01", Latitude: &lat, Longitude: &lon,
			ACompleter: []string{"adresse", "code_postal", "commune"}}, nil},
		{"draft without commune nor coordinates", Place{Pivot: "00000000000000", Nom: "EPN", DateMaj: "2026-01-01",
			ACompleter: []string{"adresse", "code_postal", "commune"}}, []string{"commune"}},
		{"draft without a name", Place{Pivot: "00000000000000", Commune: "Lyon", CodePostal: "69001", DateMaj: "2026-01-01",
			ACompleter: []string{"adresse"}}, []string{"nom"}},
		{"a name is no draft field", Place{Pivot: "00000000000000", Nom: "EPN", Adresse: "1 rue A", CodePostal: "69001", Commune: "Lyon", DateMaj: "2026-01-01",
			ACompleter: []string{"nom"}}, []string{"a_completer"}},
	} {
		var got []string
		var verr *ValidationError
		if err := tc.p.Validate(); errors.As(err, &verr) {
			for f := range verr.Fields {
				got = append(got, f)
			}
			slices.Sort(got)
		}
		if !slices.Equal(got, tc.bad) {
			t.Errorf("%s: Validate fails on %v; want %v", tc.name, got, tc.bad)
		}
	}
	// Normalize drops what is given since.
	p := Place{Adresse: "1 rue A", ACompleter: []string{"adresse", "services"}}
	p.Normalize()
	if !slices.Equal(p.ACompleter, []string{"services"}) || !p.Draft() {
		t.Errorf("Normalize: a_completer %v; want [services]", p.ACompleter)
	}
}

package communes

import (
	"math"
	"testing"

	"github.com/maillage/maillage/catalogue"
)

func TestEmbeddedListHasEveryCommune(t *testing.T) {
	l := France()
	if n := l.Len(); n < 34900 || n > 36000 {
		t.Fatalf("Len() = %d; want about 35,000 communes", n)
	}
	withCentre, metro := 0, 0
	l.All(func(c *Commune) bool {
		if c.HasCentre {
			withCentre++
		}
		if len(c.Dept) == 2 {
			metro++
			if !c.HasCentre {
				t.Errorf("%s %s: no centre; every metropolitan commune has one", c.Code, c.Name)
			}
			if c.HasCentre && (c.Lat < 41 || c.Lat > 51.2 || c.Lon < -5.3 || c.Lon > 9.7) {
				t.Errorf("%s %s: centre %.4f,%.4f outside metropolitan France", c.Code, c.Name, c.Lat, c.Lon)
			}
		}
		return true
	})
	if withCentre < l.Len()-120 {
		t.Errorf("%d communes with a centre out of %d", withCentre, l.Len())
	}
}

func TestByCodePostalAndName(t *testing.T) {
	l := France()
	tests := []struct {
		insee, name, dept, postal string
		lat, lon                  float64
	}{
		{"13002", "Allauch", "13", "13190", 43.35, 5.51},
		{"2A004", "Ajaccio", "2A", "20000", 41.92, 8.71},
		{"97411", "Saint-Denis", "974", "97400", -20.94, 55.44},
		{"75056", "Paris", "75", "75001", 48.86, 2.35},
	}
	for _, tt := range tests {
		c, ok := l.ByCode(tt.insee)
		if !ok {
			t.Fatalf("ByCode(%q) found nothing", tt.insee)
		}
		if c.Name != tt.name || c.Dept != tt.dept || !contains(c.Postals, tt.postal) {
			t.Errorf("ByCode(%q) = %s (%s) %v; want %s (%s) with %s", tt.insee, c.Name, c.Dept, c.Postals, tt.name, tt.dept, tt.postal)
		}
		if math.Abs(c.Lat-tt.lat) > 0.05 || math.Abs(c.Lon-tt.lon) > 0.05 {
			t.Errorf("ByCode(%q) centre = %.4f,%.4f; want near %.2f,%.2f", tt.insee, c.Lat, c.Lon, tt.lat, tt.lon)
		}
	}
	if got := l.Named("saint denis", ""); len(got) < 4 || got[0].Code != "97411" || got[1].Code != "93066" {
		t.Errorf("Named(saint denis) = %d communes, first %v; want homonyms, the most populous (97411, 93066) first", len(got), got)
	}
	if got := l.Named("St-Denis", "974"); len(got) != 1 || got[0].Code != "97411" {
		t.Errorf("Named(St-Denis, 974) = %v; want 97411", got)
	}
}

func TestResolve(t *testing.T) {
	l := France()
	tests := []struct {
		text    string
		code    string // the commune, "" for none
		dept    string
		choices bool
		unknown bool
	}{
		{text: "Allauch", code: "13002"},                  // no place needed: every commune is known
		{text: "plan de cuques", code: "13075"},           // folded, hyphens as spaces
		{text: "13380", code: "13075"},                    // postal code
		{text: "13001", code: "13201"},                    // a city's postal code: its arrondissement
		{text: "13001 Marseille", code: "13201"},          // postal code and name
		{text: "Marseille 13001", code: "13201"},          // name and postal code
		{text: "Saint-Denis (93)", code: "93066"},         // a suggestion's label
		{text: "2A004", code: "2A004"},                    // an INSEE code
		{text: "13", dept: "13"},                          // a département alone
		{text: "2b", dept: "2B"},                          // ... in lower case
		{text: "Saint-Denis", choices: true},              // homonyms
		{text: "Marseile", unknown: true},                 // a typo
		{text: "99999", unknown: true},                    // no such code
		{text: "Sannerville", code: "14666"},              // restored commune, centre from its postal code
		{text: "Lyon 3e Arrondissement", code: "69383"},   // an arrondissement by name
		{text: "Saint-Pierre (975)", code: "97502"},       // overseas collectivité, no centre
		{text: "  l'île-saint-denis ", code: "93039"},     // apostrophe, accents, spaces
		{text: "Les Pennes-Mirabeau (13)", code: "13071"}, // label with a département
		{text: "les pennes mirabeau", code: "13071"},      // same, folded
		{text: "Sainte-Marie-aux-Mines", code: "68298"},   // "Sainte"
		{text: "Ste-Marie-aux-Mines", code: "68298"},      // "Ste" for "Sainte"
		{text: "St Maximin la Ste Baume", code: "83116"},  // both
	}
	for _, tt := range tests {
		w := l.Resolve(tt.text)
		got := ""
		if w.Commune != nil {
			got = w.Commune.Code
		}
		if got != tt.code || w.Dept != tt.dept || w.Unknown != tt.unknown || (tt.choices && len(w.Choices) < 2) {
			t.Errorf("Resolve(%q) = commune %q dept %q unknown %v choices %d; want %q %q %v choices %v",
				tt.text, got, w.Dept, w.Unknown, len(w.Choices), tt.code, tt.dept, tt.unknown, tt.choices)
		}
	}
	if w := l.Resolve("Marseile"); len(w.Choices) == 0 || w.Choices[0].Code != "13055" {
		t.Errorf("Resolve(Marseile).Choices = %v; want Marseille first", w.Choices)
	}
}

func TestSuggest(t *testing.T) {
	l := France()
	tests := []struct {
		prefix string
		first  string
	}{
		{"mars", "13055"},   // Marseille, the most populous whose name starts so
		{"MARS", "13055"},   // case
		{"allau", "13002"},  // a small town
		{"cuques", "13075"}, // a word of the name
		{"1319", "13002"},   // a postal code prefix
		{"les pennes", "13071"},
	}
	for _, tt := range tests {
		got := l.Suggest(tt.prefix, 8)
		if len(got) == 0 || got[0].Code != tt.first {
			t.Errorf("Suggest(%q)[0] = %v; want %s", tt.prefix, got, tt.first)
		}
		seen := map[string]bool{}
		for _, c := range got {
			if seen[c.Code] {
				t.Errorf("Suggest(%q) gives %s twice", tt.prefix, c.Code)
			}
			seen[c.Code] = true
		}
	}
	if got := l.Suggest("saint", 10); len(got) != 10 {
		t.Errorf("Suggest(saint, 10) gave %d; want 10", len(got))
	}
	if got := l.Suggest("m", 8); got != nil {
		t.Errorf("Suggest(m) = %v; want nothing under two letters", got)
	}
}

func TestSettle(t *testing.T) {
	l := France()
	fl := func(f float64) *float64 { return &f }
	allauch, _ := l.ByCode("13002")

	// A place without coordinates goes to its commune's centre, flagged.
	p := &catalogue.Place{Nom: "EPN", Commune: "Allauch", CodePostal: "13190"}
	if !l.Settle(p, nil) || !p.PositionApproximative || *p.Latitude != allauch.Lat || *p.Longitude != allauch.Lon {
		t.Fatalf("Settle(no coordinates) = %v at %v,%v; want Allauch's centre, flagged", p.PositionApproximative, p.Latitude, p.Longitude)
	}
	// Saved again from a form that kept the shown coordinates: still approximate.
	old := *p
	again := &catalogue.Place{Nom: "EPN", Commune: "Allauch", CodePostal: "13190", Latitude: fl(allauch.Lat), Longitude: fl(allauch.Lon)}
	if !l.Settle(again, &old) || !again.PositionApproximative {
		t.Errorf("Settle(unchanged approximate coordinates) cleared the flag")
	}
	// Its commune changes: the approximate position follows.
	moved := &catalogue.Place{Nom: "EPN", Commune: "Plan-de-Cuques", CodePostal: "13380", Latitude: fl(allauch.Lat), Longitude: fl(allauch.Lon)}
	pdc, _ := l.ByCode("13075")
	if !l.Settle(moved, &old) || *moved.Latitude != pdc.Lat {
		t.Errorf("Settle(new commune) at %v; want Plan-de-Cuques's centre %v", *moved.Latitude, pdc.Lat)
	}
	// An editor places it: the flag goes.
	placed := &catalogue.Place{Nom: "EPN", Commune: "Allauch", CodePostal: "13190", Latitude: fl(43.3371), Longitude: fl(5.4826)}
	if l.Settle(placed, &old) || placed.PositionApproximative || *placed.Latitude != 43.3371 {
		t.Errorf("Settle(editor's coordinates) = flagged %v at %v; want kept, unflagged", placed.PositionApproximative, *placed.Latitude)
	}
	// The INSEE code wins over the name.
	byCode := &catalogue.Place{Nom: "EPN", Commune: "Nowhere", CodeINSEE: "13002"}
	if !l.Settle(byCode, nil) || *byCode.Latitude != allauch.Lat {
		t.Errorf("Settle(INSEE code) did not use 13002")
	}
	// An unknown commune: no coordinates are made up.
	lost := &catalogue.Place{Nom: "EPN", Commune: "Nulle-Part"}
	if l.Settle(lost, nil) || lost.Latitude != nil {
		t.Errorf("Settle(unknown commune) placed it at %v", lost.Latitude)
	}
}

func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"L'Île-Saint-Denis": "l ile saint denis",
		"St-Étienne":        "saint etienne",
		"Ste Foy-lès-Lyon":  "sainte foy les lyon",
		"  Marseille  ":     "marseille",
		"Stains":            "stains",
		"Aix-en-Provence":   "aix en provence",
	} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q; want %q", in, got, want)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestSuggestHeavyPrefixesMatchAScan(t *testing.T) {
	l := France()
	for _, prefix := range []string{"sa", "saint", "saint m", "le", "ma", "la"} {
		if _, ok := l.top[prefix]; !ok {
			t.Errorf("prefix %q is not kept as heavy", prefix)
			continue
		}
		var matching []entry
		for _, e := range l.prefixes {
			if len(e.s) >= len(prefix) && e.s[:len(prefix)] == prefix {
				matching = append(matching, e)
			}
		}
		want := l.best(matching, 8)
		got := l.Suggest(prefix, 8)
		for k := range want {
			if k >= len(got) || got[k] != &l.all[want[k]] {
				t.Errorf("Suggest(%q)[%d] differs from a full scan", prefix, k)
				break
			}
		}
	}
}

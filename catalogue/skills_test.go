package catalogue_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
)

func TestDefaultSkillsHaveStableShape(t *testing.T) {
	if n := len(catalogue.DefaultSkills); n < 15 || n > 25 {
		t.Errorf("len(DefaultSkills) = %d; want 15 to 25", n)
	}
	seen := map[string]bool{}
	for _, s := range catalogue.DefaultSkills {
		if err := catalogue.CheckSkill(s); err != nil {
			t.Errorf("CheckSkill(%v) = %v; want nil", s, err)
		}
		if seen[s.ID] {
			t.Errorf("skill id %q listed twice", s.ID)
		}
		seen[s.ID] = true
	}
}

func TestCheckSkillNamesTheField(t *testing.T) {
	for _, tc := range []struct {
		skill catalogue.Skill
		field string
	}{
		{catalogue.Skill{ID: "Impression 3D", Libelle: "Impression 3D"}, "id"},
		{catalogue.Skill{ID: "", Libelle: "Sans id"}, "id"},
		{catalogue.Skill{ID: "couture", Libelle: ""}, "libelle"},
		{catalogue.Skill{ID: "couture", Libelle: strings.Repeat("x", 121)}, "libelle"},
	} {
		var verr *catalogue.ValidationError
		if err := catalogue.CheckSkill(tc.skill); !errors.As(err, &verr) || verr.Fields[tc.field] == "" {
			t.Errorf("CheckSkill(%v) = %v; want a reason for %s", tc.skill, err, tc.field)
		}
	}
}

// A place's skills are read from ids alone or from objects, tidied, and
// labelled from the instance's list; an id the list lacks is refused.
func TestPlaceSkillsNormalizedAndResolved(t *testing.T) {
	var p catalogue.Place
	body := `{"competences": [" Impression-3D ", {"id": "couture", "libelle": "x"}, "impression-3d", ""]}`
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	p.Normalize()
	want := []catalogue.Skill{{ID: "impression-3d", Libelle: "Impression 3D"}, {ID: "couture", Libelle: "x"}}
	if !reflect.DeepEqual(p.Competences, want) {
		t.Fatalf("Normalize: competences = %v; want %v", p.Competences, want)
	}
	known := append(slices.Clone(catalogue.DefaultSkills), catalogue.Skill{ID: "couture", Libelle: "Couture numérique"})
	if err := p.ResolveSkills(known); err != nil {
		t.Fatalf("ResolveSkills = %v", err)
	}
	if p.Competences[1].Libelle != "Couture numérique" {
		t.Errorf("ResolveSkills: label %q; want the instance's", p.Competences[1].Libelle)
	}
	p.Competences = append(p.Competences, catalogue.Skill{ID: "inconnue"})
	var verr *catalogue.ValidationError
	if err := p.ResolveSkills(catalogue.DefaultSkills); !errors.As(err, &verr) || !strings.Contains(verr.Fields["competences"], "inconnue") {
		t.Errorf("ResolveSkills(unknown) = %v; want a reason naming competences and the id", err)
	}
	bad := skillPlace()
	bad.Competences = []catalogue.Skill{{ID: "Pas un id!", Libelle: "x"}}
	if err := bad.Validate(); !errors.As(err, &verr) || verr.Fields["competences"] == "" {
		t.Errorf("Validate(bad id) = %v; want a reason for competences", err)
	}
}

// A remote place keeps the label its network gives an id unknown here,
// and loses what cannot be read.
func TestRemoteSkillsKeepTheirLabels(t *testing.T) {
	p := skillPlace()
	p.Competences = []catalogue.Skill{{ID: "couture-numerique", Libelle: "Couture numérique"},
		{ID: "impression-3d"}, {ID: "sans-libelle"}, {ID: "Mauvais Id", Libelle: "x"}}
	dropped, err := p.NormalizeRemote()
	if err != nil {
		t.Fatal(err)
	}
	want := []catalogue.Skill{{ID: "couture-numerique", Libelle: "Couture numérique"}, {ID: "impression-3d", Libelle: "Impression 3D"}}
	if !reflect.DeepEqual(p.Competences, want) {
		t.Errorf("NormalizeRemote: competences = %v; want %v", p.Competences, want)
	}
	if len(dropped) != 2 {
		t.Errorf("NormalizeRemote dropped %q; want the two unreadable skills", dropped)
	}
}

// A search by skill finds the places offering any of the ids, by
// distance with a point, and combines with text; the label's words are
// found by text too.
func TestSearchBySkill(t *testing.T) {
	x := catalogue.NewIndex(indexNow)
	at := func(id string, lat float64, skills ...string) {
		p := skillPlace()
		p.ID, p.Nom = id, "Lieu "+id
		lon := 5.4
		p.Latitude, p.Longitude = &lat, &lon
		for _, s := range skills {
			p.Competences = append(p.Competences, catalogue.Skill{ID: s})
		}
		p.Normalize()
		x.PutPlace(p)
	}
	at("loin", 43.9, "impression-3d")
	at("pres", 43.31, "impression-3d", "sites-web")
	at("web", 43.30, "sites-web")
	at("rien", 43.30)
	for _, tc := range []struct {
		q    catalogue.PlaceQuery
		want []string
	}{
		{catalogue.PlaceQuery{Competences: []string{"impression-3d"}, Near: &catalogue.LatLon{Lat: 43.3, Lon: 5.4}}, []string{"pres", "loin"}},
		{catalogue.PlaceQuery{Competences: []string{"impression-3d"}, Near: &catalogue.LatLon{Lat: 43.3, Lon: 5.4}, RadiusKm: 10}, []string{"pres"}},
		{catalogue.PlaceQuery{Competences: []string{"impression-3d", "sites-web"}}, []string{"loin", "pres", "web"}},
		{catalogue.PlaceQuery{Competences: []string{"inconnue"}}, nil},
		{catalogue.PlaceQuery{Competences: []string{catalogue.AnySkill}}, []string{"loin", "pres", "web"}},
		{catalogue.PlaceQuery{Competences: []string{catalogue.AnySkill}, Text: "lieu"}, []string{"loin", "pres", "web"}},
		{catalogue.PlaceQuery{Competences: []string{"sites-web"}, Text: "pres"}, []string{"pres"}},
		{catalogue.PlaceQuery{Text: "impression 3D"}, []string{"loin", "pres"}},
	} {
		res, err := x.Places(tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(res.IDs, tc.want) || res.Total != len(tc.want) {
			t.Errorf("Places(%+v) = %v (total %d); want %v", tc.q, res.IDs, res.Total, tc.want)
		}
	}
}

// A place published by several networks offers the skills of all.
func TestMergedPlaceUnitesSkills(t *testing.T) {
	a, b := skillPlace(), skillPlace()
	a.Network, b.Network = catalogue.Network{Local: true}, catalogue.Network{Actor: "https://b.example/actor"}
	a.Competences = []catalogue.Skill{{ID: "sites-web", Libelle: "Création de sites web"}}
	b.Competences = []catalogue.Skill{{ID: "sites-web", Libelle: "Sites"}, {ID: "couture", Libelle: "Couture"}}
	m, _ := catalogue.MergePlaces([]*catalogue.Place{b, a})
	want := []catalogue.Skill{{ID: "sites-web", Libelle: "Création de sites web"}, {ID: "couture", Libelle: "Couture"}}
	if !reflect.DeepEqual(m.Competences, want) {
		t.Errorf("MergePlaces: competences = %v; want %v", m.Competences, want)
	}
}

func skillPlace() *catalogue.Place {
	lat, lon := 43.2965, 5.3698
	return &catalogue.Place{
		Pivot: "12345678900012", Nom: "Médiathèque de l'Alcazar", Adresse: "58 cours Belsunce",
		CodePostal: "13001", Commune: "Marseille", CodeINSEE: "13201",
		Latitude: &lat, Longitude: &lon, DateMaj: "2026-11-02",
		Services: []string{"Aide aux démarches administratives"},
	}
}

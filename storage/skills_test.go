package storage

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// An instance extends the shared list; a local place's skills take the
// list's labels, an id the list lacks is refused and nothing is written,
// and the additions, the records and the search by skill outlive a
// restart.
func TestSkillsOfTheInstance(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.Skills()
	if err != nil || !reflect.DeepEqual(list, catalogue.DefaultSkills) {
		t.Fatalf("Skills() = %v, %v; want the default list", list, err)
	}
	couture := catalogue.Skill{ID: "couture-numerique", Libelle: "Couture numérique"}
	if err := s.AddSkill(couture); err != nil {
		t.Fatalf("AddSkill: %v", err)
	}
	var verr *catalogue.ValidationError
	for _, bad := range []catalogue.Skill{couture, {ID: "impression-3d", Libelle: "Autre"}, {ID: "Pas Bon", Libelle: "x"}, {ID: "sans-libelle"}} {
		if err := s.AddSkill(bad); !errors.As(err, &verr) {
			t.Errorf("AddSkill(%v) = %v; want a *ValidationError", bad, err)
		}
	}
	if list, _ := s.Skills(); len(list) != len(catalogue.DefaultSkills)+1 || list[len(list)-1] != couture {
		t.Errorf("Skills() after additions = %v; want the defaults then %v", list, couture)
	}

	p := testPlace("Fablab du Panier")
	p.Competences = []catalogue.Skill{{ID: "impression-3d"}, {ID: "couture-numerique", Libelle: "ignoré"}}
	if err := s.CreatePlace(p); err != nil {
		t.Fatalf("CreatePlace: %v", err)
	}
	want := []catalogue.Skill{{ID: "impression-3d", Libelle: "Impression 3D"}, couture}
	if !reflect.DeepEqual(p.Competences, want) {
		t.Errorf("CreatePlace: competences = %v; want %v", p.Competences, want)
	}
	unknown := testPlace("Autre lieu")
	unknown.Competences = []catalogue.Skill{{ID: "inconnue", Libelle: "Inconnue"}}
	if err := s.CreatePlace(unknown); !errors.As(err, &verr) || verr.Fields["competences"] == "" {
		t.Errorf("CreatePlace(unknown skill) = %v; want a reason for competences", err)
	}
	if err := s.UpdatePlace(p.ID, unknown); !errors.As(err, &verr) {
		t.Errorf("UpdatePlace(unknown skill) = %v; want a *ValidationError", err)
	}
	res, err := s.ImportPlaces([]ImportRecord{{Place: unknown}}, ImportOptions{})
	if err != nil || res.Rejected != 1 {
		t.Errorf("ImportPlaces(unknown skill) = %+v, %v; want it rejected", res, err)
	}
	if page, _ := s.Places(catalogue.PlaceQuery{}); page.Total != 1 {
		t.Errorf("%d places stored; want 1: refused writes change nothing", page.Total)
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openAt(t, dir)
	page, err := s.Places(catalogue.PlaceQuery{Competences: []string{"couture-numerique"}})
	if err != nil || page.Total != 1 || !reflect.DeepEqual(page.Items[0].Competences, want) {
		t.Fatalf("Places(competence) after restart = %+v, %v; want the place with %v", page, err, want)
	}
	if list, _ := s.Skills(); len(list) != len(catalogue.DefaultSkills)+1 {
		t.Errorf("Skills() after restart: %d; want the addition kept", len(list))
	}
}

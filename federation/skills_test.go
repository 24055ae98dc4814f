package federation

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// A place's skills reach a following network, with the labels of an id
// its own list lacks, are found there by skill, follow edits, and cannot
// be changed by another network.
func TestSkillsFederate(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	paca := newInstance(t, c, "Région Sud", "paca")
	other := newInstance(t, c, "Arsenic 83", "arsenic83")
	couture := catalogue.Skill{ID: "couture-numerique", Libelle: "Couture numérique"}
	if err := a13.store.AddSkill(couture); err != nil {
		t.Fatal(err)
	}
	p := a13.place("Fablab du Panier", "Marseille")
	c.Add(time.Second)
	upd := *p
	upd.Competences = []catalogue.Skill{{ID: "impression-3d"}, {ID: "couture-numerique"}}
	if err := a13.store.UpdatePlace(p.ID, &upd); err != nil {
		t.Fatal(err)
	}
	want := []catalogue.Skill{{ID: "impression-3d", Libelle: "Impression 3D"}, couture}

	// Backfill carries them.
	paca.follow(a13)
	paca.follow(other)
	waitFor(t, func() bool { n, _ := paca.count(a13.fed.Actor()); return n == 1 }, "the region has Arsenic 13's place")
	got, err := paca.store.Place(p.APID)
	if err != nil || !reflect.DeepEqual(got.Competences, want) {
		t.Fatalf("backfilled skills = %v, %v; want %v", got.Competences, err, want)
	}
	if list, _ := paca.store.Skills(); catalogue.SkillLabel(list, couture.ID) != "" {
		t.Errorf("the region's own list gained %q; an addition stays on its network", couture.ID)
	}
	found, err := paca.store.Places(catalogue.PlaceQuery{Competences: []string{"couture-numerique"}, Near: &catalogue.LatLon{Lat: 43.3, Lon: 5.4}})
	if err != nil || found.Total != 1 || found.Items[0].APID != p.APID {
		t.Errorf("the region's search by skill = %+v, %v; want Arsenic 13's place", found, err)
	}

	// A live edit carries them.
	c.Add(time.Second)
	upd2 := upd
	upd2.Competences = []catalogue.Skill{{ID: "sites-web"}}
	if err := a13.store.UpdatePlace(p.ID, &upd2); err != nil {
		t.Fatal(err)
	}
	a13.deliver()
	want = []catalogue.Skill{{ID: "sites-web", Libelle: "Création de sites web"}}
	if got, _ := paca.store.Place(p.APID); got == nil || !reflect.DeepEqual(got.Competences, want) {
		t.Fatalf("skills after the edit = %+v; want %v", got, want)
	}
	if found, _ := paca.store.Places(catalogue.PlaceQuery{Competences: []string{"impression-3d"}}); found.Total != 0 {
		t.Errorf("a skill taken off is still found: %d places", found.Total)
	}

	// Another network cannot change them, signed as itself.
	forged, err := paca.store.Place(p.APID)
	if err != nil {
		t.Fatal(err)
	}
	forged.Competences = []catalogue.Skill{{ID: "cybersecurite", Libelle: "Arnaque"}}
	forged.Updated = c.Now().Add(time.Hour)
	if code := other.post(paca, other.activity("Update", "forged", PlaceObject(forged)), nil); code != http.StatusForbidden {
		t.Errorf("another network's Update of the place: %d; want 403", code)
	}
	c.settle()
	if got, _ := paca.store.Place(p.APID); got == nil || !reflect.DeepEqual(got.Competences, want) {
		t.Errorf("skills after a forged Update = %+v; want %v", got, want)
	}
}

// The document carries each skill's id and label under Maillage's terms,
// and reads back the same.
func TestSkillsDocument(t *testing.T) {
	p := &catalogue.Place{APID: "https://a.example/lieux/1", Nom: "Fablab", Network: catalogue.Network{Actor: "https://a.example/actor"},
		Competences: []catalogue.Skill{{ID: "impression-3d", Libelle: "Impression 3D"}, {ID: "couture-numerique", Libelle: "Couture numérique"}}}
	doc := PlaceObject(p)
	items, ok := doc["competences"].([]any)
	if !ok || len(items) != 2 {
		t.Fatalf("competences = %#v; want two items", doc["competences"])
	}
	if m := items[1].(map[string]any); m["type"] != "Competence" || m["code_competence"] != "couture-numerique" || m["name"] != "Couture numérique" {
		t.Errorf("item = %v; want type Competence, code_competence and name", m)
	}
	if got := skillsFromAS(doc["competences"]); !reflect.DeepEqual(got, p.Competences) {
		t.Errorf("skillsFromAS(skillsToAS(%v)) = %v", p.Competences, got)
	}
	one := map[string]any{"type": "Competence", "code_competence": "sites-web", "name": "<b>Sites</b>"}
	if got := skillsFromAS(one); len(got) != 1 || got[0].ID != "sites-web" {
		t.Errorf("skillsFromAS(one object) = %v; want one skill", got)
	}
}

package federation

import (
	"net/http"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// createPlace stores a place of in's own.
func (in *instance) createPlace(p *catalogue.Place) *catalogue.Place {
	in.t.Helper()
	p.Normalize()
	if err := p.Validate(); err != nil {
		in.t.Fatal(err)
	}
	if err := in.store.CreatePlace(p); err != nil {
		in.t.Fatal(err)
	}
	return p
}

func TestFollowerListsAPlaceOfTwoNetworksOnce(t *testing.T) {
	c := newClock()
	vaucluse := newInstance(t, c, "Arsenic 84", "arsenic84")
	avignon := newInstance(t, c, "Grand Avignon numérique", "grandavignon")
	region := newInstance(t, c, "Région Sud", "paca")
	lat, lon := 43.9463, 4.8059
	lat2, lon2 := 43.9466, 4.8061
	a := vaucluse.createPlace(&catalogue.Place{Pivot: "21840007600013", Nom: "Médiathèque Ceccano", Adresse: "2 bis rue Laboureur",
		CodePostal: "84000", Commune: "Avignon", CodeINSEE: "84007", Latitude: &lat, Longitude: &lon, DateMaj: "2026-09-15",
		Services: []string{"Accès internet et matériel informatique"}})
	c.Add(time.Hour)
	b := avignon.createPlace(&catalogue.Place{Pivot: "21840007600013", Nom: "Bibliothèque Ceccano (Avignon)", Adresse: "2bis, r. Laboureur",
		CodePostal: "84000", Commune: "Avignon", CodeINSEE: "84007", Latitude: &lat2, Longitude: &lon2, DateMaj: "2026-10-01",
		Telephone: "04 90 85 15 59", Services: []string{"Maîtrise des outils numériques du quotidien"}})
	// A place of its own in the same town, which stays apart.
	vaucluse.createPlace(&catalogue.Place{Pivot: "00000000000000", Nom: "Médiathèque municipale", Adresse: "Place de la Liberté",
		CodePostal: "84000", Commune: "Avignon", CodeINSEE: "84007", DateMaj: "2026-09-15"})

	region.follow(vaucluse)
	region.follow(avignon)
	waitFor(t, func() bool { p, _ := region.count(vaucluse.fed.Actor()); return p == 2 }, "the region has Arsenic 84's places")
	waitFor(t, func() bool { p, _ := region.count(avignon.fed.Actor()); return p == 1 }, "the region has Grand Avignon's place")
	settle(t, vaucluse, avignon, region)

	page, err := region.store.Places(catalogue.PlaceQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 2 || len(page.Items) != 2 {
		t.Fatalf("the region lists %d places; want 2 (the médiathèque once)", page.Total)
	}
	var merged *catalogue.Place
	for _, p := range page.Items {
		if len(p.Sources) > 0 {
			merged = p
		}
	}
	if merged == nil || len(merged.Sources) != 2 || merged.Nom != b.Nom || merged.Telephone == "" || len(merged.Services) != 2 {
		t.Fatalf("merged place %+v; want the newest name, the phone, both services, two sources", merged)
	}
	networks := map[string]bool{}
	for _, s := range merged.Sources {
		networks[s.Network.Actor] = true
	}
	if !networks[vaucluse.fed.Actor()] || !networks[avignon.fed.Actor()] {
		t.Errorf("sources %+v; want both networks", merged.Sources)
	}
	for _, s := range merged.Sources {
		for _, ref := range []string{s.ID, s.APID} {
			m, err := region.store.MergedPlace(ref)
			if err != nil || m.ID != merged.ID || len(m.Sources) != 2 {
				t.Errorf("MergedPlace(%s) = %+v, %v; want the merged place %s", ref, m, err, merged.ID)
			}
		}
	}
	// Either network's list shows it; the origins still serve their own.
	for _, in := range []*instance{vaucluse, avignon} {
		if places, _ := region.count(in.fed.Actor()); places != 1+btoi(in == vaucluse) {
			t.Errorf("%s's places on the region: %d", in.name, places)
		}
	}
	if own, err := avignon.store.Places(catalogue.PlaceQuery{Network: "local", Records: true}); err != nil || own.Total != 1 || own.Items[0].ID != b.ID {
		t.Errorf("Grand Avignon's own places: %+v, %v", own, err)
	}

	// The origin deletes its record: the other shows alone.
	if err := vaucluse.store.DeletePlace(a.ID); err != nil {
		t.Fatal(err)
	}
	settle(t, vaucluse, avignon, region)
	page, _ = region.store.Places(catalogue.PlaceQuery{})
	if page.Total != 2 || len(page.Items[0].Sources)+len(page.Items[1].Sources) != 0 {
		t.Errorf("after the deletion: %d places, sources %v %v", page.Total, page.Items[0].Sources, page.Items[1].Sources)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestMobilizonPlaceMergedWithANetworksPlace(t *testing.T) {
	c := newClock()
	lyon := newInstance(t, c, "Numérique Rhône", "rhone")
	local := lyon.createPlace(&catalogue.Place{Pivot: "00000000000000", Nom: "Framasoft (locaux)", Adresse: "10 rue Jangot",
		CodePostal: "69007", Commune: "Lyon", CodeINSEE: "69387", DateMaj: "2026-09-15",
		Services: []string{"Maîtrise des outils numériques du quotidien"}})
	m, event := followedMobilizonRelay(t, c, lyon)
	id := event["id"].(string)
	announce := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "type": "Announce",
		"id": id + "/announces/1", "actor": m.actor, "object": event, "to": []any{Public}}
	if st := m.send(lyon, announce); st != http.StatusAccepted {
		t.Fatalf("Announce: %d", st)
	}
	e, err := lyon.store.Event(id)
	if err != nil {
		t.Fatal(err)
	}
	if e.Lieu == local.ID {
		t.Fatalf("the event points to the local place; it keeps its own")
	}
	page, err := lyon.store.Places(catalogue.PlaceQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 1 || len(page.Items[0].Sources) != 2 || page.Items[0].ID != local.ID {
		t.Fatalf("places %+v; want the local place once, with the Mobilizon one as a second source", page.Items)
	}
	if p, err := lyon.store.MergedPlace(e.Lieu); err != nil || p.ID != local.ID {
		t.Errorf("the event's place shown as %+v, %v; want the merged place", p, err)
	}
	// The local place's page lists the event held at the other record.
	events, err := lyon.store.Events(catalogue.EventQuery{Place: local.ID, From: c.Now()})
	if err != nil || events.Total != 1 {
		t.Errorf("events at the merged place: %d, %v; want the Mobilizon one", events.Total, err)
	}
}

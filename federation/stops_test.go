package federation

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// unit makes in's mobile unit, based in Digne-les-Bains (04).
func (in *instance) unit(name string) *catalogue.Place {
	in.t.Helper()
	lat, lon := 44.092, 6.236
	p := &catalogue.Place{
		Pivot: "43493312300029", Nom: name, Adresse: "4 rue du Docteur Honnorat", CodePostal: "04000", Commune: "Digne-les-Bains",
		Latitude: &lat, Longitude: &lon, DateMaj: "2026-11-01", Itinerance: []string{"Itinérant"},
		Services: []string{"Aide aux démarches administratives"},
	}
	p.Normalize()
	if err := in.store.CreatePlace(p); err != nil {
		in.t.Fatal(err)
	}
	return p
}

// stop makes an event of in's unit at the village hall of Mane (04300),
// a village with no place.
func (in *instance) stop(unit *catalogue.Place, start time.Time) *catalogue.Event {
	in.t.Helper()
	e := &catalogue.Event{Nom: "Permanence numérique", Lieu: unit.ID, Debut: start, Fin: start.Add(2 * time.Hour),
		Etape: &catalogue.Stop{Nom: "Salle des fêtes", Adresse: "Place de la Mairie", CodePostal: "04300", Commune: "Mane"}}
	e.Normalize()
	if err := e.Validate(); err != nil {
		in.t.Fatal(err)
	}
	if err := in.store.CreateEvent(e); err != nil {
		in.t.Fatal(err)
	}
	return e
}

// TestStopFederates: a mobile unit's stop goes out as an Event whose
// location is a Place with an address and no id, the unit under
// lieu_organisateur; a follower stores it at its stop, run by the unit,
// and finds it near the village.
func TestStopFederates(t *testing.T) {
	c := newClock()
	a04 := newInstance(t, c, "Numérique 04", "num04")
	paca := newInstance(t, c, "Région Sud", "paca")
	bus := a04.unit("Bus numérique des Alpes")
	first := a04.stop(bus, c.Now().Add(48*time.Hour))

	obj := EventObject(first, bus)
	loc, _ := obj["location"].(map[string]any)
	if loc == nil || loc["id"] != nil || loc["name"] != "Salle des fêtes" || loc["type"] != "Place" {
		t.Fatalf("location = %v; want the stop, a Place without id", obj["location"])
	}
	if addr, _ := loc["address"].(map[string]any); addr["addressLocality"] != "Mane" || addr["postalCode"] != "04300" {
		t.Errorf("location address = %v; want Mane 04300", loc["address"])
	}
	if _, ok := loc["latitude"]; ok {
		t.Errorf("location = %v; want no coordinates: they are only the commune's centre", loc)
	}
	if org, _ := obj["lieu_organisateur"].(map[string]any); org["id"] != bus.APID {
		t.Errorf("lieu_organisateur = %v; want the unit %s", obj["lieu_organisateur"], bus.APID)
	}

	paca.follow(a04) // the backfill brings the first stop
	waitFor(t, func() bool { _, e := paca.count(a04.fed.Actor()); return e == 1 }, "the region has the first stop")
	// A live one, with the editor's own coordinates.
	e := &catalogue.Event{Nom: "Atelier au marché", Lieu: bus.ID, Debut: c.Now().Add(72 * time.Hour), Fin: c.Now().Add(74 * time.Hour),
		Etape: &catalogue.Stop{Nom: "Place du marché", CodePostal: "04300", Commune: "Mane", Latitude: ptr(43.9381), Longitude: ptr(5.7392)}}
	e.Normalize()
	if err := a04.store.CreateEvent(e); err != nil {
		t.Fatal(err)
	}
	a04.deliver()
	for _, want := range []*catalogue.Event{first, e} {
		got, err := paca.store.Event(want.APID)
		if err != nil {
			t.Fatalf("the stop %s at the region: %v", want.Nom, err)
		}
		unit, err := paca.store.Place(bus.APID)
		if err != nil || got.Lieu != unit.ID || !unit.Itinerant() {
			t.Errorf("the stop's unit at the region = %+v, %v; lieu %q", unit, err, got.Lieu)
		}
		st := got.Etape
		if st == nil || st.Nom != want.Etape.Nom || st.Commune != "Mane" || st.CodeINSEE != "04111" || !st.HasCoordinates() {
			t.Fatalf("the stop at the region = %+v; want %s in Mane, located", st, want.Etape.Nom)
		}
		if want == e && (st.PositionApproximative || *st.Latitude != 43.9381) {
			t.Errorf("the stop's own coordinates became %+v", st)
		}
	}
	near, err := paca.store.StopsNear(catalogue.LatLon{Lat: 43.938, Lon: 5.739}, 10, c.Now(), c.Now().AddDate(0, 0, 7), 10)
	if err != nil || near.Total != 2 {
		t.Errorf("the region's stops near Mane = %d, %v; want 2", near.Total, err)
	}
}

// TestStopFromMobilizonShape: an Event whose location is a Place without
// id, with a PostalAddress and coordinates (as Mobilizon sends), signed
// by the network that published it, is stored at its stop; another
// network cannot change it.
func TestStopFromMobilizonShape(t *testing.T) {
	c := newClock()
	peer := newInstance(t, c, "Tiers-lieu mobile", "mobile")
	other := newInstance(t, c, "Autre réseau", "autre")
	paca := newInstance(t, c, "Région Sud", "paca")
	paca.follow(peer)
	paca.follow(other)
	event := func(name string) map[string]any {
		return map[string]any{
			"id": peer.base + "/events/1", "type": "Event", "name": name,
			"startTime": c.Now().Add(24 * time.Hour).Format(time.RFC3339), "endTime": c.Now().Add(26 * time.Hour).Format(time.RFC3339),
			"attributedTo": peer.fed.Actor(), "updated": c.Now().Format(time.RFC3339),
			"location": map[string]any{"type": "Place", "name": "Salle polyvalente",
				"address":  map[string]any{"type": "PostalAddress", "streetAddress": "Place de l'Église", "postalCode": "04300", "addressLocality": "Mane"},
				"latitude": 43.9385, "longitude": 5.7388},
		}
	}
	if got := peer.post(paca, peer.activity("Create", "c1", event("Café numérique")), nil); got != http.StatusAccepted {
		t.Fatalf("Create of an event at an address: status %d; want 202", got)
	}
	got, err := paca.store.Event(peer.base + "/events/1")
	if err != nil || got.Lieu != "" || got.Etape == nil || got.Etape.Nom != "Salle polyvalente" || got.Etape.CodeINSEE != "04111" || *got.Etape.Latitude != 43.9385 {
		t.Fatalf("stored = %+v, %v; want the event at its stop, no place", got, err)
	}
	// Another network signs an Update of it (its own actor, an object
	// on the peer's host): refused, nothing changes.
	if code := other.post(paca, other.activity("Update", "u1", event("Détourné")), nil); code != http.StatusForbidden {
		t.Errorf("Update by another network: status %d; want 403", code)
	}
	c.Add(time.Minute)
	if got, _ := paca.store.Event(peer.base + "/events/1"); got == nil || got.Nom != "Café numérique" {
		t.Errorf("after another network's Update: %+v", got)
	}
	// A unit on another network's host: refused, as a location would be.
	foreign := event("Unité d'ailleurs")
	foreign["id"] = peer.base + "/events/3"
	foreign["lieu_organisateur"] = PlaceObject(other.remotePlace("bus", "Bus d'un autre réseau"))
	if code := peer.post(paca, peer.activity("Create", "c3", foreign), nil); code != http.StatusForbidden {
		t.Errorf("Create with another host's unit: status %d; want 403", code)
	}
	// A location that cannot be located names the field.
	nowhere := event("Nulle part")
	nowhere["id"] = peer.base + "/events/2"
	nowhere["location"] = map[string]any{"type": "Place", "name": "Chez nous"}
	if code := peer.post(paca, peer.activity("Create", "c2", nowhere), nil); code != http.StatusBadRequest {
		t.Errorf("Create at an address with no commune: status %d; want 400", code)
	}
	if _, _, err := eventFromObject(context.Background(), nowhere, catalogue.Network{Actor: peer.fed.Actor()}); err == nil {
		t.Error("eventFromObject(no commune) = nil; want an error naming etape.commune")
	}
}

func ptr[T any](v T) *T { return &v }

// TestStopFromObject reads the shapes of an address that peers send as a
// location without id.
func TestStopFromObject(t *testing.T) {
	for _, tc := range []struct {
		name                          string
		loc                           map[string]any
		nom, adresse, postal, commune string
		lat                           float64
	}{
		{"Mobilizon PostalAddress", map[string]any{"name": "Salle polyvalente", "latitude": 43.9, "longitude": 5.7,
			"address": map[string]any{"streetAddress": "Place de l'Église", "postalCode": "04300", "addressLocality": "Mane"}},
			"Salle polyvalente", "Place de l'Église", "04300", "Mane", 43.9},
		{"Gancio string", map[string]any{"name": "Marché", "address": "Place du marché, 04300 Mane"},
			"Marché", "Place du marché, 04300 Mane", "04300", "Mane", 0},
		{"Gancio address alone", map[string]any{"address": "Cours Belsunce, Marseille"},
			"Cours Belsunce, Marseille", "Cours Belsunce, Marseille", "", "Marseille", 0},
		{"markup in names", map[string]any{"name": "<b>Salle</b> des <i>fêtes</i>", "address": map[string]any{"addressLocality": "<script>x</script>Mane"}},
			"Salle des fêtes", "", "", "Mane", 0},
	} {
		st, err := stopFromObject(tc.loc)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		lat := 0.0
		if st.Latitude != nil {
			lat = *st.Latitude
		}
		if st.Nom != tc.nom || st.Adresse != tc.adresse || st.CodePostal != tc.postal || st.Commune != tc.commune || lat != tc.lat {
			t.Errorf("stopFromObject(%s) = %+v; want %q %q %q %q %v", tc.name, st, tc.nom, tc.adresse, tc.postal, tc.commune, tc.lat)
		}
	}
	if _, err := stopFromObject(map[string]any{"name": "x", "latitude": 123.0, "longitude": 5.0}); err == nil {
		t.Error("stopFromObject(latitude 123) = nil; want an error")
	}
	if _, err := stopFromObject(map[string]any{}); err == nil {
		t.Error("stopFromObject(empty) = nil; want an error")
	}
}

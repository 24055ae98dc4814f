package federation

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/standard"
)

// Hostile or careless peers (issue 16): what a followed network sends
// cannot deface our places, overflow our limits or smuggle odd ids.

// TestLookAlikeCannotDefaceOurPlace: a followed network publishes a
// look-alike of one of our places, 10 m away, dated 2099, with a scam
// phone, web site and hours. Our place's data, our lists and our CSV
// export still show our values; the look-alike's date is clamped.
func TestLookAlikeCannotDefaceOurPlace(t *testing.T) {
	c := newClock()
	ours := newInstance(t, c, "Arsenic 13", "arsenic13")
	evil := newInstance(t, c, "Arsenic 13 (vrai)", "evil")
	ours.follow(evil)
	p := ours.place("Médiathèque de l'Alcazar", "Marseille")

	fake := evil.remotePlace("alcazar", p.Nom)
	lat := *p.Latitude + 0.00009 // 10 m north
	fake.Latitude, fake.Longitude = &lat, p.Longitude
	fake.Adresse, fake.Pivot, fake.CodePostal, fake.Commune = p.Adresse, p.Pivot, p.CodePostal, p.Commune
	fake.Telephone, fake.SiteWeb, fake.Horaires = "+33899000000", []string{"https://arnaque.example"}, "off"
	fake.Courriels = []string{"contact@arnaque.example"}
	fake.Updated = time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	obj := PlaceObject(fake)
	obj["updated"] = "2099-01-01T00:00:00Z"
	if got := evil.post(ours, evil.activity("Create", "lookalike", obj), nil); got != http.StatusAccepted {
		t.Fatalf("Create of the look-alike: %d", got)
	}

	stored, err := ours.store.Place(fake.APID)
	if err != nil {
		t.Fatal(err)
	}
	if !stored.Updated.Equal(c.Now()) {
		t.Errorf("the look-alike is dated %s; want its receipt, %s", stored.Updated, c.Now())
	}
	check := func(where string, got *catalogue.Place) {
		t.Helper()
		if got.Nom != p.Nom || got.Telephone != p.Telephone || got.Horaires != p.Horaires ||
			len(got.SiteWeb) != len(p.SiteWeb) || len(got.Courriels) != 0 {
			t.Errorf("%s shows name %q, phone %q, hours %q, site %v, e-mails %v; want ours", where,
				got.Nom, got.Telephone, got.Horaires, got.SiteWeb, got.Courriels)
		}
	}
	m, err := ours.store.MergedPlace(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Sources) != 2 {
		t.Fatalf("the look-alike was not merged (sources %+v): the test shows nothing", m.Sources)
	}
	check("the place page", m)
	page, err := ours.store.Places(catalogue.PlaceQuery{})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("Places = %d items, %v; want the merged place", len(page.Items), err)
	}
	check("the list", page.Items[0])
	var csv bytes.Buffer
	if err := standard.WriteCSV(&csv, page.Items, standard.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, scam := range []string{"+33899000000", "arnaque.example", ",off,"} {
		if strings.Contains(csv.String(), scam) {
			t.Errorf("the CSV export holds %q:\n%s", scam, csv.String())
		}
	}
}

// TestOversizedRemoteRecords: a 900 KB name is refused; 20,000 unknown
// services are dropped, the known ones kept.
func TestOversizedRemoteRecords(t *testing.T) {
	c := newClock()
	ours := newInstance(t, c, "Région Sud", "paca")
	peer := newInstance(t, c, "Arsenic 13", "arsenic13")
	ours.follow(peer)

	big := PlaceObject(peer.remotePlace("big", strings.Repeat("A", 900<<10)))
	if got := peer.post(ours, peer.activity("Create", "big", big), nil); got != http.StatusBadRequest {
		t.Errorf("a 900 KB name: %d; want 400", got)
	}
	many := PlaceObject(peer.remotePlace("many", "EPN du Panier"))
	services := []any{"Aide aux démarches administratives"}
	for i := range 20000 {
		services = append(services, fmt.Sprintf("Service %d", i))
	}
	many["services"] = services
	if got := peer.post(ours, peer.activity("Create", "many", many), nil); got != http.StatusAccepted {
		t.Fatalf("a place with 20,000 unknown services: %d; want 202, trimmed", got)
	}
	got, err := ours.store.Place(peer.base + "/lieux/many")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Services) != 1 || got.Services[0] != "Aide aux démarches administratives" {
		t.Errorf("stored services: %d values; want the one known", len(got.Services))
	}
	unchanged(t, ours, 1, 0)

	// The same for an event: a 900 KB name is refused, unknown services
	// are dropped, and an updated in 2099 is clamped.
	at := peer.remotePlace("many", "EPN du Panier")
	e := &catalogue.Event{APID: peer.base + "/evenements/e1", Network: at.Network, Nom: strings.Repeat("A", 900<<10),
		Debut: c.Now().Add(24 * time.Hour), Fin: c.Now().Add(26 * time.Hour), Updated: c.Now()}
	if got := peer.post(ours, peer.activity("Create", "big-event", EventObject(e, at)), nil); got != http.StatusBadRequest {
		t.Errorf("an event named with 900 KB: %d; want 400", got)
	}
	e.Nom = "Atelier smartphone"
	obj := EventObject(e, at)
	obj["services"], obj["updated"] = services, "2099-01-01T00:00:00Z"
	if got := peer.post(ours, peer.activity("Create", "many-event", obj), nil); got != http.StatusAccepted {
		t.Fatalf("an event with 20,000 unknown services: %d; want 202, trimmed", got)
	}
	ev, err := ours.store.Event(e.APID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Services) != 1 || !ev.Updated.Equal(c.Now()) {
		t.Errorf("stored event: %d services, updated %s; want 1, %s", len(ev.Services), ev.Updated, c.Now())
	}
}

// TestMisleadingIDsAreRefused: ids with a user name, or longer than 2 KB,
// get 400 at once, never a 202 then a silent drop, nor a 500.
func TestMisleadingIDsAreRefused(t *testing.T) {
	c := newClock()
	ours := newInstance(t, c, "Région Sud", "paca")
	peer := newInstance(t, c, "Arsenic 13", "arsenic13")
	ours.follow(peer)
	host := strings.TrimPrefix(peer.base, "http://")
	long := peer.base + "/lieux/" + strings.Repeat("x", 40<<10)

	userinfo := peer.remotePlace("p1", "EPN du Panier")
	userinfo.APID = "http://other.example@" + host + "/lieux/p1"
	longPlace := peer.remotePlace("p2", "EPN de la Joliette")
	longPlace.APID = long
	follow := func(id string) []byte {
		b := peer.activity("Follow", "f", ours.fed.Actor())
		return bytes.Replace(b, []byte(peer.base+"/activities/f"), []byte(id), 1)
	}
	for name, body := range map[string][]byte{
		"object id with a user name": peer.activity("Create", "c1", PlaceObject(userinfo)),
		"object id of 40 KB":         peer.activity("Create", "c2", PlaceObject(longPlace)),
		"activity id with a user name": bytes.Replace(peer.activity("Create", "c3", PlaceObject(peer.remotePlace("p3", "EPN"))),
			[]byte(peer.base+"/activities/c3"), []byte("http://other.example@"+host+"/activities/c3"), 1),
		"Follow id of 40 KB":         follow(peer.base + "/activities/" + strings.Repeat("f", 40<<10)),
		"Follow id with a user name": follow("http://other.example@" + host + "/activities/f"),
	} {
		if got := peer.post(ours, body, nil); got != http.StatusBadRequest {
			t.Errorf("%s: %d; want 400", name, got)
		}
	}
	unchanged(t, ours, 0, 0)
	if fs, _ := ours.store.Followers(); len(fs) != 0 {
		t.Errorf("followers %+v; want none", fs)
	}
}

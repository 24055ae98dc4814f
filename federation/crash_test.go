package federation

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// The two documents of issue 16 that crash-looped a follower: an Event
// whose recurrence made the expansion library panic, and a Place whose
// opening hours made the parser panic.
const (
	crashRecurrence = "FREQ=MONTHLY;BYDAY=10FR"
	crashHours      = "0:00-"
)

// TestCrashDocumentsAtTheInbox: a followed network sends both; the
// follower answers, keeps what it can (the event without its recurrence,
// the place with its hours flagged unreadable), keeps applying what comes
// next, and restarts fine.
func TestCrashDocumentsAtTheInbox(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	paca := newInstance(t, c, "Région Sud", "paca")
	paca.follow(a13)

	where := a13.remotePlace("p1", "EPN du mois")
	e := &catalogue.Event{
		APID: a13.base + "/evenements/e1", Network: where.Network, Nom: "Atelier du vendredi",
		Debut: c.Now().Add(24 * time.Hour), Fin: c.Now().Add(26 * time.Hour), Updated: c.Now(),
	}
	obj := EventObject(e, where)
	obj["recurrence"] = crashRecurrence
	if got := a13.post(paca, a13.activity("Create", "c1", obj), nil); got != http.StatusAccepted {
		t.Fatalf("Create of the BYDAY=10FR event: %d; want 202", got)
	}
	hours := a13.remotePlace("p2", "EPN aux horaires cassés")
	hobj := PlaceObject(hours)
	hobj["horaires"] = crashHours
	if got := a13.post(paca, a13.activity("Create", "c2", hobj), nil); got != http.StatusAccepted {
		t.Fatalf("Create of the place with %q: %d; want 202", crashHours, got)
	}
	after := a13.remotePlace("p3", "EPN d'après")
	if got := a13.post(paca, a13.activity("Create", "c3", PlaceObject(after)), nil); got != http.StatusAccepted {
		t.Fatalf("Create after them: %d; want 202", got)
	}

	check := func(when string) {
		t.Helper()
		got, err := paca.store.Event(e.APID)
		if err != nil {
			t.Fatalf("%s: the event: %v", when, err)
		}
		if got.Recurrence != "" {
			t.Errorf("%s: the event keeps the recurrence %q; want it dropped", when, got.Recurrence)
		}
		p, err := paca.store.Place(hours.APID)
		if err != nil || p.Horaires != crashHours || p.HoursError == "" {
			t.Errorf("%s: the place = %+v, %v; want its hours kept as text and flagged", when, p, err)
		}
		if _, err := paca.store.Place(after.APID); err != nil {
			t.Errorf("%s: the place sent after them: %v", when, err)
		}
		unchanged(t, paca, 3, 1)
	}
	check("served")
	paca.restart()
	check("after a restart")
}

// TestCrashDocumentsInABackfill: the followed network already holds both
// (stored before validation refused them); the backfill reads them and
// everything around them, and nothing stops.
func TestCrashDocumentsInABackfill(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	paca := newInstance(t, c, "Région Sud", "paca")

	p := a13.place("EPN du Panier", "Marseille")
	bad := a13.place("EPN aux horaires cassés", "Marseille")
	bad.Horaires = crashHours
	bad.Normalize()
	if err := a13.store.UpdatePlace(bad.ID, bad); err != nil {
		t.Fatal(err)
	}
	e := a13.event("Atelier du vendredi", p, c.Now().Add(24*time.Hour))
	e.Recurrence = crashRecurrence
	if err := a13.store.UpdateEvent(e.ID, e); err != nil {
		t.Fatal(err)
	}
	a13.event("Atelier du lundi", p, c.Now().Add(48*time.Hour))

	paca.follow(a13)
	waitFor(t, func() bool {
		f, _ := paca.store.FollowingActor(a13.fed.Actor())
		return f.Backfilled
	}, "the backfill ends")
	if places, events := paca.count(a13.fed.Actor()); places != 2 || events != 2 {
		t.Errorf("after the backfill: %d places, %d events; want 2 and 2", places, events)
	}
	paca.restart()
	if places, events := paca.count(a13.fed.Actor()); places != 2 || events != 2 {
		t.Errorf("after a restart: %d places, %d events; want 2 and 2", places, events)
	}
}

// TestInboxRefusesInvalidUTF8AndStripsControls: a name with invalid
// UTF-8 is refused with the field named, not stored replaced; NUL and
// bidi overrides are removed from what is stored.
func TestInboxRefusesInvalidUTF8AndStripsControls(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	paca := newInstance(t, c, "Région Sud", "paca")
	paca.follow(a13)

	p := a13.remotePlace("p1", "EPN du Panier")
	body := a13.activity("Create", "c1", PlaceObject(p))
	bad := bytes.Replace(body, []byte("EPN du Panier"), []byte("EPN du Panier\xff"), 1)
	if got := a13.post(paca, bad, nil); got != http.StatusBadRequest {
		t.Errorf("Create with invalid UTF-8 in the name: %d; want 400", got)
	}
	unchanged(t, paca, 0, 0)

	p.Nom = "EPN\u0000 du \u202ePanier"
	if got := a13.post(paca, a13.activity("Create", "c2", PlaceObject(p)), nil); got != http.StatusAccepted {
		t.Fatalf("Create with controls in the name: %d; want 202", got)
	}
	got, err := paca.store.Place(p.APID)
	if err != nil || got.Nom != "EPN du Panier" {
		t.Errorf("stored name %q, %v; want %q", got.Nom, err, "EPN du Panier")
	}
}

// TestPanickingDeliveryIsSetAside: a delivery whose sending panics (here
// signing with no key) is removed from the queue and logged; the worker
// goes on, and the next delivery goes through.
func TestPanickingDeliveryIsSetAside(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	paca := newInstance(t, c, "Région Sud", "paca")
	paca.follow(a13)

	a13.place("EPN du Panier", "Marseille")
	key := a13.fed.key
	a13.fed.key = nil // Sign panics
	if n := a13.deliver(); n != 1 {
		t.Fatalf("%d deliveries attempted; want 1", n)
	}
	a13.fed.key = key
	if _, due := a13.store.NextDelivery(); due {
		t.Error("the delivery that panicked is still queued")
	}
	joliette := a13.place("EPN de la Joliette", "Marseille")
	a13.deliver()
	paca.store.Settle()
	// The follower gets the place delivered after. (The first one may
	// reach it too, through the backfill that the follow started.)
	if _, err := paca.store.Place(joliette.APID); err != nil {
		t.Errorf("the place delivered after the panic did not arrive: %v", err)
	}
}

package federation

import (
	"context"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// settle delivers on every instance until no delivery is left, and
// returns how many were made; it fails on a storm.
func settle(t *testing.T, ins ...*instance) int {
	t.Helper()
	total := 0
	for range 20 {
		n := 0
		for _, in := range ins {
			n += in.deliver()
		}
		if n == 0 {
			return total
		}
		total += n
	}
	t.Fatalf("deliveries still flowing after 20 rounds (%d so far): a storm", total)
	return total
}

// has fails unless in holds the record apID, from origin, through via.
func has(t *testing.T, in *instance, apID, name string, origin, via *instance) {
	t.Helper()
	p, err := in.store.Place(apID)
	if err != nil {
		t.Fatalf("%s lacks %s: %v", in.name, apID, err)
	}
	wantVia := ""
	if via != nil {
		wantVia = via.fed.Actor()
	}
	if p.Nom != name || p.Network.Actor != origin.fed.Actor() || p.Network.Via != wantVia || p.Network.Name != origin.name {
		t.Errorf("%s has %q from %+v; want %q from %s via %q", in.name, p.Nom, p.Network, name, origin.fed.Actor(), wantVia)
	}
}

func TestRelayChainOfFourLevels(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	paca := newRelay(t, c, "Arsenic PACA", "paca")
	france := newRelay(t, c, "France", "france")
	reader := newInstance(t, c, "Lecteur", "lecteur") // follows the national level only
	paca.follow(a13)
	france.follow(paca)
	reader.follow(france)
	all := []*instance{a13, paca, france, reader}

	p := a13.place("EPN du Panier", "Marseille")
	e := a13.event("Atelier smartphone", p, c.Now().Add(48*time.Hour))
	settle(t, all...)
	has(t, paca, p.APID, "EPN du Panier", a13, nil)
	has(t, france, p.APID, "EPN du Panier", a13, paca)
	has(t, reader, p.APID, "EPN du Panier", a13, france)
	if ev, err := reader.store.Event(e.APID); err != nil || ev.Network.Actor != a13.fed.Actor() {
		t.Fatalf("the event did not reach the fourth level: %+v %v", ev, err)
	}

	c.Add(time.Minute)
	upd := *p
	upd.Nom = "EPN du Panier (rénové)"
	if err := a13.store.UpdatePlace(p.ID, &upd); err != nil {
		t.Fatal(err)
	}
	settle(t, all...)
	has(t, reader, p.APID, "EPN du Panier (rénové)", a13, france)

	c.Add(time.Minute)
	if err := a13.store.DeleteEvent(e.ID); err != nil {
		t.Fatal(err)
	}
	settle(t, all...)
	for _, in := range []*instance{paca, france, reader} {
		if _, err := in.store.Event(e.APID); err == nil {
			t.Errorf("the deleted event is still at %s", in.name)
		}
	}
}

func TestRelayLoopAndDiamondMakeNoDuplicatesAndNoStorm(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	sud := newRelay(t, c, "Région Sud", "sud")
	occitanie := newRelay(t, c, "Occitanie", "occitanie")
	france := newInstance(t, c, "France", "france")
	sud.follow(a13)
	occitanie.follow(a13)
	sud.follow(occitanie) // a loop between the two regions
	occitanie.follow(sud)
	france.follow(sud) // and a diamond down to the nation
	france.follow(occitanie)
	all := []*instance{a13, sud, occitanie, france}
	settle(t, all...)

	p := a13.place("Médiathèque de l'Alcazar", "Marseille")
	n := settle(t, all...)
	// Arsenic 13 → 2 regions; each region → the other and the nation.
	if n > 6 {
		t.Errorf("%d deliveries for one new place; want at most 6", n)
	}
	for _, in := range []*instance{sud, occitanie, france} {
		res, _ := in.store.Places(placeQueryAll())
		if res.Total != 1 {
			t.Errorf("%s has %d places; want 1", in.name, res.Total)
		}
	}
	has(t, sud, p.APID, "Médiathèque de l'Alcazar", a13, nil)
	if got, _ := france.store.Place(p.APID); got == nil || got.Network.Actor != a13.fed.Actor() {
		t.Errorf("the nation has %+v; want Arsenic 13's place", got)
	}

	// An update goes round once too.
	c.Add(time.Minute)
	upd := *p
	upd.Nom = "Médiathèque de l'Alcazar (BMVR)"
	a13.store.UpdatePlace(p.ID, &upd)
	if n := settle(t, all...); n > 6 {
		t.Errorf("%d deliveries for one update; want at most 6", n)
	}
	if got, _ := france.store.Place(p.APID); got == nil || got.Nom != upd.Nom {
		t.Errorf("the nation has %+v after the update", got)
	}
}

func TestBackfillThroughARelayAndUnfollow(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	a83 := newInstance(t, c, "Arsenic 83", "arsenic83")
	paca := newRelay(t, c, "Arsenic PACA", "paca")
	for _, name := range []string{"EPN 1", "EPN 2", "EPN 3"} {
		a13.place(name, "Marseille")
	}
	p := a83.place("Fablab de Toulon", "Toulon")
	a83.event("Atelier impression 3D", p, c.Now().Add(72*time.Hour))
	paca.place("Siège d'Arsenic PACA", "Aix-en-Provence")
	paca.follow(a13)
	paca.follow(a83)
	waitFor(t, func() bool {
		n, _ := paca.count(a13.fed.Actor())
		m, _ := paca.count(a83.fed.Actor())
		return n == 3 && m == 1
	}, "the region's backfill")

	// A new national instance follows the region only, and gets the
	// whole region: the region's own place and its networks' records,
	// fetched from their origins.
	france := newInstance(t, c, "France", "france")
	france.follow(paca)
	waitFor(t, func() bool {
		f, _ := france.store.FollowingActor(paca.fed.Actor())
		return f.Backfilled
	}, "the national backfill")
	for _, want := range []struct {
		from           *instance
		places, events int
	}{{paca, 1, 0}, {a13, 3, 0}, {a83, 1, 1}} {
		if pl, ev := france.count(want.from.fed.Actor()); pl != want.places || ev != want.events {
			t.Errorf("the nation has %d places and %d events of %s; want %d and %d", pl, ev, want.from.name, want.places, want.events)
		}
	}
	has(t, france, p.APID, "Fablab de Toulon", a83, paca)

	// Unfollowing the region removes what came through it.
	if err := france.fed.Unfollow(context.Background(), paca.fed.Actor()); err != nil {
		t.Fatal(err)
	}
	if res, _ := france.store.Places(placeQueryAll()); res.Total != 0 {
		t.Errorf("after unfollowing the region, the nation keeps %d places", res.Total)
	}
}

func placeQueryAll() catalogue.PlaceQuery { return catalogue.PlaceQuery{Limit: 100} }

package federation

import (
	"net/http"
	"testing"
	"time"

	"github.com/maillage/maillage/storage"
)

func TestBlockADomainThroughRelays(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	spam := newInstance(t, c, "Réseau douteux", "douteux")
	paca := newRelay(t, c, "Arsenic PACA", "paca")
	france := newInstance(t, c, "France", "france")
	paca.follow(a13)
	paca.follow(spam)
	france.follow(paca)
	spam.follow(france) // the domain also follows the nation
	all := []*instance{a13, spam, paca, france}
	a13.place("EPN du Panier", "Marseille")
	bad := spam.place("Arnaque numérique", "Marseille")
	settle(t, all...)
	if _, err := france.store.Place(bad.APID); err != nil {
		t.Fatalf("before the block, the nation should have the place: %v", err)
	}

	// The nation blocks the domain: its records leave, its follower goes.
	places, _, err := france.fed.Block(spam.base)
	if err != nil || places != 1 {
		t.Fatalf("Block = %d places, %v; want 1", places, err)
	}
	if _, err := france.store.Place(bad.APID); err == nil {
		t.Error("the blocked domain's place is still listed")
	}
	if _, err := france.store.Follower(spam.fed.Actor()); err == nil {
		t.Error("the blocked domain still follows the nation")
	}
	// Its activities are refused, even signed and relayed by a trusted
	// region.
	if got := spam.post(france, spam.activity("Create", "c9", PlaceObject(spam.remotePlace("p9", "Encore"))), nil); got != http.StatusForbidden {
		t.Errorf("a direct activity from the blocked domain: %d; want 403", got)
	}
	c.Add(time.Minute)
	again := spam.place("Arnaque numérique 2", "Marseille")
	settle(t, all...)
	if _, err := paca.store.Place(again.APID); err != nil {
		t.Fatalf("the region (which does not block) lacks the new place: %v", err)
	}
	if _, err := france.store.Place(again.APID); err == nil {
		t.Error("a record of the blocked domain reached the nation through the relay")
	}
	if res, _ := france.store.Places(placeQueryAll()); res.Total != 1 {
		t.Errorf("the nation lists %d places; want 1 (Arsenic 13's)", res.Total)
	}
	if _, err := france.fed.Follow(t.Context(), spam.acct()); err == nil {
		t.Error("following a blocked domain succeeded")
	}

	// Unblocking fetches its records again.
	if err := france.fed.Unblock(spam.base); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		_, e1 := france.store.Place(bad.APID)
		_, e2 := france.store.Place(again.APID)
		return e1 == nil && e2 == nil
	}, "the unblocked domain's records come back")
}

func TestHideARemoteRecord(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	paca := newInstance(t, c, "Région Sud", "paca")
	paca.follow(a13)
	p := a13.place("EPN du Panier", "Marseille")
	e := a13.event("Atelier", p, c.Now().Add(24*time.Hour))
	a13.deliver()

	if _, err := paca.fed.Hide(p.APID); err != nil {
		t.Fatal(err)
	}
	if _, err := paca.store.Place(p.APID); err == nil {
		t.Error("the hidden place is still listed")
	}
	if _, err := paca.store.Event(e.APID); err == nil {
		t.Error("the hidden place's event is still listed")
	}
	// Updates of a hidden record do not bring it back.
	c.Add(time.Minute)
	upd := *p
	upd.Nom = "EPN du Panier (rénové)"
	a13.store.UpdatePlace(p.ID, &upd)
	a13.deliver()
	if _, err := paca.store.Place(p.APID); err == nil {
		t.Error("an update brought the hidden place back")
	}
	local := paca.place("Siège", "Aix-en-Provence")
	if _, err := paca.fed.Hide(local.ID); err == nil {
		t.Error("hiding a local record succeeded; it should be deleted instead")
	}

	if err := paca.fed.Unhide(p.APID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		got, err := paca.store.Place(p.APID)
		return err == nil && got.Nom == "EPN du Panier (rénové)"
	}, "the unhidden place comes back, current")
}

func TestRemoveAFollower(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	paca := newInstance(t, c, "Région Sud", "paca")
	paca.follow(a13)
	if err := a13.fed.RemoveFollower(paca.fed.Actor()); err != nil {
		t.Fatal(err)
	}
	a13.deliver() // the Reject
	if f, err := paca.store.FollowingActor(a13.fed.Actor()); err != nil || f.State != storage.FollowRejected {
		t.Errorf("the removed follower's follow is %+v, %v; want rejected", f, err)
	}
	a13.place("EPN", "Marseille")
	if n := a13.deliver(); n != 0 {
		t.Errorf("%d deliveries to a removed follower", n)
	}
}

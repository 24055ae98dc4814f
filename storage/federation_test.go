package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// recordingPublisher builds a small activity naming the change.
func recordingPublisher(c Change) ([]byte, error) {
	obj := ""
	if c.Event != nil {
		obj = c.Event.APID
	} else {
		obj = c.Place.APID
	}
	return json.Marshal(map[string]string{"type": c.Verb, "object": obj, "network": c.Place.Network.Name})
}

func TestLocalChangesQueueOneDeliveryPerInbox(t *testing.T) {
	s, _ := openTestStore(t)
	s.SetSettings(Settings{Name: "Arsenic 13"})
	woken := 0
	s.SetDeliveryNotify(func() { woken++ })
	s.SetPublisher(recordingPublisher)
	for _, f := range []Follower{
		{Actor: "https://a.example/actor", Inbox: "https://a.example/actor/inbox", SharedInbox: "https://a.example/inbox", State: FollowAccepted},
		{Actor: "https://a.example/users/alice", Inbox: "https://a.example/users/alice/inbox", SharedInbox: "https://a.example/inbox", State: FollowAccepted},
		{Actor: "https://b.example/actor", Inbox: "https://b.example/actor/inbox", State: FollowAccepted},
		{Actor: "https://c.example/actor", Inbox: "https://c.example/actor/inbox", State: FollowPending},
	} {
		if err := s.PutFollower(f); err != nil {
			t.Fatal(err)
		}
	}
	p := testPlace("EPN du Panier")
	if err := s.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	ds, err := s.DueDeliveries(testNow, 100)
	if err != nil {
		t.Fatal(err)
	}
	inboxes := map[string]bool{}
	for _, d := range ds {
		inboxes[d.Inbox] = true
		var a map[string]string
		json.Unmarshal(d.Activity, &a)
		if a["type"] != "Create" || a["object"] != p.APID || a["network"] != "Arsenic 13" {
			t.Errorf("queued activity %s", d.Activity)
		}
	}
	if len(ds) != 2 || !inboxes["https://a.example/inbox"] || !inboxes["https://b.example/actor/inbox"] {
		t.Errorf("deliveries to %v; want the shared inbox of a.example and b.example's inbox, once each", inboxes)
	}
	if woken == 0 {
		t.Error("delivery workers were not woken")
	}
	items, _, total, _ := s.OutboxPage(0, 10)
	if total != 1 || len(items) != 1 {
		t.Errorf("outbox holds %d activities; want 1", total)
	}

	// A refused change queues nothing.
	bad := testEvent("no-such-place", testNow)
	if err := s.CreateEvent(bad); err == nil {
		t.Fatal("event at an unknown place accepted")
	}
	if n := s.QueueLength(); n != 2 {
		t.Errorf("queue holds %d deliveries after a refused change; want 2", n)
	}

	if err := s.DeletePlace(p.ID); err != nil {
		t.Fatal(err)
	}
	if ts, err := s.TombstoneOf(p.APID); err != nil || ts.FormerType != "Place" {
		t.Errorf("tombstone of a deleted place: %+v, %v", ts, err)
	}
	if n := s.QueueLength(); n != 4 {
		t.Errorf("queue holds %d deliveries; want 4", n)
	}
}

func TestDeliveryRetryOrder(t *testing.T) {
	dir := t.TempDir()
	s := openUnchecked(t, dir)
	for _, inbox := range []string{"https://a.example/inbox", "https://b.example/inbox"} {
		if err := s.Enqueue(inbox, []byte(`{"type":"Follow"}`)); err != nil {
			t.Fatal(err)
		}
	}
	ds, _ := s.DueDeliveries(testNow, 10)
	if len(ds) != 2 || ds[0].Inbox != "https://a.example/inbox" {
		t.Fatalf("due deliveries %+v", ds)
	}
	if err := s.RetryDelivery(ds[0], testNow.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishDelivery(ds[1]); err != nil {
		t.Fatal(err)
	}
	if ds, _ := s.DueDeliveries(testNow, 10); len(ds) != 0 {
		t.Errorf("a delivery postponed by a minute is due now: %+v", ds)
	}
	// The queue survives a restart.
	s.Close()
	s = openAt(t, dir)
	ds, _ = s.DueDeliveries(testNow.Add(time.Minute), 10)
	if len(ds) != 1 || ds[0].Attempts != 1 || ds[0].Inbox != "https://a.example/inbox" {
		t.Errorf("after restart: %+v; want the postponed delivery with one attempt", ds)
	}
	if due, ok := s.NextDelivery(); !ok || !due.Equal(testNow.Add(time.Minute)) {
		t.Errorf("NextDelivery = %v, %v", due, ok)
	}
}

func remotePlace(actor, apID, name string) *catalogue.Place {
	p := testPlace(name)
	p.APID = apID
	p.Network = catalogue.Network{Name: "Arsenic 83", Actor: actor}
	p.Updated = testNow
	return p
}

func TestRemoteRecordsBelongToTheirActor(t *testing.T) {
	s, _ := openTestStore(t)
	const actor, other = "https://var.example/actor", "https://evil.example/actor"
	p := remotePlace(actor, "https://var.example/lieux/1", "Fablab de Toulon")
	if err := s.PutRemotePlace("https://var.example/activities/1", p); err != nil {
		t.Fatal(err)
	}
	// A redelivery changes nothing.
	again := remotePlace(actor, p.APID, "Nom changé")
	if err := s.PutRemotePlace("https://var.example/activities/1", again); !errors.Is(err, ErrDuplicate) {
		t.Errorf("replayed activity: %v; want ErrDuplicate", err)
	}
	// Another actor may not change it, nor delete it.
	forged := remotePlace(other, p.APID, "Volé")
	if err := s.PutRemotePlace("https://evil.example/activities/1", forged); !errors.Is(err, ErrForbidden) {
		t.Errorf("update by another actor: %v; want ErrForbidden", err)
	}
	if err := s.DeleteRemote("https://evil.example/activities/2", other, p.APID); !errors.Is(err, ErrForbidden) {
		t.Errorf("delete by another actor: %v; want ErrForbidden", err)
	}
	got, err := s.Place(p.APID)
	if err != nil || got.Nom != "Fablab de Toulon" || got.Network.Local || got.Network.Actor != actor {
		t.Fatalf("stored remote place: %+v, %v", got, err)
	}
	// Nor may anyone overwrite a local place through federation.
	local := testPlace("EPN local")
	s.CreatePlace(local)
	if err := s.PutRemotePlace("https://var.example/activities/3", remotePlace(actor, local.APID, "x")); !errors.Is(err, ErrForbidden) {
		t.Errorf("remote update of a local place: %v; want ErrForbidden", err)
	}
	// Remote records are read-only through the local API.
	if err := s.UpdatePlace(got.ID, testPlace("x")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("local update of a remote place: %v; want ErrReadOnly", err)
	}

	// Its owner updates it, adds an event there, then deletes the place.
	if err := s.PutRemotePlace("https://var.example/activities/4", remotePlace(actor, p.APID, "Fablab de Toulon (Mayol)")); err != nil {
		t.Fatal(err)
	}
	e := testEvent(p.APID, testNow.Add(24*time.Hour))
	e.APID, e.Network = "https://var.example/evenements/9", catalogue.Network{Actor: actor}
	if err := s.PutRemoteEvent("https://var.example/activities/5", e); err != nil {
		t.Fatal(err)
	}
	page, _ := s.Events(catalogue.EventQuery{From: testNow, Network: actor})
	if page.Total != 1 {
		t.Errorf("events of the remote network: %d; want 1", page.Total)
	}
	if err := s.DeleteRemote("https://var.example/activities/6", actor, p.APID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Event(e.APID); !errors.Is(err, ErrNotFound) {
		t.Errorf("the event of a deleted remote place survives: %v", err)
	}
	if pp, _ := s.Places(catalogue.PlaceQuery{Network: actor}); pp.Total != 0 {
		t.Errorf("deleted remote place still listed")
	}
}

func TestMigrationFromVersion1(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test"})
	if err != nil {
		t.Fatal(err)
	}
	p := testPlace("EPN d'avant")
	s.CreatePlace(p)
	s.Close()
	// Make it a version 1 file: no federation buckets.
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		for _, b := range federationBuckets {
			tx.DeleteBucket(b)
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, binary.BigEndian.AppendUint64(nil, 1))
	})
	db.Close()

	s = openAt(t, dir)
	if err := s.PutFollower(Follower{Actor: "https://a.example/actor", State: FollowAccepted}); err != nil {
		t.Fatalf("federation bucket missing after migration: %v", err)
	}
	if _, err := s.Place(p.ID); err != nil {
		t.Errorf("place lost in migration: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
		t.Fatal(err)
	}
}

func TestActorKeyCreatedOnce(t *testing.T) {
	dir := t.TempDir()
	s := openUnchecked(t, dir)
	calls := 0
	gen := func() (string, error) { calls++; return "PEM-1", nil }
	k1, _ := s.ActorKey(gen)
	k2, _ := s.ActorKey(gen)
	s.Close()
	s = openAt(t, dir)
	k3, _ := s.ActorKey(gen)
	if k1 != "PEM-1" || k2 != k1 || k3 != k1 || calls != 1 {
		t.Errorf("keys %q %q %q after %d generations; want one key, kept", k1, k2, k3, calls)
	}
}

// openUnchecked opens a store the test closes itself.
func openUnchecked(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

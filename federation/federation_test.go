package federation

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

// clock is the fake clock shared by the instances of a test.
type clock struct {
	mu        sync.Mutex
	t         time.Time
	instances []*instance // every instance on this clock, to settle them
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// instance is one real Maillage instance: its own bbolt file, federation
// service and HTTP server.
type instance struct {
	t      testing.TB
	name   string
	store  *storage.Store
	fed    *Service
	srv    *httptest.Server
	base   string
	handle string
	down   atomic.Bool // answer 503 to everything
	dir    string
	clock  *clock
	relay  bool // Config.Relay
}

func newInstance(t testing.TB, c *clock, name, handle string) *instance {
	t.Helper()
	return startInstance(t, &instance{t: t, name: name, handle: handle, clock: c, dir: t.TempDir()})
}

// newRelay is newInstance for an instance that relays what it follows.
func newRelay(t testing.TB, c *clock, name, handle string) *instance {
	t.Helper()
	return startInstance(t, &instance{t: t, name: name, handle: handle, clock: c, dir: t.TempDir(), relay: true})
}

func startInstance(t testing.TB, in *instance) *instance {
	in.clock.mu.Lock()
	in.clock.instances = append(in.clock.instances, in)
	in.clock.mu.Unlock()
	in.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "starting", http.StatusServiceUnavailable)
	}))
	in.base = "http://" + in.srv.Listener.Addr().String()
	in.open()
	in.srv.Start()
	t.Cleanup(func() {
		in.srv.Close()
		in.close()
	})
	return in
}

// open opens the store and the service, as a start of the instance does.
func (in *instance) open() {
	st, err := storage.Open(in.dir, storage.Options{BaseURL: in.base, Now: in.clock.Now, Logger: slog.New(slog.NewTextHandler(testLog, nil))})
	if err != nil {
		in.t.Fatal(err)
	}
	st.SetSettings(storage.Settings{Name: in.name, Handle: in.handle})
	fed, err := New(Config{Store: st, BaseURL: in.base, Now: in.clock.Now, AllowPrivate: true, Relay: in.relay,
		Logger: slog.New(slog.NewTextHandler(testLog, nil))})
	if err != nil {
		in.t.Fatal(err)
	}
	in.store, in.fed = st, fed
	r := mux.NewRouter()
	fed.Register(r)
	in.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if in.down.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		r.ServeHTTP(w, req)
	})
}

func (in *instance) close() {
	if in.fed == nil {
		return
	}
	in.fed.Close()
	if err := in.store.Check(); err != nil {
		in.t.Errorf("%s: Check: %v", in.name, err)
	}
	in.store.Close()
	in.fed, in.store = nil, nil
}

// restart closes and reopens the instance on the same file and address.
func (in *instance) restart() {
	in.close()
	in.open()
}

func (in *instance) acct() string { return in.handle + "@" + strings.TrimPrefix(in.base, "http://") }

// deliver runs in's due deliveries, each instance on the clock having
// applied what its inbox accepted before and after.
func (in *instance) deliver() int {
	in.clock.settle()
	n := in.fed.DeliverDue(context.Background())
	in.clock.settle()
	return n
}

// settle waits until every instance on c has applied the activities its
// inbox accepted (see storage.Store.Settle).
func (c *clock) settle() {
	c.mu.Lock()
	instances := slices.Clone(c.instances)
	c.mu.Unlock()
	for _, in := range instances {
		if st := in.store; st != nil {
			st.Settle()
		}
	}
}

func (in *instance) place(name, commune string) *catalogue.Place {
	in.t.Helper()
	lat, lon := 43.3, 5.4
	p := &catalogue.Place{
		Pivot: "43493312300029", Nom: name, Adresse: "1 place de la Mairie", CodePostal: "13001", Commune: commune,
		Latitude: &lat, Longitude: &lon, DateMaj: "2026-11-01", Horaires: "Mo-Fr 09:00-12:00",
		Services: []string{"Aide aux démarches administratives"},
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		in.t.Fatal(err)
	}
	if err := in.store.CreatePlace(p); err != nil {
		in.t.Fatal(err)
	}
	return p
}

func (in *instance) event(name string, p *catalogue.Place, start time.Time) *catalogue.Event {
	in.t.Helper()
	e := &catalogue.Event{Nom: name, Lieu: p.ID, Debut: start, Fin: start.Add(2 * time.Hour), Description: "<p>Venez !</p>"}
	e.Normalize()
	if err := in.store.CreateEvent(e); err != nil {
		in.t.Fatal(err)
	}
	return e
}

func (in *instance) count(actor string) (places, events int) {
	in.t.Helper()
	ps, err := in.store.Places(catalogue.PlaceQuery{Network: actor})
	if err != nil {
		in.t.Fatal(err)
	}
	es, err := in.store.Events(catalogue.EventQuery{Network: actor, From: in.clock.Now().AddDate(-1, 0, 0), To: in.clock.Now().AddDate(1, 0, 0)})
	if err != nil {
		in.t.Fatal(err)
	}
	return ps.Total, es.Total
}

// follow makes in follow other and runs the handshake to completion.
func (in *instance) follow(other *instance) {
	in.t.Helper()
	f, err := in.fed.Follow(context.Background(), other.acct())
	if err != nil {
		in.t.Fatalf("%s follows %s: %v", in.name, other.name, err)
	}
	if f.Actor != other.fed.Actor() || f.State != storage.FollowPending {
		in.t.Fatalf("Follow = %+v", f)
	}
	in.deliver()    // Follow
	other.deliver() // Accept
	waitFor(in.t, func() bool {
		f, _ := in.store.FollowingActor(other.fed.Actor())
		return f.State == storage.FollowAccepted
	}, "the follow is accepted")
}

// waitFor polls cond (the backfill runs in the background).
func waitFor(t testing.TB, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 24, 10, 0, 0, 0, catalogue.Paris)} }

func TestFollowBackfillAndLiveChanges(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	a83 := newInstance(t, c, "Arsenic 83", "arsenic83")
	paca := newInstance(t, c, "Région Sud", "paca")

	// Arsenic 13 has a catalogue before anyone follows it.
	var places []*catalogue.Place
	for i := range 3 {
		places = append(places, a13.place(fmt.Sprintf("EPN n°%d", i+1), "Marseille"))
	}
	a13.event("Atelier smartphone", places[0], c.Now().Add(48*time.Hour))
	a13.event("Permanence CAF", places[1], c.Now().Add(72*time.Hour))
	a83.place("Fablab de Toulon", "Toulon")

	paca.follow(a13)
	paca.follow(a83)
	waitFor(t, func() bool { p, e := paca.count(a13.fed.Actor()); return p == 3 && e == 2 }, "the region has Arsenic 13's catalogue")
	waitFor(t, func() bool { p, _ := paca.count(a83.fed.Actor()); return p == 1 }, "the region has Arsenic 83's catalogue")

	// The aggregated catalogue answers across networks.
	all, _ := paca.store.Places(catalogue.PlaceQuery{Text: "epn"})
	if all.Total != 3 {
		t.Errorf("the region finds %d EPN; want 3", all.Total)
	}
	got, err := paca.store.Place(places[0].APID)
	if err != nil || got.Network.Name != "Arsenic 13" || got.Network.Local || got.Horaires != "Mo-Fr 09:00-12:00" {
		t.Fatalf("backfilled place: %+v, %v", got, err)
	}

	// Live changes flow.
	p := a13.place("Médiathèque de l'Alcazar", "Marseille")
	a13.deliver()
	if _, err := paca.store.Place(p.APID); err != nil {
		t.Fatalf("a new place did not reach the region: %v", err)
	}
	c.Add(time.Second)
	upd := *p
	upd.Nom = "Médiathèque de l'Alcazar (BMVR)"
	if err := a13.store.UpdatePlace(p.ID, &upd); err != nil {
		t.Fatal(err)
	}
	a13.deliver()
	if got, _ := paca.store.Place(p.APID); got == nil || got.Nom != upd.Nom {
		t.Errorf("the update did not reach the region: %+v", got)
	}
	e := a13.event("Atelier Pix", p, c.Now().Add(96*time.Hour))
	a13.deliver()
	ge, err := paca.store.Event(e.APID)
	if err != nil || ge.Description != "<p>Venez !</p>" || !ge.Debut.Equal(e.Debut) {
		t.Fatalf("the new event at the region: %+v, %v", ge, err)
	}
	if err := a13.store.DeleteEvent(e.ID); err != nil {
		t.Fatal(err)
	}
	a13.deliver()
	if _, err := paca.store.Event(e.APID); err == nil {
		t.Error("a deleted event is still at the region")
	}

	// Unfollowing stops the flow and removes the network's records.
	if err := paca.fed.Unfollow(context.Background(), a13.fed.Actor()); err != nil {
		t.Fatal(err)
	}
	paca.deliver()
	if f, err := a13.store.Follower(paca.fed.Actor()); err == nil {
		t.Errorf("Arsenic 13 still has the region as follower: %+v", f)
	}
	a13.place("EPN après", "Aubagne")
	if n := a13.deliver(); n != 0 {
		t.Errorf("%d deliveries after the only follower left; want 0", n)
	}
	if p, e := paca.count(a13.fed.Actor()); p != 0 || e != 0 {
		t.Errorf("after unfollowing, the region keeps %d places and %d events of Arsenic 13", p, e)
	}
	if p, _ := paca.count(a83.fed.Actor()); p != 1 {
		t.Errorf("unfollowing Arsenic 13 removed Arsenic 83's places")
	}
}

func TestPeerDownForADayGetsEverything(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	paca := newInstance(t, c, "Région Sud", "paca")
	paca.follow(a13)

	paca.down.Store(true)
	p := a13.place("EPN du Panier", "Marseille")
	a13.event("Atelier", p, c.Now().Add(72*time.Hour))
	for range 24 {
		a13.deliver()
		c.Add(time.Hour)
	}
	if n := a13.store.QueueLength(); n != 2 {
		t.Fatalf("after a day down, %d deliveries wait; want 2", n)
	}
	paca.down.Store(false)
	c.Add(maxRetry)
	a13.deliver()
	if pl, ev := paca.count(a13.fed.Actor()); pl != 1 || ev != 1 {
		t.Errorf("the peer back up has %d places and %d events; want 1 and 1", pl, ev)
	}
	if n := a13.store.QueueLength(); n != 0 {
		t.Errorf("%d deliveries still queued", n)
	}
}

func TestSenderRestartedWithFullQueueDeliversOnce(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	paca := newInstance(t, c, "Région Sud", "paca")
	paca.follow(a13)

	var received atomic.Int32
	inner := paca.srv.Config.Handler
	paca.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			received.Add(1)
		}
		inner.ServeHTTP(w, r)
	})
	for i := range 5 {
		a13.place(fmt.Sprintf("EPN %d", i), "Marseille")
	}
	a13.restart()
	if n := a13.store.QueueLength(); n != 5 {
		t.Fatalf("after restart the queue holds %d; want 5", n)
	}
	a13.deliver()
	a13.deliver()
	if n := received.Load(); n != 5 {
		t.Errorf("the peer received %d activities; want 5, once each", n)
	}
	if pl, _ := paca.count(a13.fed.Actor()); pl != 5 {
		t.Errorf("the peer has %d places; want 5", pl)
	}
}

var testLog io.Writer = io.Discard

func TestBackfillResumesWhereItStopped(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	paca := newInstance(t, c, "Région Sud", "paca")
	for i := range pageSize*2 + 50 {
		a13.place(fmt.Sprintf("EPN %d", i), "Marseille")
	}
	a13.deliver() // nobody follows yet: nothing to send

	// Arsenic 13 fails after the first page of its places.
	var failing atomic.Bool
	var firstPages atomic.Int32
	failing.Store(true)
	inner := a13.srv.Config.Handler
	a13.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := r.URL.Query().Get("page")
		if r.URL.Path == "/actor/places" && page == "1" {
			firstPages.Add(1)
		}
		if failing.Load() && page != "" && page != "1" {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		inner.ServeHTTP(w, r)
	})
	paca.follow(a13)
	waitFor(t, func() bool {
		f, _ := paca.store.FollowingActor(a13.fed.Actor())
		return f.BackfillNext != ""
	}, "the backfill stops after a page")
	if p, _ := paca.count(a13.fed.Actor()); p != pageSize {
		t.Fatalf("after one page the region has %d places; want %d", p, pageSize)
	}

	// The region restarts; Arsenic 13 is back.
	failing.Store(false)
	paca.restart()
	paca.fed.ResumeBackfills()
	waitFor(t, func() bool {
		f, _ := paca.store.FollowingActor(a13.fed.Actor())
		return f.Backfilled
	}, "the backfill finishes")
	if p, _ := paca.count(a13.fed.Actor()); p != pageSize*2+50 {
		t.Errorf("the region has %d places; want %d", p, pageSize*2+50)
	}
	if n := firstPages.Load(); n != 1 {
		t.Errorf("the first page was fetched %d times; want once (resume, not restart)", n)
	}
}

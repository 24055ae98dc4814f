package federation

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// peer is an in-process server speaking exactly the shapes of another
// fediverse events platform (Gancio, Mobilizon): one actor, documents
// served at their ids, an inbox that checks our signatures.
type peer struct {
	t     *testing.T
	srv   *httptest.Server
	actor string
	mu    sync.Mutex
	docs  map[string]map[string]any // path → document
	got   []map[string]any          // activities received
	m     *mastodon                 // for its key and signature checks
}

func newPeer(t *testing.T, c *clock, actorPath, actorType string) *peer {
	p := &peer{t: t, docs: map[string]map[string]any{}}
	p.m = &mastodon{t: t, now: c.Now}
	p.m.key, _ = keys(t)
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			body, _ := io.ReadAll(r.Body)
			if _, _, err := Verify(r.Context(), r, body, p.m.resolve, c.Now()); err != nil {
				http.Error(w, err.Error(), http.StatusUnauthorized)
				return
			}
			var a map[string]any
			json.Unmarshal(body, &a)
			p.mu.Lock()
			p.got = append(p.got, a)
			p.mu.Unlock()
			w.WriteHeader(http.StatusAccepted)
			return
		}
		p.mu.Lock()
		doc, ok := p.docs[r.URL.Path]
		p.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", ContentType)
		json.NewEncoder(w).Encode(doc)
	}))
	t.Cleanup(p.srv.Close)
	p.actor = p.srv.URL + actorPath
	p.serve(actorPath, map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       p.actor, "type": actorType, "preferredUsername": "relay", "name": "Agenda du Vaucluse",
		"inbox": p.srv.URL + "/inbox", "outbox": p.actor + "/outbox", "endpoints": map[string]any{"sharedInbox": p.srv.URL + "/inbox"},
		"publicKey": map[string]any{"id": p.actor + "#main-key", "owner": p.actor, "publicKeyPem": EncodePublicKey(&p.m.key.PublicKey)},
	})
	return p
}

func (p *peer) serve(path string, doc map[string]any) {
	p.mu.Lock()
	p.docs[path] = doc
	p.mu.Unlock()
}

// send posts an activity of the peer's actor to in's inbox.
func (p *peer) send(in *instance, a map[string]any) int {
	p.t.Helper()
	body, _ := json.Marshal(a)
	req, _ := http.NewRequest(http.MethodPost, in.base+"/inbox", bytes.NewReader(body))
	req.Header.Set("Content-Type", ContentType)
	if err := Sign(req, p.actor+"#main-key", p.m.key, body, p.m.now()); err != nil {
		p.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	resp.Body.Close()
	in.store.Settle() // what the inbox accepted is applied
	return resp.StatusCode
}

// acceptFollow answers the Follow it received with Accept{the whole
// Follow}, as Gancio and Mobilizon do.
func (p *peer) acceptFollow(in *instance) {
	p.t.Helper()
	in.deliver()
	p.mu.Lock()
	var follow map[string]any
	for _, a := range p.got {
		if a["type"] == "Follow" {
			follow = a
		}
	}
	p.mu.Unlock()
	if follow == nil {
		p.t.Fatal("the peer received no Follow")
	}
	if st := p.send(in, map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
		"id": p.actor + "#accept-1", "type": "Accept", "actor": p.actor, "object": follow}); st != http.StatusAccepted {
		p.t.Fatalf("Accept: %d", st)
	}
}

// gancioEvent is an Event as Gancio's toAP writes it (FEDERATION-NOTES
// 1.2): address as one string, no schema.org terms in its context.
func gancioEvent(base, actor string, start time.Time) map[string]any {
	return map[string]any{
		"id": base + "/federation/m/42", "type": "Event", "name": "Atelier smartphone",
		"url":       base + "/event/atelier-smartphone",
		"startTime": start.Format("2006-01-02T15:04:05.000-07:00"), "endTime": start.Add(2 * time.Hour).Format("2006-01-02T15:04:05.000-07:00"),
		"location": map[string]any{"id": base + "/federation/p/7", "type": "Place", "name": "Médiathèque Ceccano",
			"address": "2 bis rue Laboureur, Avignon", "latitude": 43.9463, "longitude": 4.8059},
		"tag":          []any{map[string]any{"type": "Hashtag", "name": "#numerique", "href": base + "/tag/numerique"}},
		"published":    "2026-11-20T10:00:00Z",
		"attributedTo": actor,
		"to":           []any{Public}, "cc": []any{actor + "/followers"},
		"content": "<p>Apprendre à se servir de son téléphone.</p>",
		"summary": "Médiathèque Ceccano, mercredi 2 décembre, 14:00 UTC+1",
	}
}

var gancioContext = []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
	map[string]any{"toot": "http://joinmastodon.org/ns#", "schema": "http://schema.org#", "ProperyValue": "schema:PropertyValue",
		"value": "schema:value", "discoverable": "toot:discoverable", "Hashtag": "https://www.w3.org/ns/activitystreams#Hashtag"}}

func TestGancioInstanceAsASource(t *testing.T) {
	c := newClock()
	avignon := newInstance(t, c, "Arsenic 84", "arsenic84")
	g := newPeer(t, c, "/federation/u/relay", "Application")
	if _, err := avignon.fed.Follow(t.Context(), g.actor); err != nil {
		t.Fatal(err)
	}
	g.acceptFollow(avignon)
	waitFor(t, func() bool { f, _ := avignon.store.FollowingActor(g.actor); return f.Backfilled }, "the follow is accepted")

	start := time.Date(2026, 12, 2, 14, 0, 0, 0, catalogue.Paris)
	ev := gancioEvent(g.srv.URL, g.actor, start)
	create := map[string]any{"@context": gancioContext, "id": g.srv.URL + "/federation/m/42#Create-1", "type": "Create",
		"actor": g.actor, "to": []any{Public}, "object": ev}
	if st := g.send(avignon, create); st != http.StatusAccepted {
		t.Fatalf("Create: %d", st)
	}
	got, err := avignon.store.Event(g.srv.URL + "/federation/m/42")
	if err != nil {
		t.Fatal(err)
	}
	if got.Nom != "Atelier smartphone" || !got.Debut.Equal(start) || got.Network.Actor != g.actor || got.Network.Name != "Agenda du Vaucluse" {
		t.Errorf("stored %+v", got)
	}
	place, err := avignon.store.Place(got.Lieu)
	if err != nil || place.Nom != "Médiathèque Ceccano" || place.Adresse == "" || place.Latitude == nil {
		t.Errorf("its place: %+v %v", place, err)
	}

	// Update reuses the object with updated; Delete sends the full object.
	ev["name"], ev["updated"] = "Atelier smartphone (complet)", "2026-11-25T09:00:00Z"
	g.send(avignon, map[string]any{"@context": gancioContext, "id": g.srv.URL + "/federation/m/42#Update-2", "type": "Update", "actor": g.actor, "object": ev})
	if got, _ := avignon.store.Event(g.srv.URL + "/federation/m/42"); got == nil || got.Nom != "Atelier smartphone (complet)" {
		t.Errorf("after Update: %+v", got)
	}
	if st := g.send(avignon, map[string]any{"@context": gancioContext, "id": g.srv.URL + "/federation/m/42#Delete-3", "type": "Delete", "actor": g.actor, "object": ev}); st != http.StatusAccepted {
		t.Fatalf("Delete: %d", st)
	}
	if _, err := avignon.store.Event(g.srv.URL + "/federation/m/42"); err == nil {
		t.Error("the event deleted by a Gancio-style Delete (full object) is still there")
	}
}

// followedMobilizonRelay starts a Mobilizon instance relay that in
// follows, and returns it with a group's event from the reference sample,
// moved to the relay's host and served there.
func followedMobilizonRelay(t *testing.T, c *clock, in *instance) (*peer, map[string]any) {
	t.Helper()
	m := newPeer(t, c, "/relay", "Application")
	if _, err := in.fed.Follow(t.Context(), m.actor); err != nil {
		t.Fatal(err)
	}
	m.acceptFollow(in)
	waitFor(t, func() bool { f, _ := in.store.FollowingActor(m.actor); return f.Backfilled }, "the follow is accepted")

	data, err := json.Marshal(readFixture(t, "mobilizon-create-event.json"))
	if err != nil {
		t.Fatal(err)
	}
	raw := string(data)
	for _, host := range []string{"https://mobilizon.fr", "https://event1.tcit.fr", "https://framapiaf.org"} {
		raw = strings.ReplaceAll(raw, host, m.srv.URL)
	}
	var create map[string]any
	if err := json.Unmarshal([]byte(raw), &create); err != nil {
		t.Fatal(err)
	}
	event := create["object"].(map[string]any)
	event["startTime"], event["endTime"] = "2026-12-05T10:00:00+01:00", "2026-12-05T12:00:00+01:00"
	event["attributedTo"] = m.actor
	event["@context"] = create["@context"]
	m.serve(strings.TrimPrefix(event["id"].(string), m.srv.URL), event)
	return m, event
}

func TestMobilizonRelayAsASource(t *testing.T) {
	c := newClock()
	avignon := newInstance(t, c, "Arsenic 84", "arsenic84")
	m, event := followedMobilizonRelay(t, c, avignon)
	id := event["id"].(string)

	// The relay announces it with the object embedded.
	announce := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "type": "Announce",
		"id": id + "/announces/1", "actor": m.actor, "object": event, "to": []any{Public}}
	if st := m.send(avignon, announce); st != http.StatusAccepted {
		t.Fatalf("Announce: %d", st)
	}
	got, err := avignon.store.Event(id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Nom != "My first event" || got.Statut == catalogue.StatusCancelled {
		t.Errorf("stored %+v", got)
	}
	if p, err := avignon.store.Place(got.Lieu); err != nil || p.Nom != "Locaux de Framasoft" || p.Commune != "Lyon" || p.CodePostal != "69007" {
		t.Errorf("its place: %+v %v", p, err)
	}

	// Mobilizon cancels with ical:status; the relay announces the update.
	event["ical:status"], event["updated"] = "CANCELLED", "2026-11-25T09:00:00Z"
	m.serve(strings.TrimPrefix(id, m.srv.URL), event)
	announce["id"] = id + "/announces/2"
	m.send(avignon, announce)
	if got, _ := avignon.store.Event(id); got == nil || got.Statut != catalogue.StatusCancelled {
		t.Errorf("after the cancellation: %+v", got)
	}
}

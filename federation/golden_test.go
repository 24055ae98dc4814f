package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestGoldenDocuments")

// TestGoldenDocuments compares every kind of document Maillage emits with
// its golden copy in testdata/golden, which docs/FEDERATION.md describes:
// a change of shape must be deliberate (-update) and visible in review.
func TestGoldenDocuments(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	paca := newInstance(t, c, "Région Sud", "paca")

	docs := map[string][]byte{}
	// The Follow, as queued by the follower.
	if _, err := paca.fed.Follow(context.Background(), a13.acct()); err != nil {
		t.Fatal(err)
	}
	docs["follow"] = queued(t, paca)[0]
	paca.deliver()
	docs["accept"] = queued(t, a13)[0]
	a13.deliver()
	waitFor(t, func() bool { f, _ := paca.store.FollowingActor(a13.fed.Actor()); return f.Backfilled }, "backfill")

	p := a13.place("Médiathèque de l'Alcazar", "Marseille")
	docs["create-place"] = queued(t, a13)[0]
	a13.deliver()
	e := a13.event("Atelier smartphone", p, time.Date(2026, 11, 26, 14, 30, 0, 0, catalogue.Paris))
	docs["create-event"] = queued(t, a13)[0]
	a13.deliver()
	gone := a13.place("Ancien cyber-espace", "Marseille")
	a13.deliver()
	c.Add(time.Hour)
	if err := a13.store.DeletePlace(gone.ID); err != nil {
		t.Fatal(err)
	}
	docs["delete-place"] = queued(t, a13)[0]
	a13.deliver()

	get := func(path, accept string, status int) []byte {
		req, _ := http.NewRequest(http.MethodGet, a13.base+path, nil)
		req.Header.Set("Accept", accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != status {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		return body
	}
	const ap = "application/activity+json"
	docs["actor"] = get("/actor", ap, 200)
	docs["webfinger"] = get("/.well-known/webfinger?resource=acct:"+a13.acct(), "application/jrd+json", 200)
	docs["nodeinfo-links"] = get("/.well-known/nodeinfo", "application/json", 200)
	docs["nodeinfo"] = get("/nodeinfo/2.1", "application/json", 200)
	docs["place"] = get(strings.TrimPrefix(p.APID, a13.base), ap, 200)
	docs["event"] = get(strings.TrimPrefix(e.APID, a13.base), `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`, 200)
	docs["tombstone"] = get(strings.TrimPrefix(gone.APID, a13.base), ap, 410)
	docs["places"] = get("/actor/places", ap, 200)
	docs["places-page"] = get("/actor/places?page=1", ap, 200)
	docs["events-page"] = get("/actor/events?page=1", ap, 200)
	docs["outbox-page"] = get("/actor/outbox?page=1", ap, 200)
	docs["followers"] = get("/actor/followers", ap, 200)
	// A mobile unit's stop, on an instance of its own (lists order by
	// random ids): a location without id, the unit beside it.
	a04 := newInstance(t, c, "Numérique 04", "num04")
	bus := a04.unit("Bus numérique")
	stop := a04.stop(bus, time.Date(2026, 11, 27, 9, 30, 0, 0, catalogue.Paris))
	req, _ := http.NewRequest(http.MethodGet, stop.APID, nil)
	req.Header.Set("Accept", ap)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	docs["stop-event"], _ = io.ReadAll(resp.Body)
	resp.Body.Close()

	ids := strings.NewReplacer(
		a13.base, "https://arsenic13.example", strings.TrimPrefix(a13.base, "http://"), "arsenic13.example",
		paca.base, "https://region-sud.example",
		path(p.APID), "alcazar", path(e.APID), "atelier-smartphone", path(gone.APID), "ancien-cyber-espace",
		a04.base, "https://num04.example", path(bus.APID), "bus-numerique", path(stop.APID), "permanence-mane",
	)
	for name, raw := range docs {
		got := normalise(t, ids.Replace(string(raw)))
		file := filepath.Join("testdata", "golden", name+".json")
		if *update {
			if err := os.WriteFile(file, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s:\n%s", name, file, got)
		}
	}
}

func path(iri string) string { return iri[strings.LastIndex(iri, "/")+1:] }

var (
	pemPattern      = regexp.MustCompile(`-----BEGIN PUBLIC KEY-----[^"]*-----END PUBLIC KEY-----\\n`)
	activityPattern = regexp.MustCompile(`/activities/[a-z0-9]+`)
)

// normalise replaces what changes from run to run (keys, random activity
// ids) and indents.
func normalise(t *testing.T, s string) []byte {
	s = pemPattern.ReplaceAllString(s, "(PEM)")
	s = activityPattern.ReplaceAllString(s, "/activities/ID")
	var out bytes.Buffer
	if err := json.Indent(&out, []byte(s), "", "  "); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

// queued returns the bodies waiting in in's delivery queue.
func queued(t *testing.T, in *instance) [][]byte {
	t.Helper()
	due, err := in.store.DueDeliveries(in.clock.Now().Add(time.Hour), 100)
	if err != nil || len(due) == 0 {
		t.Fatalf("queue: %d, %v", len(due), err)
	}
	var out [][]byte
	for _, d := range due {
		out = append(out, d.Activity)
	}
	return out
}

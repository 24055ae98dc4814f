package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/federation/safehttp"
	"github.com/maillage/maillage/storage"
)

// post sends body to the inbox of to, signed by from at from's clock,
// after change (which may alter the signed request), and returns the
// status.
func (from *instance) post(to *instance, body []byte, change func(*http.Request)) int {
	from.t.Helper()
	req, err := http.NewRequest(http.MethodPost, to.base+"/inbox", bytes.NewReader(body))
	if err != nil {
		from.t.Fatal(err)
	}
	req.Header.Set("Content-Type", ContentType)
	if err := Sign(req, from.fed.keyID, from.fed.key, body, from.clock.Now()); err != nil {
		from.t.Fatal(err)
	}
	if change != nil {
		change(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		from.t.Fatal(err)
	}
	resp.Body.Close()
	to.store.Settle() // what the inbox accepted is applied
	return resp.StatusCode
}

// activity is an activity of in's actor about obj, as JSON.
func (in *instance) activity(kind, id string, obj any) []byte {
	in.t.Helper()
	b, err := json.Marshal(Document(map[string]any{
		"id": in.base + "/activities/" + id, "type": kind, "actor": in.fed.Actor(), "object": obj,
		"to": []string{Public},
	}))
	if err != nil {
		in.t.Fatal(err)
	}
	return b
}

// remotePlace is a place of in's that in has not stored: an object its
// actor may publish.
func (in *instance) remotePlace(id, name string) *catalogue.Place {
	lat, lon := 43.3, 5.4
	p := &catalogue.Place{
		APID: in.base + "/lieux/" + id, Network: catalogue.Network{Actor: in.fed.Actor()},
		Nom: name, Adresse: "2 rue de la République", CodePostal: "13002", Commune: "Marseille",
		Latitude: &lat, Longitude: &lon, DateMaj: "2026-11-01", Updated: in.clock.Now(),
	}
	p.Normalize()
	return p
}

// unchanged fails the test when the region's catalogue moved.
func unchanged(t *testing.T, region *instance, places, events int) {
	t.Helper()
	ps, _ := region.store.Places(catalogue.PlaceQuery{})
	es, _ := region.store.Events(catalogue.EventQuery{From: region.clock.Now().AddDate(-1, 0, 0), To: region.clock.Now().AddDate(1, 0, 0)})
	if ps.Total != places || es.Total != events {
		t.Errorf("the region now has %d places and %d events; want %d and %d", ps.Total, es.Total, places, events)
	}
	if err := region.store.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
}

func TestInboxRefusesHostileActivities(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	a83 := newInstance(t, c, "Arsenic 83", "arsenic83")
	paca := newInstance(t, c, "Région Sud", "paca")
	paca.follow(a13)
	good := a13.activity("Create", "good", PlaceObject(a13.remotePlace("p1", "EPN du Panier")))

	cases := []struct {
		name   string
		from   *instance
		body   []byte
		change func(*http.Request)
		want   int
	}{
		{"unsigned", a13, good, func(r *http.Request) { r.Header.Del("Signature") }, http.StatusUnauthorized},
		{"body changed after signing", a13, good, func(r *http.Request) {
			evil := bytes.Replace(good, []byte("EPN du Panier"), []byte("EPN piraté!!"), 1)
			r.Body, r.ContentLength = nopCloser(evil), int64(len(evil))
		}, http.StatusUnauthorized},
		{"stale date", a13, good, nil, http.StatusUnauthorized}, // signed 13 h ago, below
		{"actor is not the signer", a83, good, nil, http.StatusUnauthorized},
		{"object on another host", a13, a13.activity("Create", "other-host",
			PlaceObject(a83.remotePlace("p9", "Fablab"))), nil, http.StatusForbidden},
		{"network not followed", a83, a83.activity("Create", "unfollowed",
			PlaceObject(a83.remotePlace("p2", "Fablab de Toulon"))), nil, http.StatusForbidden},
		{"malformed JSON", a13, []byte(`{"type":"Create",`), nil, http.StatusBadRequest},
		{"not an activity", a13, []byte(`{"type":"Create","id":"not a url","actor":"` + a13.fed.Actor() + `"}`), nil, http.StatusBadRequest},
		{"object not embedded", a13, a13.activity("Create", "by-ref", a13.base+"/lieux/p1"), nil, http.StatusBadRequest},
		{"place without a name", a13, a13.activity("Create", "no-name",
			PlaceObject(a13.remotePlace("p3", ""))), nil, http.StatusBadRequest},
		{"delete of another network's place", a13, a13.activity("Delete", "del-other", a83.base+"/lieux/p1"), nil, http.StatusForbidden},
		{"too large", a13, append(bytes.Repeat([]byte(" "), 2<<20), good...), nil, http.StatusRequestEntityTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "stale date" {
				req, _ := http.NewRequest(http.MethodPost, paca.base+"/inbox", bytes.NewReader(good))
				Sign(req, a13.fed.keyID, a13.fed.key, good, c.Now().Add(-13*time.Hour))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != tc.want {
					t.Errorf("status %d; want %d", resp.StatusCode, tc.want)
				}
			} else if got := tc.from.post(paca, tc.body, tc.change); got != tc.want {
				t.Errorf("status %d; want %d", got, tc.want)
			}
			unchanged(t, paca, 0, 0)
		})
	}

	// The genuine activity still goes through after all that.
	if got := a13.post(paca, good, nil); got != http.StatusAccepted {
		t.Fatalf("genuine Create: status %d", got)
	}
	unchanged(t, paca, 1, 0)
}

func TestInboxIgnoresReplays(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	paca := newInstance(t, c, "Région Sud", "paca")
	paca.follow(a13)

	p := a13.remotePlace("p1", "EPN du Panier")
	create := a13.activity("Create", "c1", PlaceObject(p))
	if got := a13.post(paca, create, nil); got != http.StatusAccepted {
		t.Fatalf("Create: %d", got)
	}
	c.Add(time.Minute)
	p.Nom, p.Updated = "EPN du Panier (rénové)", c.Now()
	if got := a13.post(paca, a13.activity("Update", "u1", PlaceObject(p)), nil); got != http.StatusAccepted {
		t.Fatalf("Update: %d", got)
	}
	// The first Create arrives again (a retry, or a replay by someone who
	// recorded it): it is acknowledged and changes nothing.
	if got := a13.post(paca, create, nil); got != http.StatusAccepted {
		t.Errorf("replayed Create: %d; want 202", got)
	}
	got, err := paca.store.Place(p.APID)
	if err != nil || got.Nom != "EPN du Panier (rénové)" {
		t.Errorf("after the replay the place is %+v, %v; want the updated name", got, err)
	}
	unchanged(t, paca, 1, 0)
}

func TestInboxSanitisesRemoteContent(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	paca := newInstance(t, c, "Région Sud", "paca")
	paca.follow(a13)

	p := a13.remotePlace("p1", "EPN")
	e := &catalogue.Event{
		APID: a13.base + "/evenements/e1", Network: p.Network, Nom: "<b>Atelier</b> <script>x</script>",
		Description: `<p onclick="steal()">Venez <script>alert(1)</script><a href="javascript:alert(1)">ici</a></p>`,
		Debut:       c.Now().Add(24 * time.Hour), Fin: c.Now().Add(26 * time.Hour), Updated: c.Now(),
	}
	obj := EventObject(e, p)
	obj["content"] = e.Description // as a hostile peer would send it, unsanitised
	obj["name"] = e.Nom
	if got := a13.post(paca, a13.activity("Create", "c1", obj), nil); got != http.StatusAccepted {
		t.Fatalf("Create: %d", got)
	}
	got, err := paca.store.Event(e.APID)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "onclick", "javascript:", "alert(1)"} {
		if strings.Contains(got.Description, bad) {
			t.Errorf("stored description keeps %q: %s", bad, got.Description)
		}
	}
	if !strings.Contains(got.Description, "Venez") {
		t.Errorf("stored description lost its text: %s", got.Description)
	}
	if strings.ContainsAny(got.Nom, "<>") {
		t.Errorf("stored name keeps markup: %q", got.Nom)
	}
}

func nopCloser(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }

func TestPrivateAddressesAreNotFetchedUnlessAllowed(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	st, err := storage.Open(t.TempDir(), storage.Options{BaseURL: "https://region.example", Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fed, err := New(Config{Store: st, BaseURL: "https://region.example", Now: c.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fed.Follow(context.Background(), a13.fed.Actor()); !errors.Is(err, safehttp.ErrPrivateAddress) {
		t.Errorf("Follow of %s: %v; want ErrPrivateAddress", a13.fed.Actor(), err)
	}
	// An activity whose key lives on a private address is refused without
	// fetching it.
	body := a13.activity("Follow", "f1", "https://region.example/actor")
	req := httptest.NewRequest(http.MethodPost, "/inbox", bytes.NewReader(body))
	req.Host = "region.example"
	Sign(req, a13.fed.keyID, a13.fed.key, body, c.Now())
	w := httptest.NewRecorder()
	r := mux.NewRouter()
	fed.Register(r)
	r.ServeHTTP(w, req)
	if w.Code != http.StatusUnauthorized {
		t.Errorf("inbox answered %d; want 401", w.Code)
	}
	if fs, _ := st.Followers(); len(fs) != 0 {
		t.Errorf("followers: %+v", fs)
	}
}

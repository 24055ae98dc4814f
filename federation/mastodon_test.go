package federation

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// mastodon is a Mastodon-shaped server: Person actors served from the
// reference fixture, each with its own key, one shared inbox, and inboxes
// that verify our signatures the way Mastodon does.
type mastodon struct {
	t    *testing.T
	srv  *httptest.Server
	key  *rsa.PrivateKey
	now  func() time.Time
	mu   sync.Mutex
	got  map[string][][]byte // inbox path → bodies received
	errs []error
}

func newMastodon(t *testing.T, now func() time.Time) *mastodon {
	fixture, err := os.ReadFile(fixtureDir + "/mastodon-actor-person.json")
	if err != nil {
		t.Fatal(err)
	}
	key, _ := keys(t)
	m := &mastodon{t: t, key: key, now: now, got: map[string][][]byte{}}
	m.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/users/") {
			name := strings.TrimPrefix(r.URL.Path, "/users/")
			var doc map[string]any
			json.Unmarshal(bytes.ReplaceAll(fixture, []byte("https://framapiaf.org/users/peertube"), []byte(m.srv.URL+"/users/"+name)), &doc)
			doc["preferredUsername"] = name
			doc["endpoints"] = map[string]any{"sharedInbox": m.srv.URL + "/inbox"}
			pk := doc["publicKey"].(map[string]any)
			pk["publicKeyPem"] = EncodePublicKey(&m.key.PublicKey)
			w.Header().Set("Content-Type", ContentType)
			json.NewEncoder(w).Encode(doc)
			return
		}
		if r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		_, _, err := Verify(r.Context(), r, body, m.resolve, m.now())
		m.mu.Lock()
		defer m.mu.Unlock()
		if err != nil {
			m.errs = append(m.errs, err)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		m.got[r.URL.Path] = append(m.got[r.URL.Path], body)
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(m.srv.Close)
	return m
}

// resolve fetches the key of the Maillage actor that signed a request.
func (m *mastodon) resolve(ctx context.Context, keyID string, _ bool) (*rsa.PublicKey, string, error) {
	actor, _, _ := strings.Cut(keyID, "#")
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, actor, nil)
	req.Header.Set("Accept", ContentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	var doc struct {
		ID        string
		PublicKey struct{ ID, Owner, PublicKeyPem string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return nil, "", err
	}
	if doc.PublicKey.ID != keyID || doc.PublicKey.Owner != doc.ID {
		return nil, "", errors.New("key mismatch")
	}
	k, err := DecodePublicKey(doc.PublicKey.PublicKeyPem)
	return k, doc.ID, err
}

// follow sends the Follow of user to the network's inbox.
func (m *mastodon) follow(user string, network *instance) {
	m.t.Helper()
	actor := m.srv.URL + "/users/" + user
	body, _ := json.Marshal(map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams", "id": actor + "#follows/1",
		"type": "Follow", "actor": actor, "object": network.fed.Actor(),
	})
	req, _ := http.NewRequest(http.MethodPost, network.base+"/actor/inbox", bytes.NewReader(body))
	req.Header.Set("Content-Type", ContentType)
	if err := Sign(req, actor+"#main-key", m.key, body, m.now()); err != nil {
		m.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		m.t.Fatalf("Follow of %s: status %d", user, resp.StatusCode)
	}
}

func (m *mastodon) received(path string) [][]byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.got[path]
}

func TestMastodonUsersFollowTheNetwork(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	m := newMastodon(t, c.Now)
	m.follow("alice", a13)
	m.follow("bob", a13)
	a13.deliver()
	for _, user := range []string{"alice", "bob"} {
		got := m.received("/users/" + user + "/inbox")
		if len(got) != 1 || !bytes.Contains(got[0], []byte(`"Accept"`)) {
			t.Errorf("%s received %q; want one Accept", user, got)
		}
	}

	p := a13.place("Médiathèque de l'Alcazar", "Marseille")
	a13.deliver()
	e := a13.event("Atelier smartphone", p, time.Date(2026, 11, 26, 14, 30, 0, 0, c.Now().Location()))
	a13.deliver()
	shared := m.received("/inbox")
	if len(shared) != 1 {
		t.Fatalf("the shared inbox received %d activities; want 1 (the event, not the place: people follow ateliers), once for both followers", len(shared))
	}
	var create struct {
		Type   string
		To     []string
		Object map[string]any
	}
	if err := json.Unmarshal(shared[0], &create); err != nil {
		t.Fatal(err)
	}
	o := create.Object
	if create.Type != "Create" || o["type"] != "Event" || o["id"] != e.APID {
		t.Fatalf("received %s of %v %v; want Create of the event", create.Type, o["type"], o["id"])
	}
	// Mastodon shows name, summary, content and url of an Event.
	summary, _ := o["summary"].(string)
	for _, want := range []string{"jeudi 26 novembre 2026", "14 h 30", "Médiathèque de l'Alcazar", "Marseille"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary %q lacks %q", summary, want)
		}
	}
	if o["name"] != "Atelier smartphone" || !strings.HasPrefix(summary, "Atelier smartphone · ") || o["content"] == "" || o["url"] != e.APID {
		t.Errorf("name %v, content %v, url %v", o["name"], o["content"], o["url"])
	}
	if len(create.To) == 0 || create.To[0] != Public {
		t.Errorf("to %v; want Public, so that it shows in timelines", create.To)
	}
	if len(m.errs) > 0 {
		t.Errorf("signatures refused by the Mastodon side: %v", m.errs)
	}
}

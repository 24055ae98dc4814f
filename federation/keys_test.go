package federation

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// keyServer is a fediverse server of one software's shape: it serves the
// documents of testdata/keys under its own address and with its own key,
// counts the GETs of each path, and, like GoToSocial, may answer actor
// documents only to GETs signed by a key it can fetch.
type keyServer struct {
	t          *testing.T
	srv        *httptest.Server
	now        func() time.Time
	mu         sync.Mutex
	key        *rsa.PrivateKey
	docs       map[string]string // path → fixture file
	public     map[string]bool   // paths served to unsigned GETs
	authorized bool              // other paths need a signed GET
	fetches    map[string]int
	slow       chan struct{} // when set, GETs wait for it to close
	inFlight   int
	maxFlight  int
}

// fixture origins replaced by the test server's address.
var fixtureOrigins = []string{"http://localhost:8080", "https://framapiaf.org"}

func newKeyServer(t *testing.T, now func() time.Time, key *rsa.PrivateKey) *keyServer {
	ks := &keyServer{t: t, now: now, key: key, docs: map[string]string{}, public: map[string]bool{}, fetches: map[string]int{}}
	ks.srv = httptest.NewServer(http.HandlerFunc(ks.serve))
	t.Cleanup(ks.srv.Close)
	return ks
}

func (ks *keyServer) serve(w http.ResponseWriter, r *http.Request) {
	ks.mu.Lock()
	ks.fetches[r.URL.Path]++
	ks.inFlight++
	ks.maxFlight = max(ks.maxFlight, ks.inFlight)
	file, slow, key := ks.docs[r.URL.Path], ks.slow, ks.key
	needSig := ks.authorized && !ks.public[r.URL.Path]
	ks.mu.Unlock()
	defer func() { ks.mu.Lock(); ks.inFlight--; ks.mu.Unlock() }()
	if slow != nil {
		<-slow
	}
	if r.Method != http.MethodGet || file == "" {
		http.NotFound(w, r)
		return
	}
	if needSig {
		if _, _, err := Verify(r.Context(), r, nil, fetchMaillageKey, ks.now()); err != nil {
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		ks.t.Error(err)
		return
	}
	for _, origin := range fixtureOrigins {
		data = bytes.ReplaceAll(data, []byte(origin), []byte(ks.srv.URL))
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		ks.t.Error(err)
		return
	}
	setPEM(doc, EncodePublicKey(&key.PublicKey))
	w.Header().Set("Content-Type", ContentType)
	json.NewEncoder(w).Encode(doc)
}

// setPEM replaces every publicKeyPem in v with pem.
func setPEM(v any, pem string) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if k == "publicKeyPem" {
				v[k] = pem
			} else {
				setPEM(x, pem)
			}
		}
	case []any:
		for _, x := range v {
			setPEM(x, pem)
		}
	}
}

// fetchMaillageKey resolves the key of a Maillage instance signing a GET.
func fetchMaillageKey(ctx context.Context, keyID string, _ bool) (*rsa.PublicKey, string, error) {
	actor, _, _ := strings.Cut(keyID, "#")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, actor, nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Accept", ContentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	var doc struct {
		PublicKey struct{ ID, PublicKeyPem string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return nil, "", err
	}
	k, err := DecodePublicKey(doc.PublicKey.PublicKeyPem)
	return k, actor, err
}

func (ks *keyServer) serveDoc(path, file string, public bool) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	ks.docs[path], ks.public[path] = file, public
}

func (ks *keyServer) count(path string) int {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	return ks.fetches[path]
}

func (ks *keyServer) total() int {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	n := 0
	for _, c := range ks.fetches {
		n += c
	}
	return n
}

// follow posts a Follow of to's actor by actor, signed with key under
// keyID with the given algorithm, and returns the inbox's status and body.
func (ks *keyServer) follow(to *instance, actor, keyID string, key *rsa.PrivateKey, algorithm string) (int, string) {
	ks.t.Helper()
	body, _ := json.Marshal(map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams", "type": "Follow",
		"id": actor + "/follow/" + randomID(), "actor": actor, "object": to.fed.Actor(), "to": to.fed.Actor(),
	})
	req, err := http.NewRequest(http.MethodPost, to.base+"/actor/inbox", bytes.NewReader(body))
	if err != nil {
		ks.t.Fatal(err)
	}
	req.Header.Set("Content-Type", ContentType)
	if err := Sign(req, keyID, key, body, to.clock.Now()); err != nil {
		ks.t.Fatal(err)
	}
	req.Header.Set("Signature", strings.Replace(req.Header.Get("Signature"), `algorithm="rsa-sha256"`, `algorithm="`+algorithm+`"`, 1))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ks.t.Fatal(err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	to.store.Settle()
	return resp.StatusCode, string(msg)
}

func isFollower(t *testing.T, in *instance, actor string) bool {
	t.Helper()
	fs, err := in.store.Followers()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Actor == actor {
			return true
		}
	}
	return false
}

// TestSignatureKeyShapes follows a network from servers publishing their
// keys in each shape real servers use, with real signatures through a real
// inbox, and checks how often each document is fetched.
func TestSignatureKeyShapes(t *testing.T) {
	key, _ := keys(t)
	cases := []struct {
		name      string
		docs      map[string]string // path → fixture
		actor     string            // path
		keyID     string            // path and fragment
		algorithm string
		fetches   map[string]int // path → GETs for two follows
	}{
		{
			name: "GoToSocial: key document {actor}/main-key, stub without inbox",
			docs: map[string]string{
				"/users/the_mighty_zork":          "testdata/keys/gotosocial-actor-person.json",
				"/users/the_mighty_zork/main-key": "testdata/keys/gotosocial-main-key.json",
			},
			actor: "/users/the_mighty_zork", keyID: "/users/the_mighty_zork/main-key", algorithm: "hs2019",
			fetches: map[string]int{"/users/the_mighty_zork/main-key": 1, "/users/the_mighty_zork": 1},
		},
		{
			name:  "Mastodon: {actor}#main-key",
			docs:  map[string]string{"/users/peertube": fixtureDir + "/mastodon-actor-person.json"},
			actor: "/users/peertube", keyID: "/users/peertube#main-key", algorithm: "rsa-sha256",
			fetches: map[string]int{"/users/peertube": 1},
		},
		{
			name:  "key id equal to the actor",
			docs:  map[string]string{"/users/peertube": "testdata/keys/actor-key-is-actor.json"},
			actor: "/users/peertube", keyID: "/users/peertube", algorithm: "hs2019",
			fetches: map[string]int{"/users/peertube": 1},
		},
		{
			name: "CryptographicKey document with a top-level owner",
			docs: map[string]string{
				"/users/peertube":        "testdata/keys/actor-with-key-document.json",
				"/users/peertube/keys/1": "testdata/keys/key-document.json",
			},
			actor: "/users/peertube", keyID: "/users/peertube/keys/1", algorithm: "rsa-sha256",
			fetches: map[string]int{"/users/peertube/keys/1": 1, "/users/peertube": 1},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newClock()
			a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
			ks := newKeyServer(t, c.Now, key)
			ks.authorized = true // GoToSocial's authorized fetch: our GETs must be signed
			for path, file := range tc.docs {
				ks.serveDoc(path, file, path == tc.keyID)
			}
			actor, keyID := ks.srv.URL+tc.actor, ks.srv.URL+tc.keyID
			for i := range 2 {
				if code, msg := ks.follow(a13, actor, keyID, key, tc.algorithm); code != http.StatusAccepted {
					t.Fatalf("Follow %d: status %d %q; want 202", i+1, code, msg)
				}
			}
			if !isFollower(t, a13, actor) {
				t.Errorf("%s is not a follower", actor)
			}
			for path, want := range tc.fetches {
				if got := ks.count(path); got != want {
					t.Errorf("GETs of %s: %d; want %d (keys and actors are cached)", path, got, want)
				}
			}
		})
	}
}

// TestSignatureKeyOwnership refuses keys whose owner is not the activity's
// actor or whose owner does not name them back.
func TestSignatureKeyOwnership(t *testing.T) {
	key, other := keys(t)
	const actorPath, keyPath = "/users/the_mighty_zork", "/users/the_mighty_zork/main-key"
	cases := []struct {
		name  string
		setup func(ks *keyServer)
		actor string // path of the activity's actor, when not actorPath
		key   *rsa.PrivateKey
	}{
		{name: "signed with another key", key: other},
		{name: "owner's actor names another key", setup: func(ks *keyServer) {
			// The stub says zork owns the key; zork's actor lists only #main-key.
			data, err := os.ReadFile("testdata/keys/gotosocial-actor-person.json")
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "actor.json")
			os.WriteFile(file, bytes.Replace(data, []byte(`/main-key"`), []byte(`#main-key"`), 1), 0o644)
			ks.serveDoc(actorPath, file, false)
		}},
		{name: "key of another actor of the same host", actor: "/users/mallory"},
		{name: "owner's actor unreachable", setup: func(ks *keyServer) { ks.serveDoc(actorPath, "", false) }},
		{name: "key document answers no key", setup: func(ks *keyServer) {
			ks.serveDoc(keyPath, "testdata/keys/gotosocial-follow.json", true)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newClock()
			a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
			ks := newKeyServer(t, c.Now, key)
			ks.serveDoc(actorPath, "testdata/keys/gotosocial-actor-person.json", false)
			ks.serveDoc(keyPath, "testdata/keys/gotosocial-main-key.json", true)
			if tc.setup != nil {
				tc.setup(ks)
			}
			signer, actor := key, ks.srv.URL+actorPath
			if tc.key != nil {
				signer = tc.key
			}
			if tc.actor != "" {
				actor = ks.srv.URL + tc.actor
			}
			code, msg := ks.follow(a13, actor, ks.srv.URL+keyPath, signer, "hs2019")
			if code != http.StatusUnauthorized {
				t.Errorf("status %d %q; want 401", code, msg)
			}
			if strings.Contains(msg, "fetch") || strings.Contains(msg, "status") || strings.Contains(msg, "dial") {
				t.Errorf("the 401 answer tells internal detail: %q", msg)
			}
			if isFollower(t, a13, actor) {
				t.Errorf("%s became a follower", actor)
			}
		})
	}
}

// TestSignatureKeyRotation: a key rotated by its owner is fetched again
// when a signature does not verify with the cached one, at most once a
// minute.
func TestSignatureKeyRotation(t *testing.T) {
	oldKey, newKey := keys(t)
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	ks := newKeyServer(t, c.Now, oldKey)
	ks.serveDoc("/users/the_mighty_zork", "testdata/keys/gotosocial-actor-person.json", false)
	ks.serveDoc("/users/the_mighty_zork/main-key", "testdata/keys/gotosocial-main-key.json", true)
	actor, keyID := ks.srv.URL+"/users/the_mighty_zork", ks.srv.URL+"/users/the_mighty_zork/main-key"
	if code, msg := ks.follow(a13, actor, keyID, oldKey, "hs2019"); code != http.StatusAccepted {
		t.Fatalf("Follow with the first key: %d %q", code, msg)
	}
	ks.mu.Lock()
	ks.key = newKey
	ks.mu.Unlock()
	c.Add(10 * time.Second)
	if code, _ := ks.follow(a13, actor, keyID, newKey, "hs2019"); code != http.StatusUnauthorized {
		t.Errorf("a new key 10 s after the last fetch: %d; want 401 (one fetch per key a minute)", code)
	}
	if n := ks.count("/users/the_mighty_zork/main-key"); n != 1 {
		t.Errorf("key fetched %d times within a minute; want 1", n)
	}
	c.Add(2 * time.Minute)
	if code, msg := ks.follow(a13, actor, keyID, newKey, "hs2019"); code != http.StatusAccepted {
		t.Fatalf("Follow with the rotated key: %d %q; want 202", code, msg)
	}
	if n := ks.count("/users/the_mighty_zork/main-key"); n != 2 {
		t.Errorf("key fetched %d times; want 2 (once more for the rotation)", n)
	}
	if code, _ := ks.follow(a13, actor, keyID, oldKey, "hs2019"); code != http.StatusUnauthorized {
		t.Errorf("the old key after rotation: %d; want 401", code)
	}
}

// TestForgedSignaturesFetchOnce: requests with signatures that do not
// verify, naming a real key or a missing one, make one fetch of each key
// id a minute, however many they are, and learn nothing from the answer.
func TestForgedSignaturesFetchOnce(t *testing.T) {
	key, forger := keys(t)
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	ks := newKeyServer(t, c.Now, key)
	ks.serveDoc("/users/peertube", fixtureDir+"/mastodon-actor-person.json", true)
	actor := ks.srv.URL + "/users/peertube"
	for _, keyID := range []string{actor + "#main-key", ks.srv.URL + "/nothing-here#main-key"} {
		for range 10 {
			code, msg := ks.follow(a13, actor, keyID, forger, "rsa-sha256")
			if code != http.StatusUnauthorized {
				t.Fatalf("forged signature with key %s: %d; want 401", keyID, code)
			}
			if msg != "signature HTTP refusée\n" {
				t.Fatalf("the 401 answer is %q; want the generic message only", msg)
			}
		}
	}
	if n := ks.count("/users/peertube"); n != 1 {
		t.Errorf("20 forged requests fetched the actor %d times; want 1", n)
	}
	if n := ks.count("/nothing-here"); n != 1 {
		t.Errorf("10 forged requests fetched a missing key %d times; want 1 (negative cache)", n)
	}
	c.Add(2 * time.Minute)
	ks.follow(a13, actor, ks.srv.URL+"/nothing-here#main-key", forger, "rsa-sha256")
	if n := ks.count("/nothing-here"); n != 2 {
		t.Errorf("a minute later the missing key was fetched %d times in all; want 2", n)
	}
	if isFollower(t, a13, actor) {
		t.Error("a forged Follow was accepted")
	}
}

// TestKeyFetchesPerHostAreCapped: many key ids of one slow host are
// fetched at most hostFetches at a time; the requests that cannot wait
// get 503 with Retry-After.
func TestKeyFetchesPerHostAreCapped(t *testing.T) {
	key, _ := keys(t)
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	ks := newKeyServer(t, c.Now, key)
	ks.slow = make(chan struct{})
	codes := make(chan int, 12)
	for i := range 12 {
		go func() {
			actor := ks.srv.URL + "/users/u" + string(rune('a'+i))
			code, _ := ks.follow(a13, actor, actor+"#main-key", key, "rsa-sha256")
			codes <- code
		}()
	}
	seen := map[int]int{}
	for range 12 - hostFetches {
		seen[<-codes]++ // those waiting for a slot give up after hostWait
	}
	close(ks.slow)
	for range hostFetches {
		seen[<-codes]++
	}
	ks.mu.Lock()
	maxFlight := ks.maxFlight
	ks.mu.Unlock()
	if maxFlight > hostFetches {
		t.Errorf("%d fetches at once from one host; want at most %d", maxFlight, hostFetches)
	}
	if seen[http.StatusServiceUnavailable] != 12-hostFetches || seen[http.StatusUnauthorized] != hostFetches {
		t.Errorf("answers %v; want %d × 503 and %d × 401", seen, 12-hostFetches, hostFetches)
	}
}

// TestMisleadingKeyIDsAreNotFetched: a key id with a user name, or over
// 2 KB, is refused before any fetch.
func TestMisleadingKeyIDsAreNotFetched(t *testing.T) {
	key, _ := keys(t)
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	ks := newKeyServer(t, c.Now, key)
	ks.serveDoc("/users/peertube", fixtureDir+"/mastodon-actor-person.json", true)
	actor := ks.srv.URL + "/users/peertube"
	host := strings.TrimPrefix(ks.srv.URL, "http://")
	for _, keyID := range []string{
		"http://admin@" + host + "/users/peertube#main-key",
		actor + "?" + strings.Repeat("x", 3000) + "#main-key",
	} {
		if code, _ := ks.follow(a13, actor, keyID, key, "rsa-sha256"); code != http.StatusUnauthorized {
			t.Errorf("key id %.60s…: %d; want 401", keyID, code)
		}
	}
	if n := ks.total(); n != 0 {
		t.Errorf("%d fetches; want none", n)
	}
}

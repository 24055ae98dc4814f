package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// node is one `maillage serve` with its API token.
type node struct {
	t     *testing.T
	srv   *Server
	token string
}

func startNode(t *testing.T, name, handle string, manual bool) *node {
	t.Helper()
	dir := t.TempDir()
	ln, url := listenLoopback(t, "127.0.0.1:0")
	out, err := runCmd(t, "", "token", "create", "--data", dir, "--url", url, "--label", "tests")
	if err != nil {
		t.Fatal(err)
	}
	srv := &Server{
		Config:   Config{Data: dir, Listen: "127.0.0.1:0", Name: name, Handle: handle, AllowPrivate: true, ManualApproval: manual},
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		Listener: ln,
	}
	if err := srv.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &node{t: t, srv: srv, token: strings.TrimSpace(out)}
}

// call sends a request to the node's API and decodes the answer.
func (n *node) call(method, path, body string, out any) int {
	n.t.Helper()
	req, _ := http.NewRequest(method, n.srv.BaseURL()+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+n.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		n.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

type list struct {
	Items []map[string]any `json:"items"`
	Total int              `json:"total"`
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

// TestFollowThroughTheAPI is the coordinator's story with real servers
// and their delivery workers: follow a network by its handle, see its
// catalogue arrive and stay current, approve a follower by hand, unfollow.
func TestFollowThroughTheAPI(t *testing.T) {
	a13 := startNode(t, "Arsenic 13", "arsenic13", false)
	a83 := startNode(t, "Arsenic 83", "arsenic83", true)
	paca := startNode(t, "Région Sud", "paca", false)
	if st := a13.call("POST", "/api/v1/places", placeBody, nil); st != http.StatusCreated {
		t.Fatalf("create place: %d", st)
	}

	var f map[string]any
	if st := paca.call("POST", "/api/v1/follows", `{"target":"arsenic13@`+a13.srv.Addr()+`"}`, &f); st != http.StatusAccepted {
		t.Fatalf("follow: %d %v", st, f)
	}
	eventually(t, "the follow is accepted", func() bool {
		var l list
		paca.call("GET", "/api/v1/follows", "", &l)
		return l.Total == 1 && l.Items[0]["state"] == "accepted"
	})
	actor := a13.srv.BaseURL() + "/actor"
	eventually(t, "the region lists Arsenic 13's place", func() bool {
		var l list
		paca.call("GET", "/api/v1/places?network="+actor, "", &l)
		return l.Total == 1 && l.Items[0]["nom"] == "EPN de la Joliette"
	})
	// A new place flows through live.
	second := strings.Replace(placeBody, "EPN de la Joliette", "Fablab du Panier", 1)
	a13.call("POST", "/api/v1/places", second, nil)
	eventually(t, "the new place reaches the region", func() bool {
		var l list
		paca.call("GET", "/api/v1/places?q=fablab", "", &l)
		return l.Total == 1
	})
	// Remote records are read-only on the region.
	var l list
	paca.call("GET", "/api/v1/places?network="+actor, "", &l)
	if st := paca.call("DELETE", "/api/v1/places/"+l.Items[0]["id"].(string), "", nil); st != http.StatusForbidden {
		t.Errorf("deleting a remote place on the region: %d; want 403", st)
	}

	// Arsenic 83 approves followers by hand.
	paca.call("POST", "/api/v1/follows", `{"target":"arsenic83@`+a83.srv.Addr()+`"}`, nil)
	var followers list
	eventually(t, "Arsenic 83 sees the pending follower", func() bool {
		a83.call("GET", "/api/v1/followers", "", &followers)
		return followers.Total == 1 && followers.Items[0]["state"] == "pending"
	})
	if st := a83.call("POST", "/api/v1/followers/"+followers.Items[0]["id"].(string)+"/accept", "", nil); st != http.StatusOK {
		t.Fatalf("accept: %d", st)
	}
	eventually(t, "the region's follow of Arsenic 83 is accepted", func() bool {
		var l list
		paca.call("GET", "/api/v1/follows", "", &l)
		for _, it := range l.Items {
			if strings.HasPrefix(it["actor"].(string), a83.srv.BaseURL()) {
				return it["state"] == "accepted"
			}
		}
		return false
	})
	var networks list
	paca.call("GET", "/api/v1/networks", "", &networks)
	if networks.Total < 2 {
		t.Errorf("networks: %+v; want the two followed networks", networks)
	}

	// Unfollowing removes Arsenic 13's records.
	if st := paca.call("DELETE", "/api/v1/follows/"+f["id"].(string), "", nil); st != http.StatusNoContent {
		t.Fatalf("unfollow: %d", st)
	}
	paca.call("GET", "/api/v1/places?network="+actor, "", &l)
	if l.Total != 0 {
		t.Errorf("after unfollowing, %d places of Arsenic 13 remain", l.Total)
	}
	eventually(t, "Arsenic 13 forgets its follower", func() bool {
		var l list
		a13.call("GET", "/api/v1/followers", "", &l)
		return l.Total == 0
	})
}

// TestFollowAndSeedAtStart is the docker-compose setup: a network seeded
// with the demo's places, a region that follows it from its command line
// before it is even up, and the health check containers use.
func TestFollowAndSeedAtStart(t *testing.T) {
	a13 := startServerWith(t, Config{Name: "Arsenic 13", Handle: "arsenic13", DemoSeed: true})
	if err := health(context.Background(), []string{"--url", a13.BaseURL()}); err != nil {
		t.Errorf("health of a running instance: %v", err)
	}
	seeded, _ := a13.Store().Places(catalogue.PlaceQuery{Limit: 1})
	if seeded.Total == 0 {
		t.Fatal("--demo-seed left the catalogue empty")
	}
	paca := startServerWith(t, Config{Name: "Arsenic PACA", Handle: "paca", Relay: true, Follow: []string{"arsenic13@" + a13.Addr()}})
	eventually(t, "the region has the seeded places", func() bool {
		res, _ := paca.Store().Places(catalogue.PlaceQuery{Network: a13.BaseURL() + "/actor", Limit: 1})
		return res.Total == seeded.Total
	})
	a13.Close()
	if err := health(context.Background(), []string{"--url", a13.BaseURL()}); err == nil {
		t.Error("health of a stopped instance succeeded")
	}
}

func startServerWith(t *testing.T, cfg Config) *Server {
	t.Helper()
	cfg.Data, cfg.Listen, cfg.AllowPrivate = t.TempDir(), "127.0.0.1:0", true
	srv := &Server{Config: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := srv.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// TestModerationThroughTheAPI: an editor hides a remote place, blocks a
// domain, and lifts both.
func TestModerationThroughTheAPI(t *testing.T) {
	a13 := startNode(t, "Arsenic 13", "arsenic13", false)
	paca := startNode(t, "Région Sud", "paca", false)
	a13.call("POST", "/api/v1/places", placeBody, nil)
	paca.call("POST", "/api/v1/follows", `{"target":"arsenic13@`+a13.srv.Addr()+`"}`, nil)
	actor := a13.srv.BaseURL() + "/actor"
	count := func() int {
		var l list
		paca.call("GET", "/api/v1/places?network="+actor, "", &l)
		return l.Total
	}
	eventually(t, "the region has the place", func() bool { return count() == 1 })
	var l list
	paca.call("GET", "/api/v1/places?network="+actor, "", &l)
	apID := l.Items[0]["ap_id"].(string)

	var hidden map[string]string
	if st := paca.call("POST", "/api/v1/hidden", `{"record":"`+apID+`"}`, &hidden); st != http.StatusCreated || hidden["ap_id"] != apID {
		t.Fatalf("hide: %d %v", st, hidden)
	}
	if n := count(); n != 0 {
		t.Errorf("after hiding, %d places listed", n)
	}
	if st := paca.call("POST", "/api/v1/hidden", `{}`, nil); st != http.StatusBadRequest {
		t.Errorf("hide without record: %d; want 400", st)
	}
	if st := paca.call("DELETE", "/api/v1/hidden?ap_id="+apID, "", nil); st != http.StatusNoContent {
		t.Fatalf("unhide: %d", st)
	}
	eventually(t, "the unhidden place is back", func() bool { return count() == 1 })

	var blocked map[string]any
	if st := paca.call("POST", "/api/v1/blocks", `{"domain":"`+a13.srv.BaseURL()+`"}`, &blocked); st != http.StatusCreated || blocked["places_removed"] != 1.0 {
		t.Fatalf("block: %d %v", st, blocked)
	}
	var blocks struct{ Items []string }
	paca.call("GET", "/api/v1/blocks", "", &blocks)
	if len(blocks.Items) != 1 || blocks.Items[0] != a13.srv.Addr() {
		t.Errorf("blocks: %v; want [%s]", blocks.Items, a13.srv.Addr())
	}
	if n := count(); n != 0 {
		t.Errorf("after blocking, %d places listed", n)
	}
	if st := paca.call("DELETE", "/api/v1/blocks/"+a13.srv.Addr(), "", nil); st != http.StatusNoContent {
		t.Fatalf("unblock: %d", st)
	}
	eventually(t, "the unblocked domain's place is back", func() bool { return count() == 1 })
}

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
	out, err := runCmd(t, "", "token", "create", "--data", dir, "--label", "tests")
	if err != nil {
		t.Fatal(err)
	}
	srv := &Server{
		Config: Config{Data: dir, Listen: "127.0.0.1:0", Name: name, Handle: handle, AllowPrivate: true, ManualApproval: manual},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
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

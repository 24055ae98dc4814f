package federation

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The tests in this file drive Fedify, an independent ActivityPub
// implementation in TypeScript, against a real instance. Its scripts and
// their locked dependencies live in testdata/fedify; ./scripts/test.sh
// installs them.

const fedifyDir = "testdata/fedify"

// needFedify returns the path of node. Without node or Fedify's packages
// the test is skipped, except in CI (CI=true), where it fails.
func needFedify(t *testing.T) string {
	t.Helper()
	missing := ""
	node, err := exec.LookPath("node")
	if err != nil {
		missing = "node is not installed"
	} else if _, err := os.Stat(filepath.Join(fedifyDir, "node_modules", "@fedify", "fedify", "package.json")); err != nil {
		missing = "Fedify is not installed: run ./scripts/test.sh or npm ci in federation/" + fedifyDir
	}
	if missing != "" {
		if os.Getenv("CI") == "true" {
			t.Fatal(missing)
		}
		t.Skip(missing)
	}
	return node
}

// nodeLine is one JSON line a script prints.
type nodeLine map[string]any

func (l nodeLine) str(key string) string { s, _ := l[key].(string); return s }

func (l nodeLine) num(key string) float64 { f, _ := l[key].(float64); return f }

func (l nodeLine) obj(key string) nodeLine { m, _ := l[key].(map[string]any); return m }

func TestFedifyLooksUpActorPlaceAndEvent(t *testing.T) {
	t.Parallel()
	node := needFedify(t)
	in := newInstance(t, &clock{t: time.Now()}, "Arsenic 13", "arsenic13")
	p := in.place("Médiathèque de l'Alcazar", "Marseille")
	start := time.Date(2026, 12, 3, 14, 30, 0, 0, time.FixedZone("CET", 3600))
	e := in.event("Atelier smartphone", p, start)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "lookup.mjs", in.fed.Actor(), p.APID, e.APID)
	cmd.Dir = fedifyDir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	got := map[string]nodeLine{}
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var l nodeLine
		if jerr := json.Unmarshal([]byte(line), &l); jerr != nil {
			t.Fatalf("lookup.mjs printed %q: %v\nstderr: %s", line, jerr, stderr.String())
		}
		if msg := l.str("error"); msg != "" {
			t.Errorf("Fedify cannot look up %s: %s", l.str("lookup"), msg)
		}
		got[l.str("lookup")] = l
	}
	if err != nil {
		t.Fatalf("node lookup.mjs: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}

	// Fedify resolves acct: handles over https only, so the plain-http
	// instance is looked up by its actor IRI.
	a := got[in.fed.Actor()]
	if a.str("type") != "Group" || a.str("id") != in.fed.Actor() || a.str("name") != "Arsenic 13" ||
		a.str("preferredUsername") != "arsenic13" || a.str("inbox") != in.fed.Actor()+"/inbox" ||
		a.str("sharedInbox") != in.base+"/inbox" || a.str("followers") != in.fed.Actor()+"/followers" {
		t.Errorf("Fedify's lookupObject(actor) = %v; want the Group actor with its inbox and followers", a)
	}
	k := a.obj("publicKey")
	if k.str("id") != in.fed.Actor()+"#main-key" || k.str("owner") != in.fed.Actor() ||
		k.str("algorithm") != "RSASSA-PKCS1-v1_5" || k.num("modulusLength") != 2048 {
		t.Errorf("Fedify reads the actor's public key as %v; want an RSA-2048 key owned by the actor", k)
	}

	pl := got[p.APID]
	if pl.str("type") != "Place" || pl.str("id") != p.APID || pl.str("name") != p.Nom ||
		pl.num("latitude") != *p.Latitude || pl.num("longitude") != *p.Longitude ||
		pl.str("attributedTo") != in.fed.Actor() {
		t.Errorf("Fedify's lookupObject(place) = %v; want Place %q at %v, %v", pl, p.Nom, *p.Latitude, *p.Longitude)
	}

	ev := got[e.APID]
	st, _ := time.Parse(time.RFC3339, ev.str("startTime"))
	en, _ := time.Parse(time.RFC3339, ev.str("endTime"))
	if ev.str("type") != "Event" || ev.str("id") != e.APID || ev.str("name") != e.Nom ||
		!st.Equal(e.Debut) || !en.Equal(e.Fin) || ev.str("attributedTo") != in.fed.Actor() ||
		!strings.Contains(ev.str("content"), "Venez !") || ev.str("summary") == "" {
		t.Errorf("Fedify's lookupObject(event) = %v; want Event %q from %v to %v", ev, e.Nom, e.Debut, e.Fin)
	}
	if loc := ev.obj("location"); loc.str("type") != "Place" || loc.str("id") != p.APID || loc.str("name") != p.Nom ||
		loc.num("latitude") != *p.Latitude {
		t.Errorf("Fedify reads the event's location as %v; want the Place %s", loc, p.APID)
	}
	if to := ev["to"]; !containsString(to, Public) {
		t.Errorf("Fedify reads the event's to as %v; want Public", to)
	}
}

func containsString(v any, s string) bool {
	l, _ := v.([]any)
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// peerProcess is peer.mjs running: its JSON lines arrive on lines.
type peerProcess struct {
	lines  chan nodeLine
	stderr *bytes.Buffer
	done   chan error // the exit status, once stdout is drained
}

// startPeer runs peer.mjs, which follows target; the test's cleanup kills it.
func startPeer(t *testing.T, node, target string) *peerProcess {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, node, "peer.mjs", target, "25")
	cmd.Dir = fedifyDir
	pp := &peerProcess{lines: make(chan nodeLine, 16), stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	cmd.Stderr = pp.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var l nodeLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				l = nodeLine{"event": "garbage", "line": sc.Text()}
			}
			pp.lines <- l
		}
		close(pp.lines)
		pp.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		cancel()
		for range pp.lines {
		}
	})
	return pp
}

// next returns the next line about event, failing the test on a line
// that reports an error, on the end of the output or after 20 s.
func (pp *peerProcess) next(t *testing.T, event string) nodeLine {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case l, ok := <-pp.lines:
			if !ok {
				t.Fatalf("peer.mjs ended (%v) before %q\nstderr: %s", <-pp.done, event, pp.stderr.String())
			}
			t.Logf("peer: %v", l)
			switch l.str("event") {
			case event:
				return l
			case "error", "refused", "inbox-error", "timeout", "garbage":
				t.Fatalf("peer.mjs, waiting for %q: %v\nstderr: %s", event, l, pp.stderr.String())
			}
		case <-timeout:
			t.Fatalf("no %q from peer.mjs after 20 s\nstderr: %s", event, pp.stderr.String())
		}
	}
}

func TestFedifyPeerFollowsAndVerifiesDelivery(t *testing.T) {
	t.Parallel()
	node := needFedify(t)
	// Fedify checks the Date of signatures against real time.
	c := &clock{t: time.Now()}
	in := newInstance(t, c, "Arsenic 13", "arsenic13")
	p := in.place("Médiathèque de l'Alcazar", "Marseille")

	peer := startPeer(t, node, in.fed.Actor())
	actor := peer.next(t, "listening").str("actor")
	follow := peer.next(t, "followed")
	if follow.str("object") != in.fed.Actor() {
		t.Fatalf("the peer followed %s; want %s", follow.str("object"), in.fed.Actor())
	}
	if f, err := in.store.Follower(actor); err != nil || f.FollowID != follow.str("follow") {
		t.Fatalf("after the Fedify peer's Follow, Follower(%s) = %+v, %v", actor, f, err)
	}

	in.deliver() // the Accept
	acc := peer.next(t, "received")
	if acc.str("type") != "Accept" || acc.str("actor") != in.fed.Actor() || acc.str("object") != follow.str("follow") ||
		acc.str("signedBy") != in.fed.Actor()+"#main-key" {
		t.Fatalf("the peer received %v; want our Accept of %s, signed with our key", acc, follow.str("follow"))
	}

	// The peer does check signatures: an unsigned activity is refused.
	forged := `{"@context":"https://www.w3.org/ns/activitystreams","type":"Create","id":"` + in.base + `/forged",` +
		`"actor":"` + in.fed.Actor() + `","object":{"type":"Note","id":"` + in.base + `/forged-note","content":"x"}}`
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Post(actor+"/inbox", ContentType, strings.NewReader(forged))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ref := peer.next(t, "refused"); resp.StatusCode != http.StatusUnauthorized || ref.num("status") != http.StatusUnauthorized {
		t.Fatalf("the peer answered %d to an unsigned Create (%v); want 401", resp.StatusCode, ref)
	}

	c.Add(time.Minute)
	e := in.event("Atelier smartphone", p, c.Now().Add(48*time.Hour).Truncate(time.Hour))
	if n := in.deliver(); n != 1 {
		t.Errorf("%d deliveries for one follower; want 1", n)
	}
	if n := in.store.QueueLength(); n != 0 {
		t.Errorf("%d deliveries still queued: the peer did not take the Create", n)
	}
	cr := peer.next(t, "received")
	obj, loc := cr.obj("object"), cr.obj("location")
	st, _ := time.Parse(time.RFC3339, obj.str("startTime"))
	if cr.str("type") != "Create" || cr.str("actor") != in.fed.Actor() || cr.str("signedBy") != in.fed.Actor()+"#main-key" {
		t.Errorf("the peer received %v; want a Create by %s signed with its key", cr, in.fed.Actor())
	}
	if obj.str("type") != "Event" || obj.str("id") != e.APID || obj.str("name") != e.Nom || !st.Equal(e.Debut) ||
		obj.str("locationId") != p.APID {
		t.Errorf("Fedify reads the created object as %v; want Event %s %q at %v in %s", obj, e.APID, e.Nom, e.Debut, p.APID)
	}
	if loc.str("type") != "Place" || loc.str("name") != p.Nom || loc.num("latitude") != *p.Latitude {
		t.Errorf("Fedify reads the event's location as %v; want Place %q", loc, p.Nom)
	}
	for range peer.lines {
	}
	if err := <-peer.done; err != nil {
		t.Errorf("peer.mjs: %v\nstderr: %s", err, peer.stderr.String())
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
	"github.com/maillage/maillage/storage"
)

// writeSampleCSV writes n sample places in the national standard.
func writeSampleCSV(t *testing.T, n int) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "lieux.csv")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeStandardCSV(f, sample.Places(n, 7)); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return file
}

// serveInBackground runs "maillage serve" through run, as main does,
// until the test ends; it returns once the instance answers.
func serveInBackground(t *testing.T, args ...string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var logs syncBuffer
	go func() { done <- run(ctx, append([]string{"serve"}, args...), strings.NewReader(""), &logs, &logs) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if strings.Contains(logs.String(), "maillage started") {
			return
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", logs.String())
		}
	}
}

// getAS fetches an ActivityPub document.
func getAS(t *testing.T, url string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d, %v", url, resp.StatusCode, err)
	}
	return doc
}

// localPlaceIDs opens dir and returns the ids and ap_ids of its places.
func localPlaceIDs(t *testing.T, dir string) (ids, apIDs []string) {
	t.Helper()
	st, err := storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	page, err := st.Places(catalogue.PlaceQuery{Network: "local", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Items {
		ids, apIDs = append(ids, p.ID), append(apIDs, p.APID)
	}
	return ids, apIDs
}

// TestImportThenServeKeepsItsAddress is the story: places
// imported before the first serve are stamped with the URL fixed by the
// import; serve with another --url refuses, in French, and serve without
// one publishes the stored URL.
func TestImportThenServeKeepsItsAddress(t *testing.T) {
	dir, file := t.TempDir(), writeSampleCSV(t, 3)
	ln, url := listenLoopback(t, "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // serve listens there below

	_, stderr, err := runImport(t, "--data", dir, "--url", url, file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "adresse publique de l'instance fixée à "+url) {
		t.Errorf("import on a new directory does not say which URL it fixed:\n%s", stderr)
	}
	_, err = runCmd(t, "", "serve", "--data", dir, "--listen", "127.0.0.1:0", "--url", "https://maillage.example")
	if err == nil || !strings.Contains(err.Error(), "--url https://maillage.example refusée") ||
		!strings.Contains(err.Error(), url) || !strings.Contains(err.Error(), "ne peuvent pas déménager") {
		t.Fatalf("serve with another --url: %v; want a French refusal naming the stored URL", err)
	}
	// Another command without --url keeps the stored URL.
	if _, err := runCmd(t, "", "token", "create", "--data", dir); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runImport(t, "--data", dir, "--url", "http://localhost:8080", file); err == nil || !strings.Contains(err.Error(), "refusée") {
		t.Errorf("import with another --url: %v; want a refusal", err)
	}

	ids, apIDs := localPlaceIDs(t, dir)
	if len(ids) != 3 {
		t.Fatalf("%d local places; want 3", len(ids))
	}
	serveInBackground(t, "--data", dir, "--listen", addr) // no --url: the stored one
	for i, id := range ids {
		if want := url + "/lieux/" + id; apIDs[i] != want {
			t.Errorf("place ap_id = %s; want %s", apIDs[i], want)
		}
		if doc := getAS(t, url+"/lieux/"+id); doc["id"] != url+"/lieux/"+id {
			t.Errorf("served place id = %v; want %s", doc["id"], url+"/lieux/"+id)
		}
	}
	if doc := getAS(t, url+"/actor"); doc["id"] != url+"/actor" {
		t.Errorf("actor id = %v; want %s/actor", doc["id"], url)
	}
}

// TestMoveURL: an import made with the default URL is moved to the real
// one before the first serve; every id follows. Once followed, the
// instance refuses to move.
func TestMoveURL(t *testing.T) {
	dir, file := t.TempDir(), writeSampleCSV(t, 2)
	t.Setenv("MAILLAGE_URL", "")
	t.Setenv("MAILLAGE_LISTEN", "")
	_, stderr, err := runImport(t, "--data", dir, file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "fixée à http://localhost:8080") {
		t.Errorf("import without --url does not state the default URL:\n%s", stderr)
	}
	ln, url := listenLoopback(t, "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	if _, err := runCmd(t, "", "move-url", "--data", dir, "--url", "ftp://x"); err == nil || !strings.Contains(err.Error(), "--url") {
		t.Errorf("move-url to ftp://x: %v; want the URL refused", err)
	}
	out, err := runCmd(t, "", "move-url", "--data", dir, "--url", url)
	if err != nil || !strings.Contains(out, "http://localhost:8080 → "+url) {
		t.Fatalf("move-url: %v, %q", err, out)
	}

	ids, apIDs := localPlaceIDs(t, dir)
	for i, id := range ids {
		if want := url + "/lieux/" + id; apIDs[i] != want {
			t.Errorf("place ap_id after move = %s; want %s", apIDs[i], want)
		}
	}
	st, err := storage.Open(dir, storage.Options{BaseURL: url})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := st.Place(url + "/lieux/" + ids[0]); err != nil || p.Network.Actor != url+"/actor" {
		t.Errorf("Place(new ap_id) = %v, %v; want found, of %s/actor", p, err, url)
	}
	items, _, _, err := st.OutboxPage(0, 10)
	if err != nil || len(items) != 2 || bytes.Contains(items[0], []byte("localhost:8080")) || !bytes.Contains(items[0], []byte(url+"/lieux/")) {
		t.Errorf("outbox after move: %d items, %v; want the new URL only:\n%s", len(items), err, items)
	}
	if err := st.Check(); err != nil {
		t.Error(err)
	}
	err = st.PutFollower(storage.Follower{Actor: "https://autre.example/actor", Inbox: "https://autre.example/inbox", State: storage.FollowAccepted})
	if err == nil {
		err = st.DeleteFollower("https://autre.example/actor") // followed once: enough
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	_, err = runCmd(t, "", "move-url", "--data", dir, "--url", "https://maillage.example")
	if err == nil || !strings.Contains(err.Error(), "ne peut plus changer") {
		t.Errorf("move-url after a follow: %v; want a refusal", err)
	}
	serveInBackground(t, "--data", dir, "--listen", addr)
	if doc := getAS(t, url+"/lieux/"+ids[1]); doc["id"] != url+"/lieux/"+ids[1] {
		t.Errorf("served place id = %v; want the moved one", doc["id"])
	}
}

func TestCompactCommand(t *testing.T) {
	dir, file := t.TempDir(), writeSampleCSV(t, 50)
	if _, _, err := runImport(t, "--data", dir, "--url", "http://localhost:8080", file); err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, dir)
	if _, err := runCmd(t, "", "compact", "--data", dir); err == nil || !strings.Contains(err.Error(), "instance arrêtée") {
		t.Errorf("compact while serving: %v; want a refusal", err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, "", "compact", "--data", dir)
	if err != nil || !strings.Contains(out, "base compactée") {
		t.Fatalf("compact: %v, %q", err, out)
	}
	ids, _ := localPlaceIDs(t, dir)
	if len(ids) != 50 {
		t.Errorf("%d places after compact; want 50", len(ids))
	}
	if _, err := runCmd(t, "", "compact", "--data", t.TempDir()); err == nil || !strings.Contains(err.Error(), "aucune base") {
		t.Errorf("compact of an empty directory: %v", err)
	}
}

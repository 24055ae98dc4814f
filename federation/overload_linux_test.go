package federation

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// TestInboxOnAFullDisk: the receiving instance's disk fills up. Its inbox
// answers 503 with Retry-After instead of 202 for what it could not apply
// (never a hang), and everything it answered 202 for is there once
// space is back.
func TestInboxOnAFullDisk(t *testing.T) {
	disk := t.TempDir()
	if err := syscall.Mount("tmpfs", disk, "tmpfs", 0, "size=6m"); err != nil {
		t.Skipf("a full disk is tested on a small tmpfs, and mounting one failed (%v): run the tests as root to run this one", err)
	}
	t.Cleanup(func() { syscall.Unmount(disk, 0) })
	c := newClock()
	sender := newInstance(t, c, "Arsenic 83", "arsenic83")
	region := startInstance(t, &instance{t: t, name: "Région Sud", handle: "paca", clock: c, dir: disk})
	region.follow(sender)

	filler := filepath.Join(disk, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	for buf := make([]byte, 16<<10); ; {
		if _, err := f.Write(buf); err != nil {
			break
		}
	}
	f.Close()

	client := &http.Client{Timeout: 30 * time.Second}
	accepted, status, retry := 0, 0, ""
	for n := 0; n < 3000 && status != http.StatusServiceUnavailable; n++ {
		p := sender.remotePlace(fmt.Sprintf("p%d", n), fmt.Sprintf("EPN %d", n))
		p.PresentationDetail = string(bytes.Repeat([]byte("Ateliers numériques pour tous. "), 60))
		body := sender.activity("Create", fmt.Sprintf("c%d", n), PlaceObject(p))
		req, _ := http.NewRequest(http.MethodPost, region.base+"/inbox", bytes.NewReader(body))
		req.Header.Set("Content-Type", ContentType)
		if err := Sign(req, sender.fed.keyID, sender.fed.key, body, c.Now()); err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("activity %d: %v", n, err)
		}
		resp.Body.Close()
		status, retry = resp.StatusCode, resp.Header.Get("Retry-After")
		switch status {
		case http.StatusAccepted:
			accepted++
		case http.StatusServiceUnavailable:
		default:
			t.Fatalf("activity %d: %d; want 202 or 503", n, status)
		}
		if n%50 == 49 {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if status != http.StatusServiceUnavailable {
		t.Fatalf("no 503 on a full disk after %d activities accepted", accepted)
	}
	if s, err := strconv.Atoi(retry); err != nil || s <= 0 {
		t.Errorf("Retry-After %q; want a number of seconds", retry)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	region.store.Settle()
	res, err := region.store.Places(catalogue.PlaceQuery{Network: sender.fed.actor, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total < accepted {
		t.Errorf("%d places of the sender once space is back; want the %d answered 202", res.Total, accepted)
	}
	if err := region.store.InboxBusy(); err != nil {
		t.Errorf("InboxBusy once space is back: %v", err)
	}
}

package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// smallDisk mounts a tmpfs of the given size on a new temporary directory:
// a real file system that fills up. It needs root (CAP_SYS_ADMIN); the
// test is skipped, saying so, where mounting is not allowed.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("a full disk is tested on a small tmpfs, and mounting one failed (%v): run the tests as root to run this one", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// fillDisk writes a file in dir until the disk is full, and returns the
// function that removes it.
func fillDisk(t *testing.T, dir string) (free func()) {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	f.Close()
	return func() {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDiskFull fills the disk under a running store. Activities the
// inbox acknowledged before are kept and applied once space is back; new
// ones are refused (ErrBusy, wrapping ErrDiskFull) rather than
// acknowledged and lost; a local write fails with ErrDiskFull; nothing
// hangs.
func TestDiskFull(t *testing.T) {
	dir := smallDisk(t, "6m")
	s := openAt(t, dir)
	acceptPlace(t, s, 0)
	s.Settle()
	free := fillDisk(t, dir)

	accepted := 1
	var refusal error
	for n := 1; n <= 5000 && refusal == nil; n++ {
		p := remotePlace(varActor, fmt.Sprintf("https://var.example/lieux/%d", n), fmt.Sprintf("EPN %d", n))
		p.PresentationDetail = strings.Repeat("Ateliers numériques pour tous. ", 60)
		refusal = s.AcceptRemote(fmt.Sprintf("https://var.example/activities/%d", n), Remote{Place: p})
		if refusal == nil {
			accepted++
		}
		if n%50 == 0 {
			time.Sleep(20 * time.Millisecond) // let the applier try
		}
	}
	var busy *BusyError
	if !errors.As(refusal, &busy) || !errors.Is(refusal, ErrDiskFull) || busy.RetryAfter <= 0 {
		t.Fatalf("accepting on a full disk: %v; want a BusyError wrapping ErrDiskFull", refusal)
	}
	if err := s.InboxBusy(); !errors.Is(err, ErrBusy) {
		t.Errorf("InboxBusy on a full disk: %v; want ErrBusy", err)
	}
	var local error
	for i := 0; i < 100 && local == nil; i++ { // the first ones may fit in pages the file holds
		p := testPlace(fmt.Sprintf("EPN local %d", i))
		// Not the remote places' (same pivot, same street): they would
		// merge with it, and count as ours.
		p.Pivot, p.Adresse, p.Latitude, p.Longitude = "", fmt.Sprintf("%d avenue du Prado", i+1), ptr(43.27), ptr(5.39)
		p.PresentationDetail = strings.Repeat("Ateliers numériques pour tous. ", 60)
		local = s.CreatePlace(p)
	}
	if !errors.Is(local, ErrDiskFull) {
		t.Errorf("local writes on a full disk: %v; want ErrDiskFull", local)
	}

	free()
	s.Settle() // the applier retries within seconds
	if n := remoteCount(t, s); n != accepted {
		t.Errorf("%d places once space is back; want the %d accepted", n, accepted)
	}
	if err := s.InboxBusy(); err != nil {
		t.Errorf("InboxBusy once space is back: %v", err)
	}
	acceptPlace(t, s, 9999)
}

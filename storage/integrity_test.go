package storage

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// acceptedLog returns the inbox log of a store that accepted n
// activities, none of them applied yet.
func acceptedLog(t *testing.T, n int) []byte {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test"})
	if err != nil {
		t.Fatal(err)
	}
	release := blockCommits(s)
	for i := 1; i <= n; i++ {
		acceptPlace(t, s, i)
	}
	data, err := os.ReadFile(filepath.Join(dir, InboxLogName))
	if err != nil {
		t.Fatal(err)
	}
	release()
	s.Close()
	return data
}

// withLog returns a new data directory whose inbox log is data.
func withLog(t *testing.T, data []byte) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, InboxLogName), data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func remoteCount(t *testing.T, s *Store) int {
	t.Helper()
	page, err := s.Places(catalogue.PlaceQuery{Network: varActor, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

// TestDamagedLogFrameIsNotATornTail: one flipped bit in the first frame
// of a log of acknowledged activities. Open refuses to start, naming the
// file and the frame and pointing to check and repair; check says the
// same; repair applies every other frame and keeps the damaged one aside.
func TestDamagedLogFrameIsNotATornTail(t *testing.T) {
	data := acceptedLog(t, 20)
	data[frameHeader+5] ^= 0x10 // in the first frame's payload
	dir := withLog(t, data)

	_, err := Open(dir, Options{BaseURL: "http://maillage.test"})
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open of a log with a damaged first frame: %v; want ErrCorrupt", err)
	}
	for _, want := range []string{InboxLogName, "trame n° 1 ", "19 trame(s) valide(s)", "maillage check --data", "maillage repair --data"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Open: %q; want it to say %q", err, want)
		}
	}

	r, err := CheckDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "trame n° 1 ") {
		t.Errorf("CheckDir problems %q; want the damaged frame 1", r.Problems)
	}

	rep, err := Repair(dir, Options{BaseURL: "http://maillage.test"})
	if err != nil {
		t.Fatalf("Repair: %v", err)
	}
	if rep.Frames != 19 || rep.SetAside == "" || len(rep.Remaining) > 0 {
		t.Errorf("Repair = %+v; want 19 frames applied, one set aside, nothing remaining", rep)
	}
	aside, err := os.ReadFile(rep.SetAside)
	if err != nil || len(aside) != frameEnds(data)[0] {
		t.Errorf("side file: %d bytes, %v; want the first frame's %d", len(aside), err, frameEnds(data)[0])
	}
	s := openAt(t, dir)
	if n := remoteCount(t, s); n != 19 {
		t.Errorf("%d places after repair; want 19", n)
	}
	if r, err := CheckDir(t.TempDir()); err == nil {
		t.Errorf("CheckDir of an empty directory: %+v; want an error", r)
	}
}

// TestDamageInTheMiddleOfTheLog: a zeroed stretch, and a damaged length,
// in the middle of the log are damage too; frames past the last write
// (older sequence numbers) and a torn last frame are not.
func TestDamageInTheMiddleOfTheLog(t *testing.T) {
	data := acceptedLog(t, 10)
	ends := frameEnds(data)
	zeroed := append([]byte(nil), data...)
	clear(zeroed[ends[3]:ends[5]]) // frames 5 and 6
	sc := scanLog(zeroed[:ends[9]])
	if len(sc.ops) != 8 || len(sc.bad) != 1 || sc.bad[0].frame != 5 {
		t.Errorf("zeroed frames 5-6: %d ops, damage %+v; want 8 ops and damage at frame 5", len(sc.ops), sc.bad)
	}
	length := append([]byte(nil), data...)
	length[ends[4]+3] = 0x7f // frame 6's length, now far past the end
	sc = scanLog(length[:ends[9]])
	if len(sc.ops) != 9 || len(sc.bad) != 1 || sc.bad[0].frame != 6 {
		t.Errorf("damaged length of frame 6: %d ops, damage %+v; want 9 ops and damage at frame 6", len(sc.ops), sc.bad)
	}
	torn := data[:ends[8]+(ends[9]-ends[8])/2]
	if sc := scanLog(torn); len(sc.ops) != 9 || len(sc.bad) != 0 {
		t.Errorf("torn last frame: %d ops, damage %+v; want 9 ops, no damage", len(sc.ops), sc.bad)
	}
	tornFirst := append([]byte(nil), data[:ends[0]/2]...)
	if sc := scanLog(tornFirst); len(sc.ops) != 0 || len(sc.bad) != 0 {
		t.Errorf("torn only frame: %d ops, damage %+v; want nothing", len(sc.ops), sc.bad)
	}
}

// TestDamagedDatabaseGivesAMessage: a truncated maillage.db (which bbolt
// reads through a mapping past the end of the file: SIGBUS), and one whose
// meta pages are overwritten, make Open fail with the French message, not
// a panic or a runtime dump; check reports them.
func TestDamagedDatabaseGivesAMessage(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test"})
	if err != nil {
		t.Fatal(err)
	}
	var ps []*catalogue.Place
	for i := 0; i < 300; i++ {
		ps = append(ps, testPlace("EPN "+strings.Repeat("x", i%40)))
	}
	if err := s.CreatePlaces(ps); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"truncated":   good[:len(good)/3],
		"meta pages":  append(make([]byte, 2*4096), good[2*4096:]...),
		"pages wiped": append(append(append([]byte(nil), good[:4*4096]...), make([]byte, len(good)/2)...), good[4*4096+len(good)/2:]...),
	}
	for name, file := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, FileName), file, 0o600); err != nil {
				t.Fatal(err)
			}
			r, err := CheckDir(dir)
			if err != nil || len(r.Problems) == 0 {
				t.Errorf("CheckDir: %+v, %v; want problems", r, err)
			}
			s, err := Open(dir, Options{BaseURL: "http://maillage.test"})
			if err == nil {
				// Some damage is only found by reading every page: check
				// found it above; Open need not.
				s.Close()
				return
			}
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "maillage repair") {
				t.Errorf("Open: %v; want ErrCorrupt pointing to maillage repair", err)
			}
			if name == "truncated" && !strings.Contains(err.Error(), "tronqué") {
				t.Errorf("Open of a truncated file: %v; want it to say so", err)
			}
		})
	}
}

// TestRepairRebuildsIndexes: an index entry lost and a stale one added
// are found by check and put right by repair.
func TestRepairRebuildsIndexes(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test"})
	if err != nil {
		t.Fatal(err)
	}
	p := testPlace("EPN de la gare")
	if err := s.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketObjects).Delete([]byte(p.APID)); err != nil {
			return err
		}
		return tx.Bucket(bucketPlacesByService).Put([]byte("x/y"), nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	r, err := CheckDir(dir)
	if err != nil || len(r.Problems) != 2 {
		t.Fatalf("CheckDir: %q, %v; want the two index problems", r.Problems, err)
	}
	rep, err := Repair(dir, Options{BaseURL: "http://maillage.test"})
	if err != nil || rep.Records != 1 || len(rep.Remaining) > 0 {
		t.Fatalf("Repair = %+v, %v", rep, err)
	}
	if r, err := CheckDir(dir); err != nil || len(r.Problems) > 0 {
		t.Errorf("CheckDir after repair: %q, %v; want nothing", r.Problems, err)
	}
}

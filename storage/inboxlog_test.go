package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

const varActor = "https://var.example/actor"

func acceptPlace(t *testing.T, s *Store, n int) *catalogue.Place {
	t.Helper()
	p := remotePlace(varActor, fmt.Sprintf("https://var.example/lieux/%d", n), fmt.Sprintf("EPN %d", n))
	if err := s.AcceptRemote(fmt.Sprintf("https://var.example/activities/%d", n), Remote{Place: p}); err != nil {
		t.Fatalf("accept place %d: %v", n, err)
	}
	return p
}

// blockCommits holds the committer in an open transaction until the
// returned function is called: nothing accepted meanwhile is applied.
func blockCommits(s *Store) (release func()) {
	held, free := make(chan struct{}), make(chan struct{})
	go s.group.do(func(tx *bolt.Tx) error {
		close(held)
		<-free
		return nil
	})
	<-held
	return func() { close(free) }
}

func logSize(t *testing.T, dir string) int64 {
	t.Helper()
	fi, err := os.Stat(filepath.Join(dir, InboxLogName))
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// logFrames returns the changes the log in dir holds, as Open would read
// them.
func logFrames(t *testing.T, dir string) []logOp {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, InboxLogName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ops, err := readLog(f)
	if err != nil {
		t.Fatal(err)
	}
	return ops
}

// TestAcceptedActivitiesSurviveACrash kills a process (a child of the
// test) that accepted activities, some applied and some not, and checks
// that the next start has each of them exactly once.
func TestAcceptedActivitiesSurviveACrash(t *testing.T) {
	if dir := os.Getenv("MAILLAGE_CRASH_DIR"); dir != "" {
		s, err := Open(dir, Options{BaseURL: "http://maillage.test", Now: func() time.Time { return testNow }})
		if err != nil {
			t.Fatal(err)
		}
		for n := range 20 {
			acceptPlace(t, s, n)
		}
		// Enough to go round the log twice: each write past its end
		// waits for the applier and starts again from the beginning.
		big := strings.Repeat("Un lieu où l'on apprend. ", 4000)
		var wg sync.WaitGroup
		for n := 100; n < 150; n++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := remotePlace(varActor, fmt.Sprintf("https://var.example/lieux/%d", n), fmt.Sprintf("EPN %d", n))
				p.PresentationDetail = big
				for {
					err := s.AcceptRemote(fmt.Sprintf("https://var.example/activities/%d", n), Remote{Place: p})
					if errors.Is(err, ErrBusy) {
						time.Sleep(20 * time.Millisecond) // pushed back: retry, as a sender does
						continue
					}
					if err != nil {
						t.Error(err)
					}
					break
				}
			}()
		}
		wg.Wait()
		s.Settle()
		blockCommits(s)
		for n := 20; n < 50; n++ {
			acceptPlace(t, s, n)
		}
		if err := s.AcceptDelete("https://var.example/activities/delete-3", varActor, "https://var.example/lieux/3"); err != nil {
			t.Fatal(err)
		}
		p := remotePlace(varActor, "https://var.example/lieux/21", "EPN 21")
		e := testEvent(p.APID, testNow.Add(24*time.Hour))
		e.APID, e.Network = "https://var.example/evenements/1", catalogue.Network{Actor: varActor}
		if err := s.AcceptRemote("https://var.example/activities/event-1", Remote{Place: p, Event: e}); err != nil {
			t.Fatal(err)
		}
		if t.Failed() {
			os.Exit(1)
		}
		os.Exit(0) // as a kill would: no Close, the applier blocked
	}

	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestAcceptedActivitiesSurviveACrash$")
	cmd.Env = append(os.Environ(), "MAILLAGE_CRASH_DIR="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the child failed: %v\n%s", err, out)
	}
	if len(logFrames(t, dir)) == 0 {
		t.Fatal("the child left an empty inbox log")
	}
	s, err := Open(dir, Options{BaseURL: "http://maillage.test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	page, err := s.Places(catalogue.PlaceQuery{Network: varActor, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 99 {
		t.Errorf("%d places after the restart; want 99 (100 accepted, one deleted)", page.Total)
	}
	seen := map[string]bool{}
	for _, p := range page.Items {
		if seen[p.APID] {
			t.Errorf("%s twice", p.APID)
		}
		seen[p.APID] = true
	}
	if seen["https://var.example/lieux/3"] || !seen["https://var.example/lieux/49"] || !seen["https://var.example/lieux/0"] || !seen["https://var.example/lieux/149"] {
		t.Errorf("wrong places after the restart: %v", seen)
	}
	if e, err := s.Event("https://var.example/evenements/1"); err != nil || e.Network.Actor != varActor {
		t.Errorf("the event accepted before the crash: %+v, %v", e, err)
	}
	if ops := logFrames(t, dir); len(ops) != 0 {
		t.Errorf("the inbox log still holds %d changes once applied", len(ops))
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
}

// TestTornLogTail: a crash in the middle of a write leaves a partial
// frame, which no caller was told had succeeded; the frames before it are
// applied, the rest ignored.
func TestTornLogTail(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test"})
	if err != nil {
		t.Fatal(err)
	}
	release := blockCommits(s)
	for n := 1; n <= 3; n++ {
		acceptPlace(t, s, n)
	}
	data, err := os.ReadFile(filepath.Join(dir, InboxLogName))
	if err != nil {
		t.Fatal(err)
	}
	release()
	s.Close()
	// The log as a crash in the third frame's write leaves it.
	ends := frameEnds(data)
	if len(ends) != 3 {
		t.Fatalf("%d frames in the log; want 3", len(ends))
	}
	torn := data[:ends[1]+(ends[2]-ends[1])/2]
	crashed := t.TempDir()
	if err := os.WriteFile(filepath.Join(crashed, InboxLogName), torn, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = Open(crashed, Options{BaseURL: "http://maillage.test"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	page, _ := s.Places(catalogue.PlaceQuery{Network: varActor})
	if page.Total != 2 {
		t.Errorf("%d places from a log with two frames and a torn one; want 2", page.Total)
	}
}

// frameEnds returns where each frame of a log ends.
func frameEnds(data []byte) []int {
	var ends []int
	for at := 0; at+frameHeader <= len(data); {
		n := int(binary.LittleEndian.Uint32(data[at:]))
		if n == 0 {
			break
		}
		at += frameHeader + n
		ends = append(ends, at)
	}
	return ends
}

// TestOlderFramesEndTheLog: once everything is applied, writes start
// again at the beginning of the file; the older frames after them, whole
// and with a right CRC, are not read as new.
func TestOlderFramesEndTheLog(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), InboxLogName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l := &inboxLog{f: f, seq: 1}
	frame := func(n int) *logAppend {
		a := &logAppend{}
		payload, _ := json.Marshal(logOp{Activity: fmt.Sprintf("https://var.example/activities/%d", n)})
		a.frame = binary.LittleEndian.AppendUint32(make([]byte, 0, frameHeader+len(payload)), uint32(len(payload)))
		a.frame = append(append(a.frame, make([]byte, frameHeader-4)...), payload...)
		return a
	}
	if err := l.write([]*logAppend{frame(1), frame(2), frame(3)}, false); err != nil {
		t.Fatal(err)
	}
	if err := l.write([]*logAppend{frame(4)}, true); err != nil { // same length as frame 1
		t.Fatal(err)
	}
	ops, err := readLog(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 1 || ops[0].Activity != "https://var.example/activities/4" {
		t.Errorf("read %+v; want only the frame written last", ops)
	}
}

// TestAcceptRefusesAtOnce: what the store can decide when an activity
// arrives is refused then, and nothing is logged.
func TestAcceptRefusesAtOnce(t *testing.T) {
	s, dir := openTestStore(t)
	p := acceptPlace(t, s, 1)
	s.Settle()
	frames := len(logFrames(t, dir))

	again := remotePlace(varActor, p.APID, "Nom changé")
	if err := s.AcceptRemote("https://var.example/activities/1", Remote{Place: again}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("replayed activity: %v; want ErrDuplicate", err)
	}
	forged := remotePlace("https://evil.example/actor", p.APID, "Volé")
	if err := s.AcceptRemote("https://evil.example/activities/1", Remote{Place: forged}); !errors.Is(err, ErrForbidden) {
		t.Errorf("update by another actor: %v; want ErrForbidden", err)
	}
	if err := s.AcceptDelete("https://evil.example/activities/2", "https://evil.example/actor", p.APID); !errors.Is(err, ErrForbidden) {
		t.Errorf("delete by another actor: %v; want ErrForbidden", err)
	}
	local := testPlace("EPN local")
	if err := s.CreatePlace(local); err != nil {
		t.Fatal(err)
	}
	if err := s.AcceptRemote("https://var.example/activities/3", Remote{Place: remotePlace(varActor, local.APID, "x")}); !errors.Is(err, ErrForbidden) {
		t.Errorf("remote update of a local place: %v; want ErrForbidden", err)
	}
	if got := len(logFrames(t, dir)); got != frames {
		t.Errorf("the log went from %d to %d changes with refused activities", frames, got)
	}
	got, err := s.Place(p.APID)
	if err != nil || got.Nom != p.Nom {
		t.Errorf("place after refused changes: %+v, %v", got, err)
	}
}

// TestLateRefusalIsDropped: two networks claim the same new ap_id before
// either is applied; the first wins, the second is dropped, and the
// applier goes on with the rest.
func TestLateRefusalIsDropped(t *testing.T) {
	s, _ := openTestStore(t)
	release := blockCommits(s)
	mine := remotePlace(varActor, "https://var.example/lieux/1", "Fablab de Toulon")
	if err := s.AcceptRemote("https://var.example/activities/1", Remote{Place: mine}); err != nil {
		t.Fatal(err)
	}
	stolen := remotePlace("https://evil.example/actor", mine.APID, "Volé")
	if err := s.AcceptRemote("https://evil.example/activities/1", Remote{Place: stolen}); err != nil {
		t.Fatalf("the check at acceptance cannot see the first yet: %v", err)
	}
	acceptPlace(t, s, 2)
	release()
	s.Settle()
	got, err := s.Place(mine.APID)
	if err != nil || got.Nom != "Fablab de Toulon" || got.Network.Actor != varActor {
		t.Errorf("place claimed twice: %+v, %v", got, err)
	}
	if _, err := s.Place("https://var.example/lieux/2"); err != nil {
		t.Errorf("the activity after the dropped one: %v", err)
	}
}

// TestWritesWaitForAcceptedActivities: a write through the store's API
// comes after the activities accepted before it, so an unfollow removes
// a place its network sent just before.
func TestWritesWaitForAcceptedActivities(t *testing.T) {
	s, _ := openTestStore(t)
	for n := range 10 {
		acceptPlace(t, s, n)
		if err := s.DeleteNetwork(varActor); err != nil {
			t.Fatal(err)
		}
		s.Settle()
		if page, _ := s.Places(catalogue.PlaceQuery{Network: varActor}); page.Total != 0 {
			t.Fatalf("round %d: %d places of an unfollowed network", n, page.Total)
		}
	}
}

// TestCloseAppliesWhatWasAccepted: a clean stop applies everything and
// leaves an empty log.
func TestCloseAppliesWhatWasAccepted(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test"})
	if err != nil {
		t.Fatal(err)
	}
	for n := range 5 {
		acceptPlace(t, s, n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if logSize(t, dir) != 0 {
		t.Error("Close left a non-empty log")
	}
	s, err = Open(dir, Options{BaseURL: "http://maillage.test"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if page, _ := s.Places(catalogue.PlaceQuery{Network: varActor}); page.Total != 5 {
		t.Errorf("%d places after Close and Open; want 5", page.Total)
	}
}

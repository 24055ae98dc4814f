package storage

import (
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// writeLog writes ops to the inbox log in dir as the writer would have
// before a crash: consecutive frames, then zeros.
func writeLog(t *testing.T, dir string, ops ...any) {
	t.Helper()
	var data []byte
	for i, op := range ops {
		payload, err := json.Marshal(op)
		if err != nil {
			t.Fatal(err)
		}
		frame := make([]byte, frameHeader, frameHeader+len(payload))
		binary.LittleEndian.PutUint32(frame, uint32(len(payload)))
		binary.LittleEndian.PutUint64(frame[8:], uint64(i+1))
		frame = append(frame, payload...)
		binary.LittleEndian.PutUint32(frame[4:], crc32.Checksum(frame[8:], castagnoli))
		data = append(data, frame...)
	}
	data = append(data, make([]byte, 4096)...)
	if err := os.WriteFile(filepath.Join(dir, InboxLogName), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestPoisonedFramesDoNotStopOpen: a log holding the Event of issue 16
// (BYDAY=10FR, which crashed the index) and a change whose application
// panics opens fine at restart: the panicking change is set aside with
// its activity id, every other change is applied, and the log is emptied
// (no crash loop at the next start either).
func TestPoisonedFramesDoNotStopOpen(t *testing.T) {
	dir := t.TempDir()
	first, err := Open(dir, Options{BaseURL: "http://maillage.test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	first.Close() // the database exists, the log is written below

	before := remotePlace(varActor, "https://var.example/lieux/1", "EPN avant")
	where := remotePlace(varActor, "https://var.example/lieux/2", "EPN du mois")
	e := testEvent(where.APID, testNow.Add(24*time.Hour))
	e.APID, e.Network, e.Recurrence = "https://var.example/evenements/1", catalogue.Network{Actor: varActor}, "FREQ=MONTHLY;BYDAY=10FR"
	after := remotePlace(varActor, "https://var.example/lieux/3", "EPN après")
	const poisonID = "https://var.example/activities/poison"
	writeLog(t, dir,
		logOp{Activity: "https://var.example/activities/1", Remotes: []Remote{{Place: before}}},
		logOp{Activity: "https://var.example/activities/2", Remotes: []Remote{{Place: where, Event: e}}},
		json.RawMessage(`{"activity":"`+poisonID+`","remotes":[{}]}`), // no place: applying it panics
		logOp{Activity: "https://var.example/activities/3", Remotes: []Remote{{Place: after}}},
	)

	s := openAt(t, dir)
	for _, id := range []string{before.APID, where.APID, after.APID} {
		if _, err := s.Place(id); err != nil {
			t.Errorf("place %s after the restart: %v", id, err)
		}
	}
	if _, err := s.Event(e.APID); err != nil {
		t.Errorf("the BYDAY=10FR event after the restart: %v", err)
	}
	if _, err := s.Events(catalogue.EventQuery{From: testNow, To: testNow.AddDate(1, 0, 0)}); err != nil {
		t.Errorf("events search: %v", err)
	}
	aside, err := os.ReadFile(filepath.Join(dir, PoisonedName))
	if err != nil || !strings.Contains(string(aside), poisonID) || strings.Count(string(aside), "\n") != 1 {
		t.Errorf("%s = %q, %v; want the poisoned activity alone", PoisonedName, aside, err)
	}
	if ops := logFrames(t, dir); len(ops) != 0 {
		t.Errorf("the inbox log still holds %d changes", len(ops))
	}

	// Applying goes on after the restart.
	acceptPlace(t, s, 4)
	s.Settle()
	if _, err := s.Place("https://var.example/lieux/4"); err != nil {
		t.Errorf("a place accepted after the restart: %v", err)
	}
}

package storage

import (
	"slices"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// What a follower lists of the events (the outbox, /actor/events) comes
// from the index, a page at a time: the events not over, the recurring
// ones with an occurrence to come, in id order, and their number.
func TestCurrentEventsPagesAndCount(t *testing.T) {
	s, _ := openTestStore(t)
	p := testPlace("Médiathèque Saint-Charles")
	if err := s.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	var want []string
	add := func(start time.Time, recurrence string, current bool) {
		t.Helper()
		e := testEvent(p.ID, start)
		e.Recurrence = recurrence
		if err := s.CreateEvent(e); err != nil {
			t.Fatal(err)
		}
		if current {
			want = append(want, e.ID)
		}
	}
	for i := range 5 {
		add(testNow.Add(time.Duration(i+1)*24*time.Hour), "", true)
	}
	add(testNow.Add(-30*24*time.Hour), "", false)                    // over
	add(testNow.Add(-30*24*time.Hour), "FREQ=WEEKLY", true)          // began, goes on
	add(testNow.Add(-30*24*time.Hour), "FREQ=WEEKLY;COUNT=2", false) // its two occurrences are over
	add(testNow.Add(-time.Hour), "", true)                           // not over yet: ends in an hour
	slices.Sort(want)

	const actor = "https://var.example/actor"
	rp := remotePlace(actor, "https://var.example/lieux/1", "Fablab de Toulon")
	if err := s.PutRemotePlace("https://var.example/activities/1", rp); err != nil {
		t.Fatal(err)
	}
	re := testEvent(rp.APID, testNow.Add(48*time.Hour))
	re.APID, re.Network = "https://var.example/evenements/1", catalogue.Network{Actor: actor}
	if err := s.PutRemoteEvent("https://var.example/activities/2", re); err != nil {
		t.Fatal(err)
	}

	var got []string
	for cursor, pages := "", 0; ; pages++ {
		events, next, err := s.CurrentEvents(testNow, true, cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) > 2 || pages > 10 {
			t.Fatalf("page of %d events after %q", len(events), cursor)
		}
		for _, e := range events {
			if !e.Network.Local {
				t.Errorf("listed %+v", e)
			}
			got = append(got, e.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if !slices.Equal(got, want) {
		t.Errorf("local current events, by pages of 2:\n got %v\nwant %v", got, want)
	}
	if n := s.CountCurrentEvents(testNow, true); n != len(want) {
		t.Errorf("CountCurrentEvents(local) = %d; want %d", n, len(want))
	}
	if n := s.CountCurrentEvents(testNow, false); n != len(want)+1 {
		t.Errorf("CountCurrentEvents(all) = %d; want %d (the remote one too)", n, len(want)+1)
	}
	all, next, err := s.CurrentEvents(testNow, false, "", 1000)
	if err != nil || next != "" || len(all) != len(want)+1 {
		t.Errorf("CurrentEvents(all) = %d events, next %q, %v; want %d, none", len(all), next, err, len(want)+1)
	}
}

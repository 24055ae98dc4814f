package catalogue

import (
	"testing"
	"time"
)

func TestOccurrences(t *testing.T) {
	day := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, Paris) }
	weekly := &Event{Debut: day(10, 14, 14), Fin: day(10, 14, 16), Recurrence: "FREQ=WEEKLY;BYDAY=WE;COUNT=6"}
	single := &Event{Debut: day(10, 14, 14), Fin: day(10, 14, 16)}

	// The series crosses the end of summer time (25 October 2026): the
	// atelier stays at 14:00 Paris time.
	occ := weekly.Occurrences(day(10, 1, 0), day(12, 31, 0))
	if len(occ) != 6 {
		t.Fatalf("%d occurrences; want 6 (COUNT=6)", len(occ))
	}
	for i, o := range occ {
		want := day(10, 14, 14).AddDate(0, 0, 7*i)
		if !o.Debut.Equal(want) || o.Fin.Sub(o.Debut) != 2*time.Hour {
			t.Errorf("occurrence %d = %v–%v; want %v for 2 h", i, o.Debut, o.Fin, want)
		}
		if o.Debut.In(Paris).Hour() != 14 {
			t.Errorf("occurrence %d starts at %d h Paris time", i, o.Debut.In(Paris).Hour())
		}
	}

	// Only occurrences overlapping the range, including one in progress.
	occ = weekly.Occurrences(day(10, 21, 15), day(10, 29, 0))
	if len(occ) != 2 || !occ[0].Debut.Equal(day(10, 21, 14)) || !occ[1].Debut.Equal(day(10, 28, 14)) {
		t.Errorf("occurrences in [21 Oct 15:00, 29 Oct) = %v; want those of 21 and 28 October", occ)
	}
	if occ := weekly.Occurrences(day(10, 21, 16), day(10, 28, 14)); len(occ) != 0 {
		t.Errorf("the range between two occurrences gives %v", occ)
	}

	if occ := single.Occurrences(day(10, 1, 0), day(10, 31, 0)); len(occ) != 1 {
		t.Errorf("single event: %v", occ)
	}
	if occ := single.Occurrences(day(10, 15, 0), day(10, 31, 0)); len(occ) != 0 {
		t.Errorf("single event outside the range: %v", occ)
	}

	endless := &Event{Debut: day(1, 1, 10), Fin: day(1, 1, 11), Recurrence: "FREQ=DAILY"}
	if n := len(endless.Occurrences(day(1, 1, 0), day(1, 1, 0).AddDate(10, 0, 0))); n != MaxOccurrences {
		t.Errorf("an endless daily rule over ten years gives %d occurrences; want the cap %d", n, MaxOccurrences)
	}
	until := &Event{Debut: day(1, 5, 10), Fin: day(1, 5, 11), Recurrence: "FREQ=MONTHLY;BYDAY=1MO;UNTIL=20260601T000000Z"}
	if n := len(until.Occurrences(day(1, 1, 0), day(12, 31, 0))); n != 5 {
		t.Errorf("first Monday of each month until June: %d occurrences; want 5", n)
	}
}

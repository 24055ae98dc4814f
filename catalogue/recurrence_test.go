package catalogue

import (
	"strings"
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

// TestRecurrenceBounds: what the expansion cannot evaluate is refused by
// Validate, and a rule stored before these checks expands to an error, not
// a panic.
func TestRecurrenceBounds(t *testing.T) {
	debut := time.Date(2026, 1, 2, 10, 0, 0, 0, Paris)
	for _, tc := range []struct {
		rule string
		ok   bool
	}{
		{"FREQ=MONTHLY;BYDAY=10FR", false}, // crashed rrule-go (issue 16)
		{"FREQ=MONTHLY;BYDAY=-6FR", false},
		{"FREQ=MONTHLY;BYDAY=5FR", true},
		{"FREQ=MONTHLY;BYDAY=-1FR", true},
		{"FREQ=YEARLY;BYMONTH=3;BYDAY=6MO", false},
		{"FREQ=YEARLY;BYDAY=20MO", true},
		{"FREQ=YEARLY;BYDAY=54MO", false},
		{"FREQ=WEEKLY;BYDAY=2MO", false},
		{"FREQ=DAILY;INTERVAL=1001", false},
		{"FREQ=DAILY;COUNT=10001", false},
		{"FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", false},
		{"FREQ=MONTHLY;BYMONTHDAY=31", true},
		{"FREQ=WEEKLY;BYDAY=WE", true},
	} {
		e := &Event{Nom: "Atelier", Lieu: "l", Debut: debut, Fin: debut.Add(time.Hour), Statut: StatusScheduled, Recurrence: tc.rule}
		err := e.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("Validate(recurrence %q) = %v; want ok=%v", tc.rule, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "recurrence") {
			t.Errorf("Validate(recurrence %q) = %v; want the field named", tc.rule, err)
		}
	}

	// Stored before the bounds existed: Expand fails, Occurrences gives the
	// first occurrence alone.
	e := &Event{Debut: debut, Fin: debut.Add(time.Hour), Recurrence: "FREQ=MONTHLY;BYDAY=10FR"}
	if _, err := e.Expand(debut, debut.AddDate(1, 0, 0)); err == nil {
		t.Error("Expand(BYDAY=10FR) succeeded; want an error")
	}
	if occ := e.Occurrences(debut, debut.AddDate(1, 0, 0)); len(occ) != 1 || !occ[0].Debut.Equal(debut) {
		t.Errorf("Occurrences(BYDAY=10FR) = %v; want the first occurrence alone", occ)
	}
}

// FuzzRecurrence: no rule, validated or not, makes the expansion panic,
// and a rule Validate accepts expands without error.
func FuzzRecurrence(f *testing.F) {
	for _, s := range []string{
		"FREQ=WEEKLY;BYDAY=WE", "FREQ=MONTHLY;BYDAY=10FR", "FREQ=MONTHLY;BYDAY=1MO;UNTIL=20260601T000000Z",
		"FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "FREQ=DAILY;INTERVAL=2;COUNT=5", "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU",
		"FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO", "FREQ=YEARLY;BYYEARDAY=-366", "RRULE:FREQ=DAILY", "",
	} {
		f.Add(s, int64(1767344400))
	}
	f.Fuzz(func(t *testing.T, rule string, start int64) {
		debut := time.Unix(start%(1<<34), 0) // years 1425 to 2514
		e := &Event{Nom: "Atelier", Lieu: "l", Debut: debut, Fin: debut.Add(time.Hour), Recurrence: rule}
		e.Normalize()
		valid := e.Validate() == nil
		began := time.Now()
		occ, err := e.Expand(debut, debut.AddDate(2, 0, 0))
		if d := time.Since(began); valid && d > 10*time.Second {
			t.Fatalf("Expand(%q) took %v", e.Recurrence, d)
		}
		if valid && err != nil {
			t.Fatalf("Validate accepts %q but Expand fails: %v", e.Recurrence, err)
		}
		if len(occ) > MaxOccurrences {
			t.Fatalf("Expand(%q) gives %d occurrences", e.Recurrence, len(occ))
		}
		e.Occurrences(debut, debut.AddDate(2, 0, 0))
	})
}

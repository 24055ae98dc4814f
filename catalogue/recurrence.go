package catalogue

import (
	"strings"
	"time"

	"github.com/teambition/rrule-go"
)

// MaxOccurrences bounds the expansion of one recurring event in one query.
const MaxOccurrences = 1000

// Occurrence is one dated instance of an event.
type Occurrence struct {
	Debut, Fin time.Time
}

// Occurrences returns the instances of e that overlap [from, to), in order.
// A recurrence is expanded in Paris local time, so a weekly atelier at
// 14:00 stays at 14:00 across daylight-saving changes. At most
// MaxOccurrences are returned; an event whose recurrence cannot be read
// counts as a single occurrence.
func (e *Event) Occurrences(from, to time.Time) []Occurrence {
	length := e.Fin.Sub(e.Debut)
	overlaps := func(start time.Time) bool {
		return start.Before(to) && start.Add(length).After(from)
	}
	r := e.rule()
	if r == nil {
		if overlaps(e.Debut) {
			return []Occurrence{{Debut: e.Debut, Fin: e.Fin}}
		}
		return nil
	}
	var out []Occurrence
	next := r.Iterator()
	for len(out) < MaxOccurrences {
		start, ok := next()
		if !ok || !start.Before(to) {
			break
		}
		if overlaps(start) {
			out = append(out, Occurrence{Debut: start, Fin: start.Add(length)})
		}
	}
	return out
}

// rule returns the parsed recurrence of e, starting at its first
// occurrence in Paris time, or nil when it has none or it is invalid.
func (e *Event) rule() *rrule.RRule {
	if e.Recurrence == "" {
		return nil
	}
	opt, err := rrule.StrToROptionInLocation(e.Recurrence, Paris)
	if err != nil || checkRecurrenceOption(e.Recurrence, opt) != "" {
		return nil
	}
	opt.Dtstart = e.Debut.In(Paris)
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil
	}
	return r
}

// checkRecurrence says in French why an RRULE is refused, or "".
func checkRecurrence(s string) string {
	opt, err := rrule.StrToROptionInLocation(s, Paris)
	if err != nil {
		return "règle de récurrence illisible « " + s + " » (attendu : une RRULE RFC 5545, ex. FREQ=WEEKLY;BYDAY=WE)"
	}
	if why := checkRecurrenceOption(s, opt); why != "" {
		return why
	}
	if _, err := rrule.NewRRule(*opt); err != nil {
		return "règle de récurrence invalide : " + err.Error()
	}
	return ""
}

func checkRecurrenceOption(s string, opt *rrule.ROption) string {
	switch {
	case strings.Contains(s, "DTSTART"):
		return "la règle ne doit pas contenir DTSTART : le début est celui de l'événement"
	case opt.Freq > rrule.DAILY, len(opt.Byhour) > 0, len(opt.Byminute) > 0, len(opt.Bysecond) > 0:
		return "une occurrence par jour au plus : FREQ=DAILY, WEEKLY, MONTHLY ou YEARLY, sans BYHOUR ni BYMINUTE"
	}
	return ""
}

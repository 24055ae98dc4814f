package catalogue

import (
	"errors"
	"fmt"
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
// MaxOccurrences are returned; an event whose recurrence cannot be read or
// expanded (see Expand) counts as a single occurrence.
func (e *Event) Occurrences(from, to time.Time) []Occurrence {
	out, err := e.Expand(from, to)
	if err != nil {
		return e.single(from, to)
	}
	return out
}

// Expand returns the instances of e that overlap [from, to), as
// Occurrences does, or an error when its recurrence cannot be read or its
// expansion fails: the expansion library's panics are turned into errors,
// so that no stored rule can stop the process.
func (e *Event) Expand(from, to time.Time) (out []Occurrence, err error) {
	if e.Recurrence == "" {
		return e.single(from, to), nil
	}
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("récurrence « %s » : calcul des occurrences impossible (%v)", e.Recurrence, p)
		}
	}()
	r, err := e.rule()
	if err != nil {
		return nil, err
	}
	length := e.Fin.Sub(e.Debut)
	next := r.Iterator()
	for len(out) < MaxOccurrences {
		start, ok := next()
		if !ok || !start.Before(to) {
			break
		}
		if start.Before(to) && start.Add(length).After(from) {
			out = append(out, Occurrence{Debut: start, Fin: start.Add(length)})
		}
	}
	return out, nil
}

// single returns e's first occurrence alone if it overlaps [from, to).
func (e *Event) single(from, to time.Time) []Occurrence {
	if e.Debut.Before(to) && e.Fin.After(from) {
		return []Occurrence{{Debut: e.Debut, Fin: e.Fin}}
	}
	return nil
}

// rule returns the parsed recurrence of e, starting at its first
// occurrence in Paris time, or an error when it is invalid.
func (e *Event) rule() (*rrule.RRule, error) {
	opt, err := rrule.StrToROptionInLocation(e.Recurrence, Paris)
	if err != nil {
		return nil, fmt.Errorf("récurrence illisible « %s » : %v", e.Recurrence, err)
	}
	if why := checkRecurrenceOption(e.Recurrence, opt); why != "" {
		return nil, errors.New(why)
	}
	opt.Dtstart = e.Debut.In(Paris)
	return rrule.NewRRule(*opt)
}

// checkRecurrence says in French why an RRULE is refused, or "".
func checkRecurrence(s string) (why string) {
	if len(s) > maxRecurrence {
		return fmt.Sprintf("règle de récurrence trop longue (%d caractères au plus)", maxRecurrence)
	}
	defer func() {
		if p := recover(); p != nil {
			why = "règle de récurrence invalide « " + s + " »"
		}
	}()
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

// Bounds of the recurrences accepted: beyond them a rule is either a
// mistake or an attempt to make the expansion slow or fail.
const (
	maxRecurrence = 500   // characters
	maxInterval   = 1000  // INTERVAL
	maxCount      = 10000 // COUNT
)

// checkRecurrenceOption refuses, in French, what the expansion library
// cannot evaluate or what makes no sense for an event: several a day,
// ordinals of BYDAY out of the period (BYDAY=10FR in a month), INTERVAL
// and COUNT out of bounds, a BYMONTHDAY that none of the BYMONTH have.
func checkRecurrenceOption(s string, opt *rrule.ROption) string {
	switch {
	case strings.Contains(s, "DTSTART"):
		return "la règle ne doit pas contenir DTSTART : le début est celui de l'événement"
	case opt.Freq > rrule.DAILY, len(opt.Byhour) > 0, len(opt.Byminute) > 0, len(opt.Bysecond) > 0:
		return "une occurrence par jour au plus : FREQ=DAILY, WEEKLY, MONTHLY ou YEARLY, sans BYHOUR ni BYMINUTE"
	case opt.Interval < 0 || opt.Interval > maxInterval:
		return fmt.Sprintf("INTERVAL doit être entre 1 et %d", maxInterval)
	case opt.Count < 0 || opt.Count > maxCount:
		return fmt.Sprintf("COUNT doit être entre 1 et %d", maxCount)
	case opt.Until.Year() > 9999:
		return "UNTIL invalide (année après 9999)"
	}
	// An ordinal counts weekdays of the month for MONTHLY, and for YEARLY
	// with BYMONTH; of the year for YEARLY alone; it means nothing otherwise.
	limit := 53
	if opt.Freq == rrule.MONTHLY || opt.Freq == rrule.YEARLY && len(opt.Bymonth) > 0 {
		limit = 5
	}
	for _, d := range opt.Byweekday {
		n := d.N()
		switch {
		case n == 0:
		case opt.Freq != rrule.MONTHLY && opt.Freq != rrule.YEARLY:
			return "un rang dans BYDAY (ex. 2MO) n'est admis qu'avec FREQ=MONTHLY ou YEARLY"
		case n > limit || n < -limit:
			return fmt.Sprintf("rang invalide dans BYDAY : %d (de 1 à %d, ou de -1 à -%d)", n, limit, limit)
		}
	}
	if len(opt.Bymonthday) > 0 {
		possible := false
		for _, d := range opt.Bymonthday {
			if d < 0 {
				d = -d
			}
			if len(opt.Bymonth) == 0 {
				possible = possible || d <= 31
			}
			for _, m := range opt.Bymonth {
				possible = possible || d <= daysIn(time.Month(m))
			}
		}
		if !possible {
			return "aucune date possible : aucun des mois de BYMONTH n'a le jour de BYMONTHDAY"
		}
	}
	return ""
}

// daysIn returns the most days month m has (29 for February).
func daysIn(m time.Month) int {
	return time.Date(2024, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

package printable

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// span is an opening of a day, in minutes from midnight.
type span struct{ from, to int }

// sampleDays is how many days HoursInWords looks at: nine weeks, so
// that each weekday comes at least once in each position in the month
// (the first Monday, the second Thursday…).
const sampleDays = 63

// HoursInWords describes opening hours in French, one line per group of
// days: "Du lundi au vendredi : 9 h – 12 h et 14 h – 18 h 30". It reads
// the hours (OSM opening_hours, as catalogue.ParseHours does) over the
// weeks that follow from, so what it says holds for them: rules tied to
// months or dates show as they apply then. Days open only some weeks of
// the month are named ("1er lundi du mois"). Hours it cannot read, or
// whose pattern it cannot put in words, are returned as written.
func HoursInWords(text string, from time.Time) []string {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	h, err := catalogue.ParseHours(text)
	if err != nil {
		return []string{text}
	}
	y, m, d := from.In(catalogue.Paris).Date()
	type day struct {
		nth, fromEnd int
		spans        []span
	}
	var byWeekday [7][]day // Monday first
	for i := 0; i < sampleDays; i++ {
		date := time.Date(y, m, d+i, 12, 0, 0, 0, catalogue.Paris)
		if catalogue.IsPublicHoliday(date) {
			continue
		}
		wd := (int(date.Weekday()) + 6) % 7
		last := time.Date(date.Year(), date.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
		byWeekday[wd] = append(byWeekday[wd], day{
			nth:     (date.Day()-1)/7 + 1,
			fromEnd: (last-date.Day())/7 + 1,
			spans:   openSpans(h, date),
		})
	}

	var lines []string
	regular := [7][]span{}
	isRegular := [7]bool{}
	for wd, days := range byWeekday {
		same := true
		for _, dd := range days[1:] {
			if !slices.Equal(dd.spans, days[0].spans) {
				same = false
				break
			}
		}
		if same && len(days) > 0 {
			regular[wd], isRegular[wd] = days[0].spans, true
		}
	}
	lines = append(lines, regularLines(regular, isRegular)...)
	for wd, days := range byWeekday {
		if isRegular[wd] {
			continue
		}
		line, ok := monthlyLine(wd, days, func(dd day) (int, int, []span) { return dd.nth, dd.fromEnd, dd.spans })
		if !ok {
			return []string{text} // a pattern the words above cannot say
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		lines = append(lines, "Fermé")
	}
	if closedOnHolidays(h, regular, from) {
		lines = append(lines, "Fermé les jours fériés")
	}
	for _, c := range comments.FindAllStringSubmatch(text, -1) {
		if c[1] = strings.TrimSpace(c[1]); c[1] != "" {
			lines = append(lines, upperFirst(c[1]))
		}
	}
	return lines
}

var comments = regexp.MustCompile(`"([^"]*)"`)

// openSpans lists the openings of the Paris calendar day of date, to
// the minute. It samples every five minutes, then finds each change to
// the minute.
func openSpans(h *catalogue.Hours, date time.Time) []span {
	y, m, d := date.Date()
	at := func(minute int) bool {
		return h.OpenAt(time.Date(y, m, d, minute/60, minute%60, 0, 0, catalogue.Paris))
	}
	var out []span
	open, start := at(0), 0
	for minute := 5; minute <= 1440; minute += 5 {
		now := minute < 1440 && at(minute)
		if now == open {
			continue
		}
		change := minute
		for c := minute - 4; c < minute; c++ {
			if at(c) == now {
				change = c
				break
			}
		}
		if open {
			out = append(out, span{start, change})
		}
		open, start = now, change
	}
	if open {
		out = append(out, span{start, 1440})
	}
	return out
}

// regularLines groups the days that have the same openings every week.
func regularLines(regular [7][]span, isRegular [7]bool) []string {
	var lines []string
	done := [7]bool{}
	for wd := 0; wd < 7; wd++ {
		if done[wd] || !isRegular[wd] || len(regular[wd]) == 0 {
			continue
		}
		var days []int
		for o := wd; o < 7; o++ {
			if isRegular[o] && slices.Equal(regular[o], regular[wd]) {
				days, done[o] = append(days, o), true
			}
		}
		lines = append(lines, daysInWords(days)+" : "+spansInWords(regular[wd]))
	}
	return lines
}

// monthlyLine says a weekday open only some weeks of the month: the
// same openings on the nth ones (from the start or from the end of the
// month), closed on the others.
func monthlyLine[D any](wd int, days []D, get func(D) (nth, fromEnd int, spans []span)) (string, bool) {
	var open []span
	for _, d := range days {
		if _, _, s := get(d); len(s) > 0 {
			if open != nil && !slices.Equal(open, s) {
				return "", false
			}
			open = s
		}
	}
	if open == nil {
		return "", false
	}
	try := func(pos func(D) int) ([]int, bool) {
		status := map[int]bool{}
		for _, d := range days {
			_, _, s := get(d)
			p := pos(d)
			if was, seen := status[p]; seen && was != (len(s) > 0) {
				return nil, false
			}
			status[p] = len(s) > 0
		}
		var ns []int
		for n := 1; n <= 5; n++ {
			if status[n] {
				ns = append(ns, n)
			}
		}
		return ns, len(ns) > 0
	}
	name := weekdays[wd]
	if ns, ok := try(func(d D) int { n, _, _ := get(d); return n }); ok {
		return upperFirst(ordinals(ns)) + " " + plural(name, len(ns)) + " du mois : " + spansInWords(open), true
	}
	if ns, ok := try(func(d D) int { _, e, _ := get(d); return e }); ok && len(ns) == 1 && ns[0] == 1 {
		return "Dernier " + name + " du mois : " + spansInWords(open), true
	}
	return "", false
}

// closedOnHolidays tells whether the place is closed on a public
// holiday that falls on a day it is open every week.
func closedOnHolidays(h *catalogue.Hours, regular [7][]span, from time.Time) bool {
	y := from.In(catalogue.Paris).Year()
	for _, year := range []int{y, y + 1} {
		for _, hol := range catalogue.PublicHolidays(year) {
			if hol.Date.Before(from.AddDate(0, 0, -1)) {
				continue
			}
			wd := (int(hol.Date.Weekday()) + 6) % 7
			if len(regular[wd]) == 0 {
				continue
			}
			s := regular[wd][0]
			mid := (s.from + s.to) / 2
			yy, mm, dd := hol.Date.Date()
			return !h.OpenAt(time.Date(yy, mm, dd, mid/60, mid%60, 0, 0, catalogue.Paris))
		}
	}
	return false
}

var weekdays = []string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}

// daysInWords names days (Monday = 0, in order): "Du lundi au
// vendredi", "Mardi et jeudi", "Du lundi au mercredi et vendredi".
func daysInWords(days []int) string {
	var parts []string
	for i := 0; i < len(days); {
		j := i
		for j+1 < len(days) && days[j+1] == days[j]+1 {
			j++
		}
		switch {
		case j-i >= 2:
			parts = append(parts, "du "+weekdays[days[i]]+" au "+weekdays[days[j]])
		default:
			for k := i; k <= j; k++ {
				parts = append(parts, weekdays[days[k]])
			}
		}
		i = j + 1
	}
	return upperFirst(joinFrench(parts))
}

// spansInWords writes openings the French way: "9 h – 12 h et 14 h –
// 18 h 30"; the whole day is "toute la journée".
func spansInWords(spans []span) string {
	if len(spans) == 1 && spans[0] == (span{0, 1440}) {
		return "toute la journée"
	}
	parts := make([]string, len(spans))
	for i, s := range spans {
		parts[i] = clock(s.from) + " – " + clock(s.to)
	}
	return joinFrench(parts)
}

func clock(minute int) string {
	if minute == 1440 {
		return "minuit"
	}
	if minute%60 == 0 {
		return fmt.Sprintf("%d h", minute/60)
	}
	return fmt.Sprintf("%d h %02d", minute/60, minute%60)
}

// ordinals writes 1, 3 as "1er et 3e".
func ordinals(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		if n == 1 {
			parts[i] = "1er"
		} else {
			parts[i] = fmt.Sprintf("%de", n)
		}
	}
	return joinFrench(parts)
}

func plural(word string, n int) string {
	if n > 1 {
		return word + "s"
	}
	return word
}

// joinFrench joins "a", "b", "c" as "a, b et c".
func joinFrench(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " et " + parts[len(parts)-1]
}

func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

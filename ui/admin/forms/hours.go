package forms

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// The opening-hours helper of the place form: a weekly grid, Monday to
// Sunday, of up to two time slots a day, which the server writes in
// OpenStreetMap opening_hours syntax, and reads back from it when the
// hours are simple enough.

// GridSlots is how many time slots a day of the grid has.
const GridSlots = 2

// osmDays are the OpenStreetMap names of the days, Monday first.
var osmDays = [7]string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}

// Slot is one opening span of a day, as typed: "09:00" to "12:00".
type Slot struct{ From, To string }

// WeekGrid is the grid: [day][slot].
type WeekGrid [7][GridSlots]Slot

// GridInput names the input of a slot's start or end.
func GridInput(day, n int, end bool) string {
	if end {
		return fmt.Sprintf("h-%d-%d-a", day, n)
	}
	return fmt.Sprintf("h-%d-%d-de", day, n)
}

// GridFromForm reads the grid of a submitted form.
func GridFromForm(form url.Values) WeekGrid {
	var g WeekGrid
	for d := range 7 {
		for n := range GridSlots {
			g[d][n] = Slot{From: strings.TrimSpace(form.Get(GridInput(d, n, false))), To: strings.TrimSpace(form.Get(GridInput(d, n, true)))}
		}
	}
	return g
}

// GridProblem says which input of the grid is wrong and why (a message
// key of the catalogue, with the day and slot).
type GridProblem struct {
	Input string
	Key   string
	Day   int
	Slot  int
}

var clockPattern = regexp.MustCompile(`^([01]?\d|2[0-4])[:hH]([0-5]\d)$`)

// ClockMinutes reads "09:00" (or "9h00") as minutes since midnight.
func ClockMinutes(s string) (int, bool) {
	m := clockPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	h, _ := strconv.Atoi(m[1])
	min, _ := strconv.Atoi(m[2])
	if h == 24 && min != 0 {
		return 0, false
	}
	return h*60 + min, true
}

// OSM writes the grid in opening_hours syntax, merging consecutive days
// with the same slots into ranges: "Mo-Fr 09:00-12:00,14:00-17:00; Sa
// 09:00-12:00". An empty grid gives "". The first problem found stops it.
func (g WeekGrid) OSM() (string, *GridProblem) {
	var days [7]string
	for d := range 7 {
		var spans []string
		lastEnd := -1
		for n, s := range g[d] {
			if s.From == "" && s.To == "" {
				continue
			}
			if s.From == "" || s.To == "" {
				in := GridInput(d, n, s.From != "")
				return "", &GridProblem{Input: in, Key: "admin.hours.incomplete", Day: d, Slot: n}
			}
			from, ok1 := ClockMinutes(s.From)
			to, ok2 := ClockMinutes(s.To)
			switch {
			case !ok1:
				return "", &GridProblem{Input: GridInput(d, n, false), Key: "admin.hours.badtime", Day: d, Slot: n}
			case !ok2:
				return "", &GridProblem{Input: GridInput(d, n, true), Key: "admin.hours.badtime", Day: d, Slot: n}
			case to <= from:
				return "", &GridProblem{Input: GridInput(d, n, true), Key: "admin.hours.order", Day: d, Slot: n}
			case from < lastEnd:
				return "", &GridProblem{Input: GridInput(d, n, false), Key: "admin.hours.overlap", Day: d, Slot: n}
			}
			lastEnd = to
			spans = append(spans, fmt.Sprintf("%02d:%02d-%02d:%02d", from/60, from%60, to/60, to%60))
		}
		days[d] = strings.Join(spans, ",")
	}
	var rules []string
	for d := 0; d < 7; {
		if days[d] == "" {
			d++
			continue
		}
		end := d
		for end+1 < 7 && days[end+1] == days[d] {
			end++
		}
		sel := osmDays[d]
		if end > d {
			sel += "-" + osmDays[end]
		}
		rules = append(rules, sel+" "+days[d])
		d = end + 1
	}
	return strings.Join(rules, "; "), nil
}

var (
	simpleRule  = regexp.MustCompile(`^([A-Za-z]{2}(?:\s*-\s*[A-Za-z]{2})?(?:\s*,\s*[A-Za-z]{2}(?:\s*-\s*[A-Za-z]{2})?)*)\s+(\d\d:\d\d-\d\d:\d\d(?:\s*,\s*\d\d:\d\d-\d\d:\d\d)*)$`)
	osmDayIndex = map[string]int{"Mo": 0, "Tu": 1, "We": 2, "Th": 3, "Fr": 4, "Sa": 5, "Su": 6}
)

// GridFromOSM reads opening hours into the grid when they are only
// weekdays and times, each day named once with at most two slots. It
// reports false for anything else (holidays, months, "off", comments…),
// which only the raw field can show.
func GridFromOSM(s string) (WeekGrid, bool) {
	var g WeekGrid
	s = strings.TrimSpace(s)
	if s == "" {
		return g, true
	}
	var seen [7]bool
	for _, rule := range strings.Split(s, ";") {
		rule = strings.TrimSpace(rule)
		m := simpleRule.FindStringSubmatch(rule)
		if m == nil {
			return g, false
		}
		var spans []Slot
		for _, sp := range strings.Split(m[2], ",") {
			from, to, _ := strings.Cut(strings.TrimSpace(sp), "-")
			a, ok1 := ClockMinutes(from)
			b, ok2 := ClockMinutes(to)
			if !ok1 || !ok2 || b <= a || len(spans) > 0 && a < mustMinutes(spans[len(spans)-1].To) {
				return g, false
			}
			spans = append(spans, Slot{From: from, To: to})
		}
		if len(spans) > GridSlots {
			return g, false
		}
		for _, part := range strings.Split(m[1], ",") {
			first, last, isRange := strings.Cut(strings.ReplaceAll(strings.TrimSpace(part), " ", ""), "-")
			i, ok := osmDayIndex[first]
			j := i
			if isRange {
				var ok2 bool
				j, ok2 = osmDayIndex[last]
				ok = ok && ok2 && j >= i
			}
			if !ok {
				return g, false
			}
			for d := i; d <= j; d++ {
				if seen[d] {
					return g, false
				}
				seen[d] = true
				copy(g[d][:], spans)
			}
		}
	}
	return g, true
}

func mustMinutes(s string) int {
	m, _ := ClockMinutes(s)
	return m
}

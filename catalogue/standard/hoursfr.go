package standard

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/maillage/maillage/catalogue"
)

// Opening hours as producers write them, turned into OSM opening_hours:
// French text ("Lundi au vendredi de 10h à 12h et de 14h à 17h"), one
// column per day ("09:00 - 12:00 / 13:30 - 17:00"), or a morning and an
// afternoon column per day. Anything not fully understood is refused
// rather than guessed: the caller keeps the text and warns.

// osmDays are the OSM day abbreviations, Monday first.
var osmDays = [7]string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}

// frenchDays maps French day names and their abbreviations, folded, to
// their index from Monday.
var frenchDays = map[string]int{
	"lundi": 0, "lun": 0, "mardi": 1, "mar": 1, "mercredi": 2, "mer": 2, "jeudi": 3, "jeu": 3,
	"vendredi": 4, "ven": 4, "samedi": 5, "sam": 5, "dimanche": 6, "dim": 6,
}

// timeRange is an opening from start to end, in minutes after midnight.
type timeRange struct{ start, end int }

// week holds the ranges of each day, Monday first.
type week [7][]timeRange

// hourToken is a word, a number or a punctuation mark of a text of hours.
type hourToken struct {
	word         string // folded, lower case
	num          int
	isNum, punct bool
	digits       int
}

func tokenizeHours(s string) []hourToken {
	var out []hourToken
	rs := []rune(strings.ToLower(catalogue.Fold(s)))
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case unicode.IsDigit(r):
			j := i
			for j < len(rs) && unicode.IsDigit(rs[j]) {
				j++
			}
			n, _ := strconv.Atoi(string(rs[i:j]))
			out = append(out, hourToken{num: n, isNum: true, digits: j - i})
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(rs) && unicode.IsLetter(rs[j]) {
				j++
			}
			out = append(out, hourToken{word: string(rs[i:j])})
			i = j
		default:
			out = append(out, hourToken{word: string(r), punct: true})
			i++
		}
	}
	return out
}

// hoursScanner walks the tokens of a text of hours.
type hoursScanner struct {
	toks []hourToken
	pos  int
}

func (sc *hoursScanner) peek(k int) hourToken {
	if sc.pos+k < len(sc.toks) {
		return sc.toks[sc.pos+k]
	}
	return hourToken{}
}

func (sc *hoursScanner) done() bool { return sc.pos >= len(sc.toks) }

// clock reads "9h", "9h30", "09:30", "9 heures", "14" at the position; it
// moves on only when it reads one.
func (sc *hoursScanner) clock() (int, bool) {
	t := sc.peek(0)
	if !t.isNum || t.num > 24 || t.digits > 2 {
		return 0, false
	}
	n, h, m := 1, t.num, 0
	if sep := sc.peek(1); sep.word == "h" || sep.word == ":" || sep.word == "heures" || sep.word == "heure" || sep.word == "." {
		n = 2
		if mm := sc.peek(2); mm.isNum && mm.digits == 2 && mm.num < 60 {
			m, n = mm.num, 3
		} else if sep.word == ":" || sep.word == "." {
			return 0, false
		}
	}
	if h == 24 && m != 0 {
		return 0, false
	}
	sc.pos += n
	return h*60 + m, true
}

// timeRange reads "de 10h à 12h", "10h-12h", "09:00 - 12:00".
func (sc *hoursScanner) timeRange() (timeRange, bool) {
	save := sc.pos
	if w := sc.peek(0).word; w == "de" || w == "des" {
		sc.pos++
	}
	start, ok := sc.clock()
	if ok {
		if w := sc.peek(0).word; w == "a" || w == "-" || w == "–" || w == "—" || w == "au" || w == "jusqu" {
			sc.pos++
			if sc.peek(0).word == "'" || sc.peek(0).word == "’" {
				sc.pos++
			}
			if end, ok := sc.clock(); ok && end > start {
				return timeRange{start, end}, true
			}
		}
	}
	sc.pos = save
	return timeRange{}, false
}

// days reads "lundi", "du lundi au vendredi", "lundi-vendredi", "lun." and
// returns the days it names.
func (sc *hoursScanner) days() ([]int, bool) {
	save := sc.pos
	if w := sc.peek(0).word; w == "du" || w == "le" || w == "les" {
		sc.pos++
	}
	first, ok := frenchDays[sc.peek(0).word]
	if !ok {
		if w := sc.peek(0).word; w == "tous" && sc.peek(1).word == "les" && sc.peek(2).word == "jours" {
			sc.pos += 3
			return []int{0, 1, 2, 3, 4, 5, 6}, true
		}
		sc.pos = save
		return nil, false
	}
	sc.pos++
	if sc.peek(0).word == "." {
		sc.pos++
	}
	if w := sc.peek(0).word; w == "au" || w == "a" || w == "-" || w == "–" {
		if last, ok := frenchDays[sc.peek(1).word]; ok {
			sc.pos += 2
			if sc.peek(0).word == "." {
				sc.pos++
			}
			var out []int
			for d := first; ; d = (d + 1) % 7 {
				out = append(out, d)
				if d == last {
					break
				}
			}
			return out, true
		}
	}
	return []int{first}, true
}

// fillers are the words and marks a text of hours may hold around days
// and times without changing their meaning.
var fillers = map[string]bool{
	"et": true, ",": true, ";": true, ":": true, "/": true, "|": true, "-": true, ".": true, "+": true,
	"puis": true, "le": true, "les": true, "l": true, "'": true, "’": true, "(": true, ")": true,
	"matin": true, "apres": true, "midi": true, "am": true, "pm": true, "ouvert": true, "ouverture": true,
	"horaires": true, "de": true, "du": true, "&": true, "journee": true, "continue": true, "non": true, "stop": true,
}

// closedWords say a day is closed.
var closedWords = map[string]bool{"ferme": true, "fermee": true, "fermeture": true, "x": true}

// parseFrenchHours reads French text hours into a week.
func parseFrenchHours(s string) (week, bool) {
	var w week
	sc := &hoursScanner{toks: tokenizeHours(s)}
	var days []int
	afterTimes := false // the next days start a new rule
	any := false
	for !sc.done() {
		if ds, ok := sc.days(); ok {
			if afterTimes {
				days, afterTimes = nil, false
			}
			days = append(days, ds...)
			continue
		}
		if r, ok := sc.timeRange(); ok {
			if len(days) == 0 {
				return week{}, false
			}
			for _, d := range days {
				w[d] = append(w[d], r)
			}
			afterTimes, any = true, true
			continue
		}
		t := sc.peek(0)
		switch {
		case closedWords[t.word]:
			afterTimes = true
		case fillers[t.word]:
		default:
			return week{}, false
		}
		sc.pos++
	}
	return w, any
}

// parseDayCell reads the cell of one day: "09:00 - 12:00 / 13:30 - 17:00",
// "9h-12h", "Fermé" or empty. ok is false for anything else.
func parseDayCell(s string) ([]timeRange, bool) {
	sc := &hoursScanner{toks: tokenizeHours(s)}
	var out []timeRange
	for !sc.done() {
		if r, ok := sc.timeRange(); ok {
			out = append(out, r)
			continue
		}
		t := sc.peek(0)
		if !closedWords[t.word] && !fillers[t.word] {
			return nil, false
		}
		sc.pos++
	}
	return out, true
}

// osm writes w as OSM opening_hours, consecutive days with the same
// ranges together: "Mo-Fr 10:00-12:00,14:00-17:00; Sa 09:00-12:00".
// It returns "" for a week with no opening.
func (w week) osm() string {
	var rules []string
	for d := 0; d < 7; {
		if len(w[d]) == 0 {
			d++
			continue
		}
		e := d
		for e+1 < 7 && sameRanges(w[e+1], w[d]) {
			e++
		}
		days := osmDays[d]
		if e > d {
			sep := "-"
			if e == d+1 {
				sep = ","
			}
			days += sep + osmDays[e]
		}
		var times []string
		for _, r := range w[d] {
			times = append(times, clockText(r.start)+"-"+clockText(r.end))
		}
		rules = append(rules, days+" "+strings.Join(times, ","))
		d = e + 1
	}
	return strings.Join(rules, "; ")
}

func sameRanges(a, b []timeRange) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func clockText(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// frenchHoursToOSM returns the OSM opening_hours of a French text of
// hours, checked by catalogue.ParseHours, and whether it understood it.
func frenchHoursToOSM(s string) (string, bool) {
	w, ok := parseFrenchHours(s)
	if !ok {
		return "", false
	}
	osm := w.osm()
	if _, err := catalogue.ParseHours(osm); osm == "" || err != nil {
		return "", false
	}
	return osm, true
}

package catalogue

import (
	"fmt"
	"strings"
	"time"
)

// Hours are opening hours in the OpenStreetMap opening_hours syntax, as the
// national standard uses them ("Mo-Fr 09:00-12:00,14:00-18:30; Sa
// 08:30-12:00; PH off"), compiled so that OpenAt is cheap.
//
// Supported: rules separated by ";" (a later rule replaces earlier ones for
// the days it matches), "," between full rules (an additional rule) and
// "||" (a fallback rule, used when no earlier rule matched the day);
// weekdays, ranges and lists (Mo-Fr, Fr-Mo, Mo,We), the nth weekday of the
// month (Mo[1], Fr[-1], We[2-4]); PH (French public holidays); years,
// months, dates and their ranges (2026 Dec 24, Jan-Mar, Dec 25-Jan 01);
// ISO weeks (week 1-53/2); time ranges, also across midnight (22:00-02:00)
// and open-ended (18:00+, counted as open until midnight); "24/7"; the
// modifiers off, closed, open and unknown; comments in double quotes.
// Day names are accepted in any case, single-digit hours ("9:00") and
// typographic dashes too.
//
// Not supported: SH (school holidays, which depend on the académie: an SH
// selector never matches), sunrise/sunset, "PH +1 day" offsets and easter
// dates; they give an error, so the text is kept and flagged.
type Hours struct {
	text      string
	rules     []hoursRule
	overnight bool // some range goes on after midnight
}

type ruleKind uint8

const (
	normalRule ruleKind = iota
	additionalRule
	fallbackRule
)

type ruleState uint8

const (
	stateOpen ruleState = iota
	stateClosed
	stateUnknown // a comment alone, or "unknown": not open
)

type hoursRule struct {
	kind       ruleKind
	state      ruleState
	yearFrom   int // 0: any year
	yearTo     int
	months     uint16 // bit m for month m; 0: any month
	dates      []dateRange
	weeks      uint64 // bit w for ISO week w; 0: any week
	hasDays    bool   // a weekday or holiday selector was given
	weekdays   uint8  // bit 0 for Monday … 6 for Sunday
	nth        [7]uint16
	holidays   bool // PH
	spans      []span
	comment    string
	everything bool // 24/7
}

// dateRange is a range of month-days, encoded month*32+day; it may wrap
// around the new year.
type dateRange struct{ from, to int }

// span is a range of minutes from the day's midnight; to may pass 1440
// when the range goes on after midnight.
type span struct{ from, to int16 }

// HoursError says where and why opening hours cannot be read.
type HoursError struct {
	Pos    int // byte offset in the text
	Reason string
}

func (e *HoursError) Error() string {
	return fmt.Sprintf("horaires illisibles à la position %d : %s", e.Pos+1, e.Reason)
}

// ParseHours compiles opening hours. The error is a *HoursError.
func ParseHours(s string) (*Hours, error) {
	p := &hoursParser{s: s}
	h, err := p.parse()
	if err != nil {
		return nil, err
	}
	h.text = strings.TrimSpace(s)
	return h, nil
}

// String returns the opening hours as written, trimmed.
func (h *Hours) String() string { return h.text }

// dayInfo is what rules look at on a given Paris calendar day.
type dayInfo struct {
	year          int
	month         int
	day           int
	weekday       int // 0 for Monday
	week          int // ISO week
	nthFromStart  int // 1 for the first such weekday of the month
	nthFromEnd    int // 1 for the last
	publicHoliday bool
}

func infoFor(y int, m time.Month, d int) dayInfo {
	t := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	_, week := t.ISOWeek()
	daysInMonth := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return dayInfo{
		year: y, month: int(m), day: d,
		weekday:       (int(t.Weekday()) + 6) % 7,
		week:          week,
		nthFromStart:  (d-1)/7 + 1,
		nthFromEnd:    (daysInMonth-d)/7 + 1,
		publicHoliday: isHoliday(y, m, d),
	}
}

// Moment is an instant as opening hours see it: the Paris calendar day,
// the day before and the minute of the day. Computing it once and calling
// OpenDuring for many places is cheaper than OpenAt for each.
type Moment struct {
	today, yesterday dayInfo
	minute           int
}

// MomentOf returns the Moment of t, read in Paris time.
func MomentOf(t time.Time) Moment {
	lt := t.In(Paris)
	y, m, d := lt.Date()
	py, pm, pd := time.Date(y, m, d-1, 12, 0, 0, 0, time.UTC).Date()
	return Moment{today: infoFor(y, m, d), yesterday: infoFor(py, pm, pd), minute: lt.Hour()*60 + lt.Minute()}
}

// OpenAt reports whether the place is open at t (read in Paris time).
// Unknown states count as closed. It does not allocate.
func (h *Hours) OpenAt(t time.Time) bool {
	return h.OpenDuring(MomentOf(t))
}

// OpenDuring reports whether the place is open at the moment m.
func (h *Hours) OpenDuring(m Moment) bool {
	if h.openOn(m.today, m.minute) {
		return true
	}
	// A range of the day before may go on after midnight.
	return h.overnight && h.openOn(m.yesterday, m.minute+1440)
}

// openOn tells whether minute (from the day's midnight, up to 2880) is open
// on the given day once every rule has been applied.
func (h *Hours) openOn(day dayInfo, minute int) bool {
	open, matched := false, false
	for i := range h.rules {
		r := &h.rules[i]
		if r.kind == fallbackRule && matched || !r.matches(day) {
			continue
		}
		in := r.contains(minute)
		switch {
		case r.kind == additionalRule:
			if in {
				open = r.state == stateOpen
			}
		default:
			open = in && r.state == stateOpen
		}
		matched = true
	}
	return open
}

func (r *hoursRule) contains(minute int) bool {
	if len(r.spans) == 0 {
		return minute < 1440 // the whole day
	}
	for _, s := range r.spans {
		if int(s.from) <= minute && minute < int(s.to) {
			return true
		}
	}
	return false
}

func (r *hoursRule) matches(d dayInfo) bool {
	if r.everything {
		return true
	}
	if r.yearFrom != 0 && (d.year < r.yearFrom || d.year > r.yearTo) {
		return false
	}
	if r.months != 0 && r.months&(1<<d.month) == 0 {
		return false
	}
	if len(r.dates) > 0 {
		md, in := d.month*32+d.day, false
		for _, dr := range r.dates {
			if dr.from <= dr.to && dr.from <= md && md <= dr.to || dr.from > dr.to && (md >= dr.from || md <= dr.to) {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	if r.weeks != 0 && r.weeks&(1<<d.week) == 0 {
		return false
	}
	if !r.hasDays {
		return true
	}
	if r.holidays && d.publicHoliday {
		return true
	}
	if r.weekdays&(1<<d.weekday) == 0 {
		return false
	}
	nth := r.nth[d.weekday]
	return nth == 0 || nth&(1<<d.nthFromStart) != 0 || nth&(1<<(5+d.nthFromEnd)) != 0
}

// NextChange returns the first minute after t at which the place opens or
// closes, looking up to eight days ahead; false when nothing changes.
func (h *Hours) NextChange(t time.Time) (time.Time, bool) {
	now := h.OpenAt(t)
	m := t.Truncate(time.Minute)
	for i := 1; i <= 8*24*60; i++ {
		next := m.Add(time.Duration(i) * time.Minute)
		if h.OpenAt(next) != now {
			return next, true
		}
	}
	return time.Time{}, false
}

var (
	weekdayNames = []string{"mo", "tu", "we", "th", "fr", "sa", "su"}
	monthNames   = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
)

// hoursParser is a recursive-descent parser over the bytes of the text.
type hoursParser struct {
	s   string
	pos int
}

func (p *hoursParser) fail(pos int, format string, args ...any) error {
	return &HoursError{Pos: pos, Reason: fmt.Sprintf(format, args...)}
}

func (p *hoursParser) skipSpace() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\n' || p.s[p.pos] == '\r') {
		p.pos++
	}
}

func (p *hoursParser) eof() bool { p.skipSpace(); return p.pos >= len(p.s) }

func (p *hoursParser) peek() byte {
	p.skipSpace()
	if p.pos >= len(p.s) {
		return 0
	}
	return p.s[p.pos]
}

// dash consumes "-" or a typographic dash.
func (p *hoursParser) dash() bool {
	p.skipSpace()
	for _, d := range []string{"-", "–", "—"} {
		if strings.HasPrefix(p.s[p.pos:], d) {
			p.pos += len(d)
			return true
		}
	}
	return false
}

func (p *hoursParser) accept(c byte) bool {
	if p.peek() == c {
		p.pos++
		return true
	}
	return false
}

// word returns the letters at the current position, without consuming them.
func (p *hoursParser) word() string {
	p.skipSpace()
	end := p.pos
	for end < len(p.s) && (p.s[end]|0x20 >= 'a' && p.s[end]|0x20 <= 'z') {
		end++
	}
	return p.s[p.pos:end]
}

// number reads up to max digits; ok is false when there is none.
func (p *hoursParser) number(max int) (n int, ok bool) {
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.s) && p.pos-start < max && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
		n = n*10 + int(p.s[p.pos]-'0')
		p.pos++
	}
	return n, p.pos > start
}

// digitsAhead counts the digits at the current position.
func (p *hoursParser) digitsAhead() int {
	p.skipSpace()
	n := 0
	for p.pos+n < len(p.s) && p.s[p.pos+n] >= '0' && p.s[p.pos+n] <= '9' {
		n++
	}
	return n
}

func (p *hoursParser) parse() (*Hours, error) {
	if strings.TrimSpace(p.s) == "" {
		return nil, p.fail(0, "horaires vides")
	}
	h := &Hours{}
	kind := normalRule
	for {
		r, err := p.rule()
		if err != nil {
			return nil, err
		}
		r.kind = kind
		h.rules = append(h.rules, r)
		for _, sp := range r.spans {
			h.overnight = h.overnight || sp.to > 1440
		}
		switch {
		case p.eof():
			return h, nil
		case p.accept(';'):
			if p.eof() {
				return h, nil // a trailing ";"
			}
			kind = normalRule
		case strings.HasPrefix(p.s[p.pos:], "||"):
			p.pos += 2
			kind = fallbackRule
		case p.accept(','):
			kind = additionalRule
		default:
			return nil, p.unexpected()
		}
	}
}

func (p *hoursParser) unexpected() error {
	p.skipSpace()
	if p.pos >= len(p.s) {
		return p.fail(p.pos, "fin inattendue (attendu par ex. 09:00-12:00)")
	}
	switch w := strings.ToLower(p.word()); {
	case w == "sunrise", w == "sunset", w == "dawn", w == "dusk":
		return p.fail(p.pos, "heures solaires non prises en charge « %s »", p.word())
	case w != "":
		return p.fail(p.pos, "mot inattendu « %s »", p.word())
	case p.s[p.pos] == ';':
		return p.fail(p.pos, "règle vide")
	}
	r := []rune(p.s[p.pos:])[0]
	return p.fail(p.pos, "caractère inattendu « %c »", r)
}

func (p *hoursParser) rule() (hoursRule, error) {
	var r hoursRule
	start := p.pos
	if p.skipSpace(); strings.HasPrefix(p.s[p.pos:], "24/7") {
		p.pos += 4
		r.everything = true
	} else {
		if err := p.selectors(&r); err != nil {
			return r, err
		}
		if p.digitsAhead() > 0 {
			if err := p.times(&r); err != nil {
				return r, err
			}
		}
	}
	switch strings.ToLower(p.word()) {
	case "off", "closed":
		r.state = stateClosed
		p.pos += len(p.word())
	case "open":
		p.pos += len(p.word())
	case "unknown":
		r.state = stateUnknown
		p.pos += len(p.word())
	}
	if p.peek() == '"' {
		c, err := p.comment()
		if err != nil {
			return r, err
		}
		r.comment = c
		if p.pos-start > 0 && strings.TrimSpace(p.s[start:p.pos]) == `"`+c+`"` {
			r.state = stateUnknown // a comment alone says nothing sure
		}
	}
	if p.pos == start || strings.TrimSpace(p.s[start:p.pos]) == "" {
		if p.eof() {
			return r, p.fail(p.pos, "règle vide")
		}
		return r, p.unexpected()
	}
	return r, nil
}

func (p *hoursParser) comment() (string, error) {
	p.skipSpace()
	start := p.pos
	end := strings.IndexByte(p.s[start+1:], '"')
	if end < 0 {
		return "", p.fail(start, "commentaire sans guillemet fermant")
	}
	p.pos = start + 1 + end + 1
	return p.s[start+1 : start+1+end], nil
}

// selectors reads, in the order of the specification, the year, month and
// date, week and weekday selectors of a rule.
func (p *hoursParser) selectors(r *hoursRule) error {
	if p.digitsAhead() == 4 {
		if y := p.s[p.pos : p.pos+2]; y != "19" && y != "20" {
			return p.fail(p.pos, "heure invalide « %s » (attendu HH:MM, par ex. 09:00)", p.s[p.pos:p.pos+4])
		}
		if err := p.years(r); err != nil {
			return err
		}
	}
	if monthIndex(p.word()) >= 0 {
		if err := p.monthsAndDates(r); err != nil {
			return err
		}
	}
	if strings.EqualFold(p.word(), "week") {
		p.pos += 4
		if err := p.weeks(r); err != nil {
			return err
		}
	}
	if w := p.word(); w != "" && !isModifier(w) {
		return p.weekdays(r)
	}
	return nil
}

func isModifier(w string) bool {
	switch strings.ToLower(w) {
	case "off", "closed", "open", "unknown":
		return true
	}
	return false
}

func monthIndex(w string) int {
	for i, m := range monthNames {
		if strings.EqualFold(w, m) {
			return i + 1
		}
	}
	return -1
}

func (p *hoursParser) years(r *hoursRule) error {
	pos := p.pos
	from, _ := p.number(4)
	to := from
	if p.dash() {
		var ok bool
		if to, ok = p.number(4); !ok || to < from {
			return p.fail(pos, "plage d'années invalide")
		}
	}
	r.yearFrom, r.yearTo = from, to
	return nil
}

// monthsAndDates reads "Jan-Mar", "Dec 24", "Dec 25-Jan 01", "Jul 14-15"
// and lists of them.
func (p *hoursParser) monthsAndDates(r *hoursRule) error {
	for {
		pos := p.pos
		m1 := monthIndex(p.word())
		if m1 < 0 {
			return p.fail(p.pos, "mois inconnu « %s » (attendu Jan, Feb, Mar…)", p.word())
		}
		p.pos += 3
		d1, hasDay := p.monthDay()
		if hasDay < 0 {
			return p.fail(pos, "jour du mois invalide")
		}
		m2, d2 := m1, d1
		if p.dash() {
			if w := p.word(); w != "" {
				if m2 = monthIndex(w); m2 < 0 {
					return p.fail(p.pos, "mois inconnu « %s » (attendu Jan, Feb, Mar…)", w)
				}
				p.pos += 3
				var ok int
				if d2, ok = p.monthDay(); ok < 0 || (ok == 1) != (hasDay == 1) {
					return p.fail(pos, "plage de dates invalide")
				}
			} else if hasDay == 1 {
				var ok bool
				if d2, ok = p.number(2); !ok || d2 < 1 || d2 > 31 {
					return p.fail(pos, "plage de dates invalide")
				}
			} else {
				return p.fail(p.pos, "plage de mois incomplète")
			}
		}
		if hasDay == 1 {
			r.dates = append(r.dates, dateRange{from: m1*32 + d1, to: m2*32 + d2})
		} else {
			for m := m1; ; m = m%12 + 1 {
				r.months |= 1 << m
				if m == m2 {
					break
				}
			}
		}
		if !p.listGoesOn(func() bool { return monthIndex(p.word()) >= 0 }) {
			return nil
		}
	}
}

// monthDay reads the day after a month name: 1 when there is one, 0 when
// there is none, -1 when it is out of range. A time ("Dec 10:00") is not a
// day.
func (p *hoursParser) monthDay() (int, int) {
	n := p.digitsAhead()
	if n == 0 || n > 2 || p.pos+n < len(p.s) && p.s[p.pos+n] == ':' {
		return 0, 0
	}
	d, _ := p.number(2)
	if d < 1 || d > 31 {
		return d, -1
	}
	return d, 1
}

// listGoesOn consumes a "," when what follows it satisfies next.
func (p *hoursParser) listGoesOn(next func() bool) bool {
	save := p.pos
	if !p.accept(',') {
		return false
	}
	if next() {
		return true
	}
	p.pos = save
	return false
}

func (p *hoursParser) weeks(r *hoursRule) error {
	for {
		p.skipSpace()
		pos := p.pos
		from, ok := p.number(2)
		if !ok || from < 1 || from > 53 {
			return p.fail(pos, "numéro de semaine invalide (1 à 53)")
		}
		to, step := from, 1
		if p.dash() {
			if to, ok = p.number(2); !ok || to < from || to > 53 {
				return p.fail(pos, "plage de semaines invalide")
			}
			if p.accept('/') {
				if step, ok = p.number(2); !ok || step < 1 {
					return p.fail(pos, "pas de semaines invalide")
				}
			}
		}
		for w := from; w <= to; w += step {
			r.weeks |= 1 << w
		}
		if !p.listGoesOn(func() bool { return p.digitsAhead() > 0 && p.digitsAhead() <= 2 && !p.timeAhead() }) {
			return nil
		}
	}
}

// timeAhead tells whether a time ("9:00") starts at the current position.
func (p *hoursParser) timeAhead() bool {
	n := p.digitsAhead()
	return n > 0 && n <= 2 && p.pos+n < len(p.s) && p.s[p.pos+n] == ':'
}

func weekdayIndex(w string) int {
	for i, d := range weekdayNames {
		if strings.EqualFold(w, d) {
			return i
		}
	}
	return -1
}

func (p *hoursParser) weekdays(r *hoursRule) error {
	r.hasDays = true
	for {
		pos := p.pos
		w := p.word()
		switch {
		case strings.EqualFold(w, "PH"):
			p.pos += 2
			r.holidays = true
			if p.peek() == '+' {
				return p.fail(p.pos, "décalage de jour férié non pris en charge")
			}
		case strings.EqualFold(w, "SH"):
			p.pos += 2 // school holidays: no calendar, never matches
		case weekdayIndex(w) >= 0:
			p.pos += 2
			from, to := weekdayIndex(w), weekdayIndex(w)
			if p.dash() {
				if to = weekdayIndex(p.word()); to < 0 {
					return p.badDay(p.pos)
				}
				p.pos += 2
			}
			var nth uint16
			if p.accept('[') {
				var err error
				if nth, err = p.nthList(); err != nil {
					return err
				}
			}
			for d := from; ; d = (d + 1) % 7 {
				r.weekdays |= 1 << d
				r.nth[d] = nth
				if d == to {
					break
				}
			}
		default:
			return p.badDay(pos)
		}
		if !p.listGoesOn(func() bool {
			w := p.word()
			return weekdayIndex(w) >= 0 || strings.EqualFold(w, "PH") || strings.EqualFold(w, "SH")
		}) {
			return nil
		}
	}
}

func (p *hoursParser) badDay(pos int) error {
	p.pos = pos
	w := p.word()
	switch {
	case w == "":
		return p.unexpected()
	case strings.EqualFold(w, "sunrise"), strings.EqualFold(w, "sunset"), strings.EqualFold(w, "dawn"), strings.EqualFold(w, "dusk"):
		return p.unexpected()
	}
	return p.fail(pos, "jour inconnu « %s » (attendu Mo, Tu, We, Th, Fr, Sa, Su ou PH)", w)
}

// nthList reads "1]", "-1]", "1,3]", "2-4]" after a weekday.
func (p *hoursParser) nthList() (uint16, error) {
	var mask uint16
	for {
		pos := p.pos
		neg := p.dash()
		n, ok := p.number(1)
		if !ok || n < 1 || n > 5 {
			return 0, p.fail(pos, "rang invalide dans [ ] (1 à 5, ou -1 à -5)")
		}
		if neg {
			mask |= 1 << (5 + n)
		} else {
			to := n
			if p.dash() {
				if to, ok = p.number(1); !ok || to < n || to > 5 {
					return 0, p.fail(pos, "plage de rangs invalide dans [ ]")
				}
			}
			for i := n; i <= to; i++ {
				mask |= 1 << i
			}
		}
		switch {
		case p.accept(']'):
			return mask, nil
		case p.accept(','):
		default:
			return 0, p.fail(p.pos, "crochet fermant « ] » attendu")
		}
	}
}

func (p *hoursParser) times(r *hoursRule) error {
	for {
		pos := p.pos
		from, err := p.clock()
		if err != nil {
			return err
		}
		var to int
		switch {
		case p.accept('+'):
			to = 1440 // open end: counted as open until midnight
		case p.dash():
			if to, err = p.clock(); err != nil {
				return err
			}
			if to <= from {
				to += 1440 // goes on after midnight
			}
			p.accept('+')
		default:
			return p.fail(pos, "plage horaire incomplète (attendu par ex. 09:00-12:00)")
		}
		if from >= 1440 {
			return p.fail(pos, "heure de début invalide")
		}
		r.spans = append(r.spans, span{int16(from), int16(to)})
		if !p.listGoesOn(p.timeAhead) {
			return nil
		}
	}
}

// clock reads "09:00", "9:00" or "24:00" as minutes.
func (p *hoursParser) clock() (int, error) {
	p.skipSpace()
	pos := p.pos
	if w := p.word(); w != "" {
		return 0, p.badDay(pos)
	}
	h, ok := p.number(2)
	if !ok {
		return 0, p.unexpected()
	}
	if p.pos >= len(p.s) || p.s[p.pos] != ':' {
		end := p.pos
		for end < len(p.s) && p.s[end] != ' ' && p.s[end] != ',' && p.s[end] != ';' && p.s[end] != '-' {
			end++
		}
		return 0, p.fail(pos, "heure invalide « %s » (attendu HH:MM, par ex. 09:00)", p.s[pos:end])
	}
	p.pos++
	if p.digitsAhead() != 2 || p.s[p.pos] == ' ' {
		return 0, p.fail(pos, "heure invalide « %s » (attendu HH:MM, par ex. 09:00)", p.s[pos:min(len(p.s), p.pos+2)])
	}
	m, _ := p.number(2)
	if h > 24 || m > 59 || h == 24 && m != 0 {
		return 0, p.fail(pos, "heure invalide « %s »", p.s[pos:p.pos])
	}
	return h*60 + m, nil
}

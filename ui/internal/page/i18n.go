package page

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// messages is a catalogue of the pages' strings by key, in one language.
// Every word a public page shows comes from it, including those that the
// scripts show (passed in data- attributes), so that translating the
// pages means translating one map. Values are fmt formats.
//
// A plural message has two keys, KEY.one (used for 0 and 1, as French
// does) and KEY.other; its count is the first argument.
type Messages struct {
	lang string
	m    map[string]string
}

// French returns the French catalogue: the shared words and those of
// each audience. A key given twice is a mistake that panics at start.
func French(parts ...map[string]string) *Messages {
	return NewMessages("fr", append([]map[string]string{french}, parts...)...)
}

// NewMessages merges parts into the catalogue of lang. A key given twice
// is a mistake that panics at start.
func NewMessages(lang string, parts ...map[string]string) *Messages {
	c := &Messages{lang: lang, m: map[string]string{}}
	for _, part := range parts {
		for k, v := range part {
			if _, dup := c.m[k]; dup {
				panic("message " + k + " is defined twice")
			}
			c.m[k] = v
		}
	}
	return c
}

// Keys returns every key of the catalogue, in no order.
func (c *Messages) Keys() []string {
	keys := make([]string, 0, len(c.m))
	for k := range c.m {
		keys = append(keys, k)
	}
	return keys
}

// get returns the message for key formatted with args. An unknown key
// gives the key itself in brackets, so that a page still renders; the
// tests check that no page shows one.
func (c *Messages) Get(key string, args ...any) string {
	s, ok := c.m[key]
	if !ok {
		return "[" + key + "]"
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Lookup returns the message of key as it is written, and whether there
// is one.
func (c *Messages) Lookup(key string) (string, bool) {
	s, ok := c.m[key]
	return s, ok
}

// plural returns the singular or plural message of key for n.
func (c *Messages) Plural(key string, n int, args ...any) string {
	suffix := ".other"
	if n <= 1 {
		suffix = ".one"
	}
	return c.Get(key+suffix, append([]any{n}, args...)...)
}

// weekday names day d, 0 for Monday.
func (c *Messages) Weekday(d int) string { return c.Get("weekday." + strconv.Itoa(d)) }

func (c *Messages) Month(m time.Month) string { return c.Get("month." + strconv.Itoa(int(m))) }

// ordinal is "premier", "deuxième"… "dernier" (-1) in the rules of a
// monthly recurrence.
func (c *Messages) Ordinal(n int) string { return c.Get("ordinal." + strconv.Itoa(n)) }

// list joins words with commas and a final "et".
func (c *Messages) List(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + c.Get("list.and") + words[len(words)-1]
}

// date is "lundi 13 juillet 2026", in Paris time.
func (c *Messages) Date(t time.Time) string {
	t = t.In(catalogue.Paris)
	return c.Get("date.long", c.Weekday(WeekdayIndex(t)), DayNumber(c, t.Day()), c.Month(t.Month()), t.Year())
}

// dayMonth is "lundi 13 juillet", in Paris time.
func (c *Messages) DayMonth(t time.Time) string {
	t = t.In(catalogue.Paris)
	return c.Get("date.daymonth", c.Weekday(WeekdayIndex(t)), DayNumber(c, t.Day()), c.Month(t.Month()))
}

func DayNumber(c *Messages, d int) string {
	if d == 1 {
		return c.Get("date.first")
	}
	return strconv.Itoa(d)
}

func WeekdayIndex(t time.Time) int { return (int(t.Weekday()) + 6) % 7 }

// clock is "9 h", "18 h 30", in Paris time; midnight at the end of a
// range is "minuit".
func (c *Messages) Clock(t time.Time) string {
	t = t.In(catalogue.Paris)
	if t.Minute() == 0 {
		return c.Get("time.hour", t.Hour())
	}
	return c.Get("time.hourmin", t.Hour(), t.Minute())
}

// timeRange is "14 h – 16 h".
func (c *Messages) TimeRange(a, b time.Time) string {
	end := c.Clock(b)
	if lb := b.In(catalogue.Paris); lb.Hour() == 0 && lb.Minute() == 0 && b.After(a) {
		end = c.Get("time.midnight")
	}
	return c.Get("time.range", c.Clock(a), end)
}

// when is the date and times of an event: "mardi 14 juillet 2026,
// 14 h – 16 h", or "du … au …" across days.
func (c *Messages) When(a, b time.Time) string {
	la, lb := a.In(catalogue.Paris), b.In(catalogue.Paris)
	ya, ma, da := la.Date()
	yb, mb, db := lb.Add(-time.Minute).Date()
	if ya == yb && ma == mb && da == db || !b.After(a) {
		return c.Get("when.sameday", c.Date(a), c.TimeRange(a, b))
	}
	return c.Get("when.span", c.Date(a), c.Clock(a), c.Date(b), c.Clock(b))
}

// status is the badge of a place: "Ouvert · ferme à 18 h".
func (c *Messages) Status(st OpenStatus, now time.Time) string {
	now = now.In(catalogue.Paris)
	if !st.HasChange {
		if st.Open {
			return c.Get("status.open")
		}
		return c.Get("status.closed")
	}
	ch := st.Change.In(catalogue.Paris)
	days := CalendarDays(now, ch)
	state := "closed"
	if st.Open {
		state = "open"
	}
	switch days {
	case 0:
		return c.Get("status."+state+".today", c.Clock(ch))
	case 1:
		return c.Get("status."+state+".tomorrow", c.Clock(ch))
	}
	if days < 7 {
		return c.Get("status."+state+".day", c.Weekday(WeekdayIndex(ch)), c.Clock(ch))
	}
	return c.Get("status." + state)
}

// calendarDays counts the Paris calendar days from a to b.
func CalendarDays(a, b time.Time) int {
	ya, ma, da := a.Date()
	yb, mb, db := b.Date()
	d0 := time.Date(ya, ma, da, 12, 0, 0, 0, time.UTC)
	d1 := time.Date(yb, mb, db, 12, 0, 0, 0, time.UTC)
	return int(d1.Sub(d0).Hours() / 24)
}

// phone writes a French number for reading: "+33491559000" becomes
// "04 91 55 90 00"; other numbers are left as they are.
func Phone(s string) string {
	if strings.HasPrefix(s, "+33") && len(s) == 12 {
		s = "0" + s[3:]
	}
	if len(s) != 10 || s[0] != '0' {
		return s
	}
	return s[0:2] + "\u00a0" + s[2:4] + "\u00a0" + s[4:6] + "\u00a0" + s[6:8] + "\u00a0" + s[8:10]
}

// fieldIDs are the ids of the form controls that a problem's link
// reaches, by parameter.
var fieldIDs = map[string]string{
	"radius_km": "rayon", "public": "public-0", "label": "label-0", "frais": "frais-0",
	"quand": "quand-0", "departement": "ou", "near": "ou", "contact": "contact-mail",
	"open_at": "date", "typologie": "contenu", "cursor": "contenu", "limit": "contenu",
	"place": "contenu", "from": "du", "to": "au",
}

// CheckGroup is a set of checkboxes, for the "checks" template.
type CheckGroup struct {
	Name, ID, Legend string
	Values, Selected []string
}

// funcs are the templates' functions.
func (p *Site) Funcs() template.FuncMap {
	m := p.Msg
	return template.FuncMap{
		"t": m.Get,
		"tn": func(key string, n any, args ...any) string {
			switch v := n.(type) {
			case int:
				return m.Plural(key, v, args...)
			case *int:
				return m.Plural(key, *v, args...)
			}
			return m.Get(key, append([]any{n}, args...)...)
		},
		"asset":     p.Assets.URL,
		"date":      m.Date,
		"dayMonth":  m.DayMonth,
		"clock":     m.Clock,
		"timeRange": m.TimeRange,
		"when":      m.When,
		"status":    func(st OpenStatus) string { return m.Status(st, p.Now()) },
		"iso":       func(t time.Time) string { return t.In(catalogue.Paris).Format(time.RFC3339) },
		"isoDate":   func(t time.Time) string { return t.In(catalogue.Paris).Format("2006-01-02") },
		"join":      strings.Join,
		"has":       Has,
		"phone":     Phone,
		"num":       FrenchNumber,
		"followState": func(s string) string {
			return m.Get("follow.state." + s)
		},
		"fieldID": func(name string) string {
			if id, ok := fieldIDs[name]; ok {
				return id
			}
			return name
		},
		"fieldName": func(name string) string { return m.Get("field." + name) },
		"checks": func(name, id, legend string, values, selected []string) CheckGroup {
			return CheckGroup{Name: name, ID: id, Legend: legend, Values: values, Selected: selected}
		},
	}
}

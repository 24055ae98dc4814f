package ui

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
type messages struct {
	lang string
	m    map[string]string
}

// get returns the message for key formatted with args. An unknown key
// gives the key itself in brackets, so that a page still renders; the
// tests check that no page shows one.
func (c *messages) get(key string, args ...any) string {
	s, ok := c.m[key]
	if !ok {
		return "[" + key + "]"
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// plural returns the singular or plural message of key for n.
func (c *messages) plural(key string, n int, args ...any) string {
	suffix := ".other"
	if n <= 1 {
		suffix = ".one"
	}
	return c.get(key+suffix, append([]any{n}, args...)...)
}

// weekday names day d, 0 for Monday.
func (c *messages) weekday(d int) string { return c.get("weekday." + strconv.Itoa(d)) }

func (c *messages) month(m time.Month) string { return c.get("month." + strconv.Itoa(int(m))) }

// ordinal is "premier", "deuxième"… "dernier" (-1) in the rules of a
// monthly recurrence.
func (c *messages) ordinal(n int) string { return c.get("ordinal." + strconv.Itoa(n)) }

// list joins words with commas and a final "et".
func (c *messages) list(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + c.get("list.and") + words[len(words)-1]
}

// date is "lundi 13 juillet 2026", in Paris time.
func (c *messages) date(t time.Time) string {
	t = t.In(catalogue.Paris)
	return c.get("date.long", c.weekday(weekdayIndex(t)), dayNumber(c, t.Day()), c.month(t.Month()), t.Year())
}

// dayMonth is "lundi 13 juillet", in Paris time.
func (c *messages) dayMonth(t time.Time) string {
	t = t.In(catalogue.Paris)
	return c.get("date.daymonth", c.weekday(weekdayIndex(t)), dayNumber(c, t.Day()), c.month(t.Month()))
}

func dayNumber(c *messages, d int) string {
	if d == 1 {
		return c.get("date.first")
	}
	return strconv.Itoa(d)
}

func weekdayIndex(t time.Time) int { return (int(t.Weekday()) + 6) % 7 }

// clock is "9 h", "18 h 30", in Paris time; midnight at the end of a
// range is "minuit".
func (c *messages) clock(t time.Time) string {
	t = t.In(catalogue.Paris)
	if t.Minute() == 0 {
		return c.get("time.hour", t.Hour())
	}
	return c.get("time.hourmin", t.Hour(), t.Minute())
}

// timeRange is "14 h – 16 h".
func (c *messages) timeRange(a, b time.Time) string {
	end := c.clock(b)
	if lb := b.In(catalogue.Paris); lb.Hour() == 0 && lb.Minute() == 0 && b.After(a) {
		end = c.get("time.midnight")
	}
	return c.get("time.range", c.clock(a), end)
}

// when is the date and times of an event: "mardi 14 juillet 2026,
// 14 h – 16 h", or "du … au …" across days.
func (c *messages) when(a, b time.Time) string {
	la, lb := a.In(catalogue.Paris), b.In(catalogue.Paris)
	ya, ma, da := la.Date()
	yb, mb, db := lb.Add(-time.Minute).Date()
	if ya == yb && ma == mb && da == db || !b.After(a) {
		return c.get("when.sameday", c.date(a), c.timeRange(a, b))
	}
	return c.get("when.span", c.date(a), c.clock(a), c.date(b), c.clock(b))
}

// status is the badge of a place: "Ouvert · ferme à 18 h".
func (c *messages) status(st openStatus, now time.Time) string {
	now = now.In(catalogue.Paris)
	if !st.HasChange {
		if st.Open {
			return c.get("status.open")
		}
		return c.get("status.closed")
	}
	ch := st.Change.In(catalogue.Paris)
	days := calendarDays(now, ch)
	state := "closed"
	if st.Open {
		state = "open"
	}
	switch days {
	case 0:
		return c.get("status."+state+".today", c.clock(ch))
	case 1:
		return c.get("status."+state+".tomorrow", c.clock(ch))
	}
	if days < 7 {
		return c.get("status."+state+".day", c.weekday(weekdayIndex(ch)), c.clock(ch))
	}
	return c.get("status." + state)
}

// calendarDays counts the Paris calendar days from a to b.
func calendarDays(a, b time.Time) int {
	ya, ma, da := a.Date()
	yb, mb, db := b.Date()
	d0 := time.Date(ya, ma, da, 12, 0, 0, 0, time.UTC)
	d1 := time.Date(yb, mb, db, 12, 0, 0, 0, time.UTC)
	return int(d1.Sub(d0).Hours() / 24)
}

// phone writes a French number for reading: "+33491559000" becomes
// "04 91 55 90 00"; other numbers are left as they are.
func phone(s string) string {
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

// checkGroup is a set of checkboxes, for the "checks" template.
type checkGroup struct {
	Name, ID, Legend string
	Values, Selected []string
}

// funcs are the templates' functions.
func (p *pages) funcs() template.FuncMap {
	m := p.msg
	return template.FuncMap{
		"t": m.get,
		"tn": func(key string, n any, args ...any) string {
			switch v := n.(type) {
			case int:
				return m.plural(key, v, args...)
			case *int:
				return m.plural(key, *v, args...)
			}
			return m.get(key, append([]any{n}, args...)...)
		},
		"asset":     p.assets.url,
		"date":      m.date,
		"dayMonth":  m.dayMonth,
		"clock":     m.clock,
		"timeRange": m.timeRange,
		"when":      m.when,
		"status":    func(st openStatus) string { return m.status(st, p.s.now()) },
		"iso":       func(t time.Time) string { return t.In(catalogue.Paris).Format(time.RFC3339) },
		"isoDate":   func(t time.Time) string { return t.In(catalogue.Paris).Format("2006-01-02") },
		"join":      strings.Join,
		"has":       has,
		"phone":     phone,
		"num":       frenchNumber,
		"followState": func(s string) string {
			return m.get("follow.state." + s)
		},
		"fieldID": func(name string) string {
			if id, ok := fieldIDs[name]; ok {
				return id
			}
			return name
		},
		"fieldName": func(name string) string { return m.get("field." + name) },
		"checks": func(name, id, legend string, values, selected []string) checkGroup {
			return checkGroup{Name: name, ID: id, Legend: legend, Values: values, Selected: selected}
		},
	}
}

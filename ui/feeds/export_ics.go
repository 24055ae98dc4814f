package feeds

import (
	"fmt"
	"html"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maillage/maillage/catalogue"
)

// eventRecord is an event to export, with its place (nil if unknown).
type eventRecord struct {
	e *catalogue.Event
	p *catalogue.Place
}

// eventRecords lists the events the query selects, each once, in the
// order of their first occurrence in the query, at most limit when
// limit > 0. With series, a recurring event comes as its series (its
// first occurrence and its rule); without, at that first occurrence.
func (x *export) eventRecords(limit int, series bool) ([]eventRecord, error) {
	q := x.events
	q.Limit = catalogue.MaxLimit
	seen := map[string]bool{}
	places := map[string]*catalogue.Place{}
	// Our own network's events are at their places as we publish them;
	// the others at the places as the public sees them, merged.
	place := x.s.Store.MergedPlace
	if x.s.ownNetwork(q.Network) {
		place = x.s.Store.Place
	}
	var out []eventRecord
	for {
		res, err := x.s.Store.Events(q)
		if err != nil {
			return nil, err
		}
		for _, e := range res.Items {
			if seen[e.ID] {
				continue
			}
			seen[e.ID] = true
			if series && e.Recurrence != "" {
				// The page holds an occurrence: the series starts earlier.
				if e, err = x.s.Store.Event(e.ID); err != nil {
					return nil, err
				}
			}
			p, ok := places[e.Lieu]
			if !ok {
				p, _ = place(e.Lieu) // a missing place leaves the event without location
				places[e.Lieu] = p
			}
			out = append(out, eventRecord{e, p})
			if limit > 0 && len(out) == limit {
				return out, nil
			}
		}
		if res.Next == "" {
			return out, nil
		}
		q.Cursor = res.Next
	}
}

// ics writes an iCalendar (RFC 5545) of the events.
func (x *export) ics(w io.Writer) error {
	events, err := x.eventRecords(0, true)
	if err != nil {
		return err
	}
	settings, err := x.s.Store.Settings()
	if err != nil {
		return err
	}
	cw := &icsWriter{w: w}
	cw.line("BEGIN:VCALENDAR")
	cw.line("VERSION:2.0")
	cw.line("PRODID:-//Maillage//Agenda des lieux de médiation numérique//FR")
	cw.line("CALSCALE:GREGORIAN")
	cw.line("METHOD:PUBLISH")
	cw.prop("X-WR-CALNAME", "", icsText(strings.TrimSpace("Agenda "+settings.Name)))
	cw.prop("X-WR-TIMEZONE", "", "Europe/Paris")
	for _, l := range parisTimezone {
		cw.line(l)
	}
	stamp := x.now.UTC().Format(icsUTC)
	for _, r := range events {
		writeVEvent(cw, r, stamp)
	}
	cw.line("END:VCALENDAR")
	return cw.err
}

const (
	icsUTC   = "20060102T150405Z"
	icsLocal = "20060102T150405"
)

// parisTimezone is the VTIMEZONE of Europe/Paris: the European rules in
// force since 1996.
var parisTimezone = []string{
	"BEGIN:VTIMEZONE",
	"TZID:Europe/Paris",
	"X-LIC-LOCATION:Europe/Paris",
	"BEGIN:DAYLIGHT",
	"TZOFFSETFROM:+0100",
	"TZOFFSETTO:+0200",
	"TZNAME:CEST",
	"DTSTART:19700329T020000",
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
	"END:DAYLIGHT",
	"BEGIN:STANDARD",
	"TZOFFSETFROM:+0200",
	"TZOFFSETTO:+0100",
	"TZNAME:CET",
	"DTSTART:19701025T030000",
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
	"END:STANDARD",
	"END:VTIMEZONE",
}

func writeVEvent(cw *icsWriter, r eventRecord, stamp string) {
	e, p := r.e, r.p
	cw.line("BEGIN:VEVENT")
	uid := e.APID
	if uid == "" {
		uid = "maillage-" + e.ID
	}
	cw.prop("UID", "", icsText(uid))
	// With METHOD, DTSTAMP is when the calendar was made (RFC 5545,
	// 3.8.7.2); the record's own revision is LAST-MODIFIED.
	cw.prop("DTSTAMP", "", stamp)
	if !e.Updated.IsZero() {
		cw.prop("LAST-MODIFIED", "", e.Updated.UTC().Format(icsUTC))
	}
	cw.prop("DTSTART", ";TZID=Europe/Paris", e.Debut.In(catalogue.Paris).Format(icsLocal))
	cw.prop("DTEND", ";TZID=Europe/Paris", e.Fin.In(catalogue.Paris).Format(icsLocal))
	if rule := icsRule(e.Recurrence); rule != "" {
		cw.prop("RRULE", "", rule)
	}
	cw.prop("SUMMARY", "", icsText(e.Nom))
	if d := eventText(e); d != "" {
		cw.prop("DESCRIPTION", "", icsText(d))
	}
	switch {
	case e.Etape != nil: // a stop of a mobile unit: its own address and position
		cw.prop("LOCATION", "", icsText(e.Etape.Line()))
	case p != nil:
		cw.prop("LOCATION", "", icsText(placeLocation(p)))
	}
	if lat, lon, ok := e.Position(p); ok {
		cw.prop("GEO", "", strconv.FormatFloat(lat, 'f', 6, 64)+";"+strconv.FormatFloat(lon, 'f', 6, 64))
	}
	if e.APID != "" {
		cw.prop("URL", ";VALUE=URI", e.APID)
	}
	status := "CONFIRMED"
	if e.Statut == catalogue.StatusCancelled {
		status = "CANCELLED"
	}
	cw.prop("STATUS", "", status)
	if len(e.Services) > 0 {
		cats := make([]string, len(e.Services))
		for i, s := range e.Services {
			cats[i] = icsText(s)
		}
		cw.prop("CATEGORIES", "", strings.Join(cats, ","))
	}
	if e.Network.Name != "" {
		cw.prop("X-MAILLAGE-RESEAU", "", icsText(e.Network.Name))
	}
	cw.line("END:VEVENT")
}

// placeLocation is a place as a one-line location: "Médiathèque, 1 rue
// de la Paix, 13001 Marseille".
func placeLocation(p *catalogue.Place) string {
	parts := []string{p.Nom, p.Adresse}
	if p.ComplementAdresse != "" {
		parts = append(parts, p.ComplementAdresse)
	}
	parts = append(parts, strings.TrimSpace(p.CodePostal+" "+p.Commune))
	return strings.Join(parts, ", ")
}

// eventText is the description of an event as plain text, followed by
// its practical details.
func eventText(e *catalogue.Event) string {
	var parts []string
	if d := htmlToText(e.Description); d != "" {
		parts = append(parts, d)
	}
	if e.Statut == catalogue.StatusCancelled {
		parts = append(parts, "Annulé.")
	}
	if e.Inscription != "" {
		parts = append(parts, "Inscription : "+e.Inscription)
	}
	if e.Capacite != nil {
		parts = append(parts, fmt.Sprintf("Places : %d", *e.Capacite))
	}
	if len(e.Frais) > 0 {
		parts = append(parts, "Frais : "+strings.Join(e.Frais, ", "))
	}
	if len(e.Publics) > 0 {
		parts = append(parts, "Publics : "+strings.Join(e.Publics, ", "))
	}
	return strings.Join(parts, "\n")
}

var (
	htmlBreaks = regexp.MustCompile(`(?i)<br\s*/?>|</(p|li|div|h[1-6]|blockquote)\s*>`)
	htmlItems  = regexp.MustCompile(`(?i)<li[^>]*>`)
	htmlTags   = regexp.MustCompile(`<[^>]*>`)
	blankLines = regexp.MustCompile(`\n\s*\n+`)
)

// htmlToText turns the limited HTML of a description into plain text.
func htmlToText(s string) string {
	s = htmlBreaks.ReplaceAllString(s, "\n")
	s = htmlItems.ReplaceAllString(s, "• ")
	s = html.UnescapeString(htmlTags.ReplaceAllString(s, ""))
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n"))
}

// icsRule writes a stored recurrence as an RRULE value: an UNTIL must be
// in UTC when DTSTART has a time zone (RFC 5545, 3.3.10), so a date or a
// local time is read in Paris and converted.
func icsRule(rule string) string {
	rule = strings.TrimSpace(strings.TrimPrefix(strings.ToUpper(rule), "RRULE:"))
	if rule == "" {
		return ""
	}
	parts := strings.Split(rule, ";")
	out := parts[:0]
	for _, part := range parts {
		k, v, ok := strings.Cut(part, "=")
		if !ok || k == "DTSTART" {
			continue
		}
		if k == "UNTIL" && !strings.HasSuffix(v, "Z") {
			if t, err := time.ParseInLocation(icsLocal, v, catalogue.Paris); err == nil {
				v = t.UTC().Format(icsUTC)
			} else if d, err := time.ParseInLocation("20060102", v, catalogue.Paris); err == nil {
				v = d.AddDate(0, 0, 1).Add(-time.Second).UTC().Format(icsUTC)
			}
		}
		out = append(out, k+"="+v)
	}
	return strings.Join(out, ";")
}

// icsText escapes a TEXT value (RFC 5545, 3.3.11).
func icsText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", "").Replace(s)
}

// icsWriter writes content lines, folded at 75 octets and ended with
// CRLF (RFC 5545, 3.1). It keeps the first error.
type icsWriter struct {
	w   io.Writer
	err error
	buf []byte
}

// prop writes NAME;PARAMS:VALUE; value is already escaped.
func (cw *icsWriter) prop(name, params, value string) {
	cw.line(name + params + ":" + value)
}

func (cw *icsWriter) line(l string) {
	if cw.err != nil {
		return
	}
	b := cw.buf[:0]
	width := 75
	for len(l) > width {
		cut := width
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut-- // never split a character
		}
		b = append(b, l[:cut]...)
		b = append(b, "\r\n "...)
		l = l[cut:]
		width = 74 // the leading space counts
	}
	b = append(b, l...)
	b = append(b, "\r\n"...)
	cw.buf = b
	_, cw.err = cw.w.Write(b)
}

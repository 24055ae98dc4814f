package feeds

import (
	"encoding/xml"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// The Atom feed (RFC 4287) of upcoming events.
type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string      `xml:"xml:lang,attr"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Author     *atomPerson    `xml:"author,omitempty"`
	Links      []atomLink     `xml:"link"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
	Categories []atomCategory `xml:"category"`
}

// atom writes the feed of the upcoming events the query selects: one
// entry per event, at its next occurrence, at most limit entries.
func (x *export) atom(w io.Writer) error {
	events, err := x.eventRecords(x.events.Limit, false)
	if err != nil {
		return err
	}
	settings, err := x.s.Store.Settings()
	if err != nil {
		return err
	}
	name := settings.Name
	if name == "" {
		name = "Maillage"
	}
	self := x.base + "/feed/evenements.atom"
	if q := feedQuery(x.query); q != "" {
		self += "?" + q
	}
	feed := atomFeed{
		Lang:      "fr",
		ID:        self,
		Title:     "Évènements à venir – " + name,
		Subtitle:  describeFilters(x.query),
		Links:     []atomLink{{Rel: "self", Type: "application/atom+xml", Href: self}, {Rel: "alternate", Type: "text/html", Href: x.base + "/evenements"}},
		Author:    atomPerson{Name: name, URI: x.base},
		Generator: "Maillage",
	}
	var updated time.Time
	for _, r := range events {
		e := r.e
		if e.Updated.After(updated) {
			updated = e.Updated
		}
		id := e.APID
		if id == "" {
			id = x.base + "/evenements/" + e.ID
		}
		entry := atomEntry{
			ID:      id,
			Title:   e.Nom,
			Updated: e.Updated.UTC().Format(time.RFC3339),
			Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: id}},
			Summary: atomText{Type: "text", Text: eventWhenWhere(e, r.p)},
			Content: atomText{Type: "text", Text: strings.TrimSpace(eventWhenWhere(e, r.p) + "\n\n" + eventText(e))},
		}
		if e.Statut == catalogue.StatusCancelled {
			entry.Title = "Annulé : " + e.Nom
		}
		if !e.Network.Local && e.Network.Name != "" {
			entry.Author = &atomPerson{Name: e.Network.Name, URI: e.Network.Actor}
		}
		for _, s := range e.Services {
			entry.Categories = append(entry.Categories, atomCategory{Term: s})
		}
		feed.Entries = append(feed.Entries, entry)
	}
	if updated.IsZero() {
		updated = x.now
	}
	feed.Updated = updated.UTC().Format(time.RFC3339)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(feed); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// feedQuery is the query of a feed's own address: its filters, without
// paging.
func feedQuery(q url.Values) string {
	c := url.Values{}
	for k, v := range q {
		if k != "cursor" && k != "limit" {
			c[k] = v
		}
	}
	return c.Encode()
}

var exportWeekdays = []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
var exportMonths = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// eventWhenWhere says when and where an occurrence takes place:
// "mercredi 15 juillet 2026, 14 h – 16 h, Médiathèque, 13001 Marseille".
func eventWhenWhere(e *catalogue.Event, p *catalogue.Place) string {
	d, f := e.Debut.In(catalogue.Paris), e.Fin.In(catalogue.Paris)
	s := exportWeekdays[d.Weekday()] + " " + exportDay(d) + ", " + exportClock(d) + " – "
	if f.YearDay() != d.YearDay() || f.Year() != d.Year() {
		s += exportWeekdays[f.Weekday()] + " " + exportDay(f) + ", "
	}
	s += exportClock(f)
	if e.Recurrence != "" {
		s += " (séance d'une série)"
	}
	if st := e.Etape; st != nil {
		s += ", " + st.Nom + ", " + strings.TrimSpace(st.CodePostal+" "+st.Commune)
	} else if p != nil {
		s += ", " + p.Nom + ", " + strings.TrimSpace(p.CodePostal+" "+p.Commune)
	}
	return s
}

func exportDay(t time.Time) string {
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return day + " " + exportMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

func exportClock(t time.Time) string {
	if t.Minute() == 0 {
		return strconv.Itoa(t.Hour()) + " h"
	}
	m := strconv.Itoa(t.Minute())
	if t.Minute() < 10 {
		m = "0" + m
	}
	return strconv.Itoa(t.Hour()) + " h " + m
}

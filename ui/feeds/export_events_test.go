package feeds_test

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/uitest"
)

func TestExportICalendar(t *testing.T) {
	f := uitest.NewExportFixture(t)
	st, ct, body := f.In.Get("/export/evenements.ics")
	if st != 200 || !strings.HasPrefix(ct, "text/calendar") {
		t.Fatalf("GET /export/evenements.ics = %d %s", st, ct)
	}
	// Content lines: CRLF, at most 75 octets.
	if !bytes.HasSuffix(body, []byte("END:VCALENDAR\r\n")) {
		t.Errorf("calendar does not end with END:VCALENDAR CRLF")
	}
	folded := false
	for _, l := range strings.Split(strings.TrimSuffix(string(body), "\r\n"), "\r\n") {
		if len(l) > 75 || strings.Contains(l, "\n") {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		folded = folded || strings.HasPrefix(l, " ")
	}
	if !folded {
		t.Errorf("no folded line; the long name and description should fold")
	}

	cal, err := ical.NewDecoder(bytes.NewReader(body)).Decode()
	if err != nil {
		t.Fatalf("go-ical cannot read the calendar: %v\n%s", err, body)
	}
	var tz *ical.Component
	for _, c := range cal.Children {
		if c.Name == ical.CompTimezone {
			tz = c
		}
	}
	if tz == nil || tz.Props.Get(ical.PropTimezoneID).Value != "Europe/Paris" || len(tz.Children) != 2 {
		t.Fatalf("no Europe/Paris VTIMEZONE with its two rules: %+v", tz)
	}
	events := map[string]ical.Event{}
	for _, e := range cal.Events() {
		uid, _ := e.Props.Text(ical.PropUID)
		events[uid] = e
	}
	if len(events) != 4 {
		t.Fatalf("%d events; want 4 (single, weekly, cancelled, remote)", len(events))
	}

	weekly, ok := events[f.Weekly.APID]
	if !ok {
		t.Fatalf("no event with UID %s", f.Weekly.APID)
	}
	text := func(e ical.Event, name string) string {
		t.Helper()
		s, err := e.Props.Text(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		return s
	}
	if got := text(weekly, ical.PropSummary); got != f.LongName {
		t.Errorf("SUMMARY = %q; want %q", got, f.LongName)
	}
	wantDesc := "Apprendre, pas à pas ; avec un médiateur.\nVenez avec votre téléphone, votre tablette, vos questions : nous répondrons à toutes, une par une, sans jargon !"
	if got := text(weekly, ical.PropDescription); got != wantDesc {
		t.Errorf("DESCRIPTION = %q; want %q", got, wantDesc)
	}
	if got := text(weekly, ical.PropLocation); got != "Œuvre « Là-haut » : l’atelier, 1 rue de l’Église, 13100 Aix-en-Provence" {
		t.Errorf("LOCATION = %q", got)
	}
	if got := weekly.Props.Get(ical.PropGeo).Value; got != "43.529700;5.447400" {
		t.Errorf("GEO = %q", got)
	}
	if got, _ := weekly.Props.Get(ical.PropCategories).TextList(); !slices.Equal(got, f.Weekly.Services) {
		t.Errorf("CATEGORIES = %q; want %q", got, f.Weekly.Services)
	}
	start, err := weekly.DateTimeStart(nil)
	if err != nil || !start.Equal(f.Weekly.Debut) || weekly.Props.Get(ical.PropDateTimeStart).Params.Get(ical.ParamTimezoneID) != "Europe/Paris" {
		t.Errorf("DTSTART = %v (%v); want %v in Europe/Paris", start, err, f.Weekly.Debut)
	}
	// The rule, read by the parser, gives four Wednesdays at 14:00 Paris
	// time, before and after the change to winter time.
	set, err := weekly.RecurrenceSet(catalogue.Paris)
	if err != nil || set == nil {
		t.Fatalf("RecurrenceSet = %v, %v", set, err)
	}
	occ := set.All()
	if len(occ) != 4 {
		t.Fatalf("occurrences = %v; want 4", occ)
	}
	for i, o := range occ {
		want := time.Date(2026, 10, 14+7*i, 14, 0, 0, 0, catalogue.Paris)
		if !o.Equal(want) || o.In(catalogue.Paris).Hour() != 14 {
			t.Errorf("occurrence %d = %v; want %v", i, o, want)
		}
	}
	if got := weekly.Props.Get(ical.PropRecurrenceRule).Value; got != "FREQ=WEEKLY;BYDAY=WE;UNTIL=20261104T225959Z" {
		t.Errorf("RRULE = %s; want UNTIL in UTC", got)
	}

	gone, single := events[f.Gone.APID], events[f.Single.APID]
	if s, _ := gone.Status(); s != ical.EventCancelled {
		t.Errorf("cancelled event STATUS = %q", s)
	}
	if s, _ := single.Status(); s != ical.EventConfirmed {
		t.Errorf("scheduled event STATUS = %q", s)
	}
	remote := events[f.RemoteEvent.APID]
	if got := text(remote, ical.PropLocation); !strings.Contains(got, "Espace numérique de Lyon") {
		t.Errorf("remote event LOCATION = %q", got)
	}
	if got := remote.Props.Get("X-MAILLAGE-RESEAU"); got == nil || got.Value != "Hinaura" {
		t.Errorf("remote event network = %+v", got)
	}

	// Filters of the API list: one place, a network.
	_, _, body = f.In.Get("/export/evenements.ics?place=" + url.QueryEscape(f.Aix.APID))
	if n := strings.Count(string(body), "BEGIN:VEVENT"); n != 1 {
		t.Errorf("events at Aix = %d; want 1", n)
	}
	_, _, body = f.In.Get("/export/evenements.ics?network=local&from=" + url.QueryEscape("2026-10-01T00:00:00+02:00"))
	if n := strings.Count(string(body), "BEGIN:VEVENT"); n != 1 {
		t.Errorf("local events from October = %d; want 1", n)
	}
}

func TestAtomFeed(t *testing.T) {
	f := uitest.NewExportFixture(t)
	st, ct, body := f.In.Get("/feed/evenements.atom?limit=3")
	if st != 200 || !strings.HasPrefix(ct, "application/atom+xml") {
		t.Fatalf("GET /feed/evenements.atom = %d %s", st, ct)
	}
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Summary string `xml:"summary"`
			Author  struct {
				Name string `xml:"name"`
			} `xml:"author"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(body, &feed); err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	if feed.ID == "" || !strings.Contains(feed.Title, "Arsenic 13") || len(feed.Links) == 0 || feed.Links[0].Rel != "self" {
		t.Errorf("feed head = %+v", feed)
	}
	if _, err := time.Parse(time.RFC3339, feed.Updated); err != nil {
		t.Errorf("feed updated %q: %v", feed.Updated, err)
	}
	// The next three events, in order: Monday 20th, Tuesday 21st (the
	// other network's), Wednesday 22nd (cancelled).
	var titles []string
	for _, e := range feed.Entries {
		titles = append(titles, e.Title)
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil || e.ID == "" {
			t.Errorf("entry %+v", e)
		}
	}
	want := []string{"Café numérique", "Permanence France Services", "Annulé : Atelier annulé"}
	if !slices.Equal(titles, want) {
		t.Fatalf("entries = %q; want %q", titles, want)
	}
	if s := feed.Entries[0].Summary; s != "lundi 20 juillet 2026, 10 h – 12 h, Médiathèque de l'Alcazar, 13001 Marseille" {
		t.Errorf("summary = %q", s)
	}
	if a := feed.Entries[1].Author.Name; a != "Hinaura" {
		t.Errorf("author of the other network's event = %q", a)
	}
}

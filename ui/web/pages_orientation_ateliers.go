package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/page"
)

// An orientation sheet holds ateliers too: a social worker adds one from
// any atelier card ("ajouter à une fiche d'orientation", a plain link to
// /orientation?atelier=ID), or picks it among the ateliers the
// orientation search proposes. The sheet prints its next sessions and how
// to register. Like the places, the ateliers chosen are carried in the
// URL (atelier=ID, repeated) and nowhere else.

// Bounds of the ateliers of an orientation sheet.
const (
	maxSheetAteliers = 10
	sheetSessions    = 4  // next sessions printed for each
	sheetDays        = 92 // how far ahead they are looked for
	proposedDays     = 31 // how far ahead the orientation search proposes ateliers
)

// sheetURL is the link that adds the event id to an orientation sheet.
func sheetURL(id string) string {
	return "/orientation?atelier=" + url.QueryEscape(id)
}

// pickedAteliers reads the atelier ids of a query, each once, and the
// events still known.
func (p *Module) pickedAteliers(q url.Values) []eventItem {
	var list []*catalogue.Event
	seen := map[string]bool{}
	for _, id := range q["atelier"] {
		if seen[id] || len(list) == maxSheetAteliers {
			continue
		}
		seen[id] = true
		if e, err := p.Store.Event(id); err == nil {
			list = append(list, e)
		}
	}
	return p.eventItems(list, false, time.Time{})
}

// proposedAteliers are the next ateliers that fit an orientation search:
// its needs, its publics (those open to everyone too) and fees, around
// the same point or in the same département.
func (p *Module) proposedAteliers(q catalogue.PlaceQuery, picked []eventItem) ([]eventItem, error) {
	now := p.Now()
	eq := catalogue.EventQuery{From: now, To: now.AddDate(0, 0, proposedDays), Services: q.Services, Publics: q.Publics,
		PublicsOpen: q.PublicsOpen, Frais: q.Frais, Departement: q.Departement, Near: q.Near, RadiusKm: q.RadiusKm,
		Series: true, Limit: maxSheetAteliers}
	res, err := p.Store.Events(eq)
	if err != nil {
		return nil, err
	}
	var list []*catalogue.Event
	for _, e := range res.Items {
		if !slices.ContainsFunc(picked, func(it eventItem) bool { return it.ID == e.ID }) {
			list = append(list, e)
		}
	}
	items := p.eventItems(list, false, eq.To)
	return items, nil
}

// sheetAtelier is an atelier on an orientation sheet.
type sheetAtelier struct {
	eventItem
	Sessions []catalogue.Occurrence // the next ones
	Register []registerWay
	Lat, Lon string
}

// registerWay is one way to register for an atelier: online, by phone or
// by e-mail, from the event or else from its place.
type registerWay struct {
	How    string // "online", "phone" or "email"
	Text   string
	Target string // the URL online, the number, the address
}

// sheetAtelier prepares an atelier for a sheet: its next sessions from
// now and how to register.
func (p *Module) sheetAtelier(it eventItem, now time.Time) sheetAtelier {
	sa := sheetAtelier{eventItem: it}
	sessions := it.Event.Occurrences(now, now.AddDate(0, 0, sheetDays))
	sa.Sessions = sessions[:min(len(sessions), sheetSessions)]
	if i := strings.TrimSpace(it.Inscription); i != "" {
		switch {
		case strings.HasPrefix(i, "mailto:"):
			m := strings.TrimPrefix(i, "mailto:")
			sa.Register = append(sa.Register, registerWay{How: "email", Text: m, Target: m})
		case strings.HasPrefix(i, "tel:"):
			n := strings.TrimPrefix(i, "tel:")
			sa.Register = append(sa.Register, registerWay{How: "phone", Text: page.Phone(n), Target: n})
		default:
			sa.Register = append(sa.Register, registerWay{How: "online", Text: i, Target: i})
		}
	}
	if pl := it.Place; pl != nil {
		if pl.Telephone != "" {
			sa.Register = append(sa.Register, registerWay{How: "phone", Text: page.Phone(pl.Telephone), Target: pl.Telephone})
		}
		for _, m := range pl.Courriels {
			sa.Register = append(sa.Register, registerWay{How: "email", Text: m, Target: m})
		}
		if len(sa.Register) == 0 && pl.PriseRDV != "" {
			sa.Register = append(sa.Register, registerWay{How: "online", Text: pl.PriseRDV, Target: pl.PriseRDV})
		}
	}
	sa.Lat, sa.Lon = eventPoint(it)
	return sa
}

// eventPoint is where an event is held, for a map: its stop's or its
// place's coordinates (catalogue.Event.Position), "" when unknown.
func eventPoint(it eventItem) (lat, lon string) {
	if la, lo, ok := it.Position(it.Place); ok {
		return strconv.FormatFloat(la, 'f', 6, 64), strconv.FormatFloat(lo, 'f', 6, 64)
	}
	return "", ""
}

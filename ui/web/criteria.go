package web

import (
	"strconv"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// After a search, the criteria fold into one line saying what is active
// ("Gratuit · Seniors · 10 km · modifier"), so that the first result is
// on the first screen: the form sits in a <details> the server renders
// closed, which works without JavaScript. A search with a problem keeps
// the form open on it.

// criteria is the folded form of a search page.
type criteria struct {
	Active []string // what the search asks for, in the form's order
	Fold   bool     // a search ran without problem: the form is closed
}

// placeCriteria says what a place search asks for.
func (p *Module) placeCriteria(f placeForm, opts formOptions, commune string) []string {
	var out []string
	if f.Q != "" {
		out = append(out, "« "+f.Q+" »")
	}
	out = append(out, f.Services...)
	switch {
	case f.Near != "":
		out = append(out, p.Msg.Get("criteria.near"))
	case commune != "":
		out = append(out, commune)
	case f.Ou != "":
		out = append(out, f.Ou)
	}
	if f.Departement != "" {
		out = append(out, p.Msg.Get("criteria.departement", f.Departement))
	}
	if f.Radius != "" {
		out = append(out, p.Msg.Get("search.radius.km", f.Radius))
	}
	out = append(out, f.Frais...)
	out = append(out, f.Publics...)
	switch f.Quand {
	case "maintenant":
		out = append(out, p.Msg.Get("search.when.now"))
	case "samedi":
		out = append(out, p.Msg.Get("search.when.saturday"))
	case "date":
		out = append(out, p.Msg.Get("criteria.date", p.day(f.Date)))
	}
	if f.Itinerant {
		out = append(out, p.Msg.Get("criteria.itinerant"))
	}
	if f.Specialised && len(f.Publics) > 0 {
		out = append(out, p.Msg.Get("criteria.specialised"))
	}
	out = append(out, f.Labels...)
	out = append(out, f.Typologies...)
	return append(out, networkName(opts, f.Network)...)
}

// eventCriteria says what an agenda search asks for; radius is the
// distance searched around "où ?", in km.
func (p *Module) eventCriteria(f eventForm, opts formOptions, commune, place string, radius float64) []string {
	var out []string
	if f.Q != "" {
		out = append(out, "« "+f.Q+" »")
	}
	out = append(out, f.Services...)
	switch {
	case place != "":
		out = append(out, place)
	case f.Near != "":
		out = append(out, p.Msg.Get("criteria.near"))
	case commune != "":
		out = append(out, commune)
	case f.Ou != "":
		out = append(out, f.Ou)
	}
	if f.Departement != "" {
		out = append(out, p.Msg.Get("criteria.departement", f.Departement))
	}
	if radius > 0 {
		out = append(out, p.Msg.Get("search.radius.km", strconv.FormatFloat(radius, 'f', -1, 64)))
	}
	if f.Du != "" {
		out = append(out, p.Msg.Get("criteria.from", p.day(f.Du)))
	}
	if f.Au != "" {
		out = append(out, p.Msg.Get("criteria.to", p.day(f.Au)))
	}
	out = append(out, f.Frais...)
	out = append(out, f.Publics...)
	if f.Specialised && len(f.Publics) > 0 {
		out = append(out, p.Msg.Get("criteria.specialised.events"))
	}
	return append(out, networkName(opts, f.Network)...)
}

// day writes a form's date (2006-01-02) in words, or as typed.
func (p *Module) day(s string) string {
	d, err := time.ParseInLocation("2006-01-02", s, catalogue.Paris)
	if err != nil {
		return s
	}
	return p.Msg.Date(d)
}

// networkName is the name of the chosen network, if any.
func networkName(opts formOptions, value string) []string {
	if value == "" {
		return nil
	}
	for _, n := range opts.Networks {
		if n.Value == value {
			return []string{n.Name}
		}
	}
	return []string{value}
}

package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// queryParser reads query parameters and collects a French reason per bad
// parameter.
type queryParser struct {
	v      url.Values
	fields map[string]string
}

func (p *queryParser) fail(name, format string, args ...any) {
	if p.fields == nil {
		p.fields = map[string]string{}
	}
	p.fields[name] = fmt.Sprintf(format, args...)
}

func (p *queryParser) err() error {
	if p.fields == nil {
		return nil
	}
	return &badRequest{msg: "paramètres invalides", fields: p.fields}
}

// enum reads a repeatable parameter whose values are in e, in their
// canonical spelling. Values may also be separated by "|".
func (p *queryParser) enum(name string, e *catalogue.Enum) []string {
	return p.enums(name, false, e)
}

// enums reads a parameter whose values may belong to any of several lists.
// With free, other values are kept as written (free-text labels); without,
// they are refused.
func (p *queryParser) enums(name string, free bool, lists ...*catalogue.Enum) []string {
	var out []string
	for _, raw := range p.v[name] {
		for _, v := range strings.Split(raw, "|") {
			if strings.TrimSpace(v) == "" {
				continue
			}
			found := false
			for _, e := range lists {
				if c, ok := e.Canonical(v); ok {
					out, found = append(out, c), true
					break
				}
			}
			switch {
			case !found && free:
				out = append(out, strings.TrimSpace(v))
			case !found:
				p.fail(name, "valeur inconnue « %s »", v)
			}
		}
	}
	return out
}

func (p *queryParser) time(name string) time.Time {
	s := p.v.Get(name)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		p.fail(name, "date et heure RFC 3339 attendues, par exemple 2026-03-05T14:00:00+01:00")
	}
	return t
}

func (p *queryParser) limit() int {
	s := p.v.Get("limit")
	if s == "" {
		return catalogue.DefaultLimit
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > catalogue.MaxLimit {
		p.fail("limit", "nombre entre 1 et %d attendu", catalogue.MaxLimit)
	}
	return n
}

func (p *queryParser) departement() string {
	d := strings.ToUpper(strings.TrimSpace(p.v.Get("departement")))
	if d != "" && !validDepartement(d) {
		p.fail("departement", "code de département attendu, par exemple 13, 2A ou 971")
	}
	return d
}

func validDepartement(d string) bool {
	switch len(d) {
	case 2:
		return d == "2A" || d == "2B" || d[0] >= '0' && d[0] <= '9' && d[1] >= '0' && d[1] <= '9'
	case 3:
		return strings.HasPrefix(d, "97") || strings.HasPrefix(d, "98")
	}
	return false
}

func (s *server) placeQuery(r *http.Request) (catalogue.PlaceQuery, error) {
	p := &queryParser{v: r.URL.Query()}
	q := catalogue.PlaceQuery{
		Text:        strings.TrimSpace(p.v.Get("q")),
		Services:    p.enum("service", catalogue.Services),
		Publics:     p.enums("public", false, catalogue.Publics, catalogue.PrisesEnCharge),
		Typologies:  p.enum("typologie", catalogue.Typologies),
		Labels:      p.enums("label", true, catalogue.Dispositifs, catalogue.FormationsLabels),
		Frais:       p.enum("frais", catalogue.Frais),
		Network:     strings.TrimSpace(p.v.Get("network")),
		Departement: p.departement(),
		Limit:       p.limit(),
		Cursor:      p.v.Get("cursor"),
		OpenAt:      p.time("open_at"),
	}
	if v := p.v.Get("open_now"); v == "1" || v == "true" {
		q.OpenAt = s.now()
	}
	if near := p.v.Get("near"); near != "" {
		lat, lon, ok := parseLatLon(near)
		if !ok {
			p.fail("near", "LAT,LON attendu, par exemple 43.2965,5.3698")
		}
		q.Near = &catalogue.LatLon{Lat: lat, Lon: lon}
	}
	if rs := p.v.Get("radius_km"); rs != "" {
		r, err := strconv.ParseFloat(rs, 64)
		switch {
		case err != nil || r <= 0 || r > 2000:
			p.fail("radius_km", "nombre de kilomètres entre 0 et 2000 attendu")
		case q.Near == nil:
			p.fail("radius_km", "n'a de sens qu'avec near=LAT,LON")
		}
		q.RadiusKm = r
	}
	return q, p.err()
}

func parseLatLon(s string) (lat, lon float64, ok bool) {
	a, b, found := strings.Cut(s, ",")
	if !found {
		return 0, 0, false
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return 0, 0, false
	}
	return lat, lon, true
}

func (s *server) eventQuery(r *http.Request) (catalogue.EventQuery, error) {
	p := &queryParser{v: r.URL.Query()}
	q := catalogue.EventQuery{
		Text:        strings.TrimSpace(p.v.Get("q")),
		From:        p.time("from"),
		To:          p.time("to"),
		Place:       strings.TrimSpace(p.v.Get("place")),
		Network:     strings.TrimSpace(p.v.Get("network")),
		Services:    p.enum("service", catalogue.Services),
		Publics:     p.enums("public", false, catalogue.Publics, catalogue.PrisesEnCharge),
		Departement: p.departement(),
		Limit:       p.limit(),
		Cursor:      p.v.Get("cursor"),
	}
	if q.From.IsZero() {
		q.From = s.now()
	}
	if !q.To.IsZero() && !q.To.After(q.From) {
		p.fail("to", "doit être postérieur à from")
	}
	return q, p.err()
}

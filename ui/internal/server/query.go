package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// QueryParser reads query parameters and collects a French reason per bad
// parameter.
type QueryParser struct {
	V      url.Values // the query being read
	fields map[string]string
}

func (p *QueryParser) Fail(name, format string, args ...any) {
	if p.fields == nil {
		p.fields = map[string]string{}
	}
	p.fields[name] = fmt.Sprintf(format, args...)
}

func (p *QueryParser) Err() error {
	if p.fields == nil {
		return nil
	}
	return &BadRequest{Msg: "paramètres invalides", Fields: p.fields}
}

// enum reads a repeatable parameter whose values are in e, in their
// canonical spelling. Values may also be separated by "|".
func (p *QueryParser) Enum(name string, e *catalogue.Enum) []string {
	return p.Enums(name, false, e)
}

// enums reads a parameter whose values may belong to any of several lists.
// An old spelling (a v0.1 service) gives every value it stands for, as the
// importer reads it. With free, other values are kept as written
// (free-text labels); without, they are refused.
func (p *QueryParser) Enums(name string, free bool, lists ...*catalogue.Enum) []string {
	var out []string
	for _, raw := range p.V[name] {
		for _, v := range strings.Split(raw, "|") {
			if strings.TrimSpace(v) == "" {
				continue
			}
			found := false
			for _, e := range lists {
				if all := e.CanonicalAll(v); all != nil {
					out, found = append(out, all...), true
					break
				}
			}
			switch {
			case !found && free:
				out = append(out, strings.TrimSpace(v))
			case !found:
				p.Fail(name, "valeur inconnue « %s »", v)
			}
		}
	}
	return out
}

func (p *QueryParser) Time(name string) time.Time {
	s := p.V.Get(name)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		p.Fail(name, "date et heure RFC 3339 attendues, par exemple 2026-03-05T14:00:00+01:00")
	}
	return t
}

func (p *QueryParser) Limit() int {
	s := p.V.Get("limit")
	if s == "" {
		return catalogue.DefaultLimit
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > catalogue.MaxLimit {
		p.Fail("limit", "nombre entre 1 et %d attendu", catalogue.MaxLimit)
	}
	return n
}

func (p *QueryParser) Departement() string {
	d := strings.ToUpper(strings.TrimSpace(p.V.Get("departement")))
	if d != "" && !ValidDepartement(d) {
		p.Fail("departement", "code de département attendu, par exemple 13, 2A ou 971")
	}
	return d
}

func ValidDepartement(d string) bool {
	switch len(d) {
	case 2:
		return d == "2A" || d == "2B" || d[0] >= '0' && d[0] <= '9' && d[1] >= '0' && d[1] <= '9'
	case 3:
		return strings.HasPrefix(d, "97") || strings.HasPrefix(d, "98")
	}
	return false
}

func (s *Server) PlaceQuery(r *http.Request) (catalogue.PlaceQuery, error) {
	p := &QueryParser{V: r.URL.Query()}
	q := catalogue.PlaceQuery{
		Text:        strings.TrimSpace(p.V.Get("q")),
		Services:    p.Enum("service", catalogue.Services),
		Publics:     p.Enums("public", false, catalogue.Publics, catalogue.PrisesEnCharge),
		Typologies:  p.Enum("typologie", catalogue.Typologies),
		Labels:      p.Enums("label", true, catalogue.Dispositifs, catalogue.FormationsLabels),
		Frais:       p.Enum("frais", catalogue.Frais),
		Competences: skillIDs(p.V["competence"]),
		Network:     strings.TrimSpace(p.V.Get("network")),
		Departement: p.Departement(),
		Limit:       p.Limit(),
		Cursor:      p.V.Get("cursor"),
		OpenAt:      p.Time("open_at"),
	}
	if v := p.V.Get("open_now"); v == "1" || v == "true" {
		q.OpenAt = s.Now()
	}
	q.Near, q.RadiusKm = p.NearRadius()
	return q, p.Err()
}

// NearRadius reads near=LAT,LON and radius_km, which needs near.
func (p *QueryParser) NearRadius() (*catalogue.LatLon, float64) {
	var near *catalogue.LatLon
	if s := p.V.Get("near"); s != "" {
		lat, lon, ok := ParseLatLon(s)
		if !ok {
			p.Fail("near", "LAT,LON attendu, par exemple 43.2965,5.3698")
		}
		near = &catalogue.LatLon{Lat: lat, Lon: lon}
	}
	var radius float64
	if rs := p.V.Get("radius_km"); rs != "" {
		r, err := strconv.ParseFloat(rs, 64)
		switch {
		case err != nil || r <= 0 || r > 2000:
			p.Fail("radius_km", "nombre de kilomètres entre 0 et 2000 attendu")
		case near == nil:
			p.Fail("radius_km", "n'a de sens qu'avec near=LAT,LON")
		}
		radius = r
	}
	return near, radius
}

func ParseLatLon(s string) (lat, lon float64, ok bool) {
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

func (s *Server) EventQuery(r *http.Request) (catalogue.EventQuery, error) {
	p := &QueryParser{V: r.URL.Query()}
	q := catalogue.EventQuery{
		Text:        strings.TrimSpace(p.V.Get("q")),
		From:        p.Time("from"),
		To:          p.Time("to"),
		Place:       strings.TrimSpace(p.V.Get("place")),
		Network:     strings.TrimSpace(p.V.Get("network")),
		Services:    p.Enum("service", catalogue.Services),
		Publics:     p.Enums("public", false, catalogue.Publics, catalogue.PrisesEnCharge),
		Frais:       p.Enum("frais", catalogue.Frais),
		Departement: p.Departement(),
		Limit:       p.Limit(),
		Cursor:      p.V.Get("cursor"),
	}
	q.Near, q.RadiusKm = p.NearRadius()
	if q.From.IsZero() {
		q.From = s.Now()
	}
	if !q.To.IsZero() && !q.To.After(q.From) {
		p.Fail("to", "doit être postérieur à from")
	}
	return q, p.Err()
}

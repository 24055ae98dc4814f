package communes

import (
	"strings"

	"github.com/maillage/maillage/catalogue"
)

// Locate finds the commune of an address: by INSEE code first, then by
// postal code and name, then by name in the département dept (which may
// be ""), then by postal code alone. It answers only a commune that has a
// centre.
func (l *List) Locate(insee, postal, name, dept string) (*Commune, bool) {
	if c, ok := l.ByCode(insee); ok && c.HasCentre {
		return c, true
	}
	postal, key := strings.TrimSpace(postal), Key(name)
	if postal != "" && key != "" {
		if cs := l.matchPostal(postal, key); len(cs) > 0 {
			if w := pickPostal(cs); w.Commune.HasCentre {
				return w.Commune, true
			}
		}
	}
	if key != "" {
		named := l.Named(name, dept)
		if len(named) == 1 && named[0].HasCentre {
			return named[0], true
		}
	}
	if cs := l.ByPostal(postal); len(cs) > 0 {
		if w := pickPostal(cs); w.Commune.HasCentre {
			return w.Commune, true
		}
	}
	return nil, false
}

// Settle places a place without coordinates at its commune's centre and
// flags it PositionApproximative. old is the stored version the place
// replaces, nil for a new one (or for a copy received from another
// network, whose flag is believed).
//
// Coordinates that are still approximate are placed again, so that a
// place whose commune changes follows it: those of a new place that
// says so, and those left unchanged from an approximate old version.
// Other coordinates are an editor's and clear the flag. A place with
// only one of latitude and longitude is left for validation to refuse.
// When the commune is unknown, a place without coordinates stays
// without, and approximate coordinates stay as they are. Settle reports
// whether p is now approximately placed.
func (l *List) Settle(p, old *catalogue.Place) bool {
	switch {
	case (p.Latitude == nil) != (p.Longitude == nil):
		p.PositionApproximative = false
		return false
	case !p.HasCoordinates():
		p.PositionApproximative = false
	case old == nil:
		if !p.PositionApproximative {
			return false
		}
	default:
		p.PositionApproximative = old.PositionApproximative && sameCoordinates(p, old)
		if !p.PositionApproximative {
			return false
		}
	}
	c, ok := l.Locate(p.CodeINSEE, p.CodePostal, p.Commune, p.Departement())
	if !ok {
		return p.PositionApproximative
	}
	lat, lon := c.Lat, c.Lon
	p.Latitude, p.Longitude, p.PositionApproximative = &lat, &lon, true
	return true
}

func sameCoordinates(a, b *catalogue.Place) bool {
	return a.HasCoordinates() && b.HasCoordinates() && *a.Latitude == *b.Latitude && *a.Longitude == *b.Longitude
}

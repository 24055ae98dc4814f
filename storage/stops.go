package storage

import (
	"fmt"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/communes"
)

// locateStop completes the stop of an event, if any, from the list of
// communes: its INSEE code and commune name when missing, and, when it
// has no coordinates or only approximate ones, its commune's centre,
// flagged PositionApproximative. A local stop whose commune is unknown
// and that has no coordinates is refused, naming the field: a stop that
// cannot be located would be found by no search. A remote one is kept
// as it is.
func locateStop(e *catalogue.Event, local bool) error {
	s := e.Etape
	if s == nil {
		return nil
	}
	c, ok := communes.France().Locate(s.CodeINSEE, s.CodePostal, s.Commune, s.Departement())
	if !ok {
		if s.PositionApproximative {
			s.Latitude, s.Longitude, s.PositionApproximative = nil, nil, false
		}
		if local && !s.HasCoordinates() {
			return &catalogue.ValidationError{Fields: map[string]string{"etape.commune": "commune inconnue « " +
				s.Commune + " » (code postal « " + s.CodePostal + " ») : vérifiez la commune et le code postal, ou donnez la latitude et la longitude"}}
		}
		return nil
	}
	if s.CodeINSEE == "" {
		s.CodeINSEE = c.Code
	}
	if s.Commune == "" {
		s.Commune = c.Name
	}
	if s.CodePostal == "" && len(c.Postals) == 1 {
		s.CodePostal = c.Postals[0]
	}
	if !s.HasCoordinates() || s.PositionApproximative {
		lat, lon := c.Lat, c.Lon
		s.Latitude, s.Longitude, s.PositionApproximative = &lat, &lon, true
	}
	return nil
}

// StopsNear answers, in order of start time, up to limit occurrences in
// [from, to) of the events held at a stop (catalogue.Stop) within
// radiusKm of at: the passages of mobile units near a commune.
func (s *Store) StopsNear(at catalogue.LatLon, radiusKm float64, from, to time.Time, limit int) (EventPage, error) {
	hits := s.index.StopsNear(at, radiusKm, from, to, limit)
	items, err := s.occurrences(hits.Hits)
	if err != nil {
		return EventPage{}, fmt.Errorf("read stops: %w", err)
	}
	return EventPage{Total: hits.Total, Items: items[0]}, nil
}

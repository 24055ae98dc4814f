package web

import (
	"strconv"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// Mobile mediation ("hors les murs"): a search of places near a commune
// shows beside them the next stops of mobile units there (events at a
// catalogue.Stop), so that a village with no place finds the minibus
// that stops at its village hall.

// stopsRead and stopsDays bound the stops a search shows: the next
// few occurrences within two months, those of one event on one card
// (its other dates listed).
const (
	stopsRead = 10
	stopsDays = 62
)

// stopItem is a stop of a mobile unit in a search's results.
type stopItem struct {
	eventItem
	Lat, Lon string // for the map
	Distance string
}

// stopsNear lists the next stops within radiusKm of at, the nearest
// commune's mobile units' passages.
func (p *Module) stopsNear(at catalogue.LatLon, radiusKm float64) ([]stopItem, int, error) {
	now := p.Now()
	res, err := p.Store.StopsNear(at, radiusKm, now, now.AddDate(0, 0, stopsDays), stopsRead)
	if err != nil || res.Total == 0 {
		return nil, 0, err
	}
	items := p.eventItems(res.Items, true, time.Time{})
	out := make([]stopItem, 0, len(items))
	for _, it := range items {
		si := stopItem{eventItem: it}
		if lat, lon, ok := it.Position(it.Place); ok {
			si.Lat = strconv.FormatFloat(lat, 'f', 6, 64)
			si.Lon = strconv.FormatFloat(lon, 'f', 6, 64)
			si.Distance = formatKm(catalogue.DistanceKm(at, catalogue.LatLon{Lat: lat, Lon: lon}))
		}
		out = append(out, si)
	}
	return out, res.Total, nil
}

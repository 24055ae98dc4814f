package catalogue

import (
	"math"
	"sort"
	"time"
)

// kmPerDegree is the length of a degree of latitude, at least: a stop
// further in latitude than the radius is further altogether.
const kmPerDegree = 110.5

// StopsNear answers, in order of start time, up to limit occurrences
// overlapping [from, to) of the events held at a stop (Event.Etape)
// within radiusKm of at: the passages of mobile units that a search of
// places near a commune shows beside them, so that a village with no
// place still finds the minibus that stops there. Total counts them all.
//
// Stops are few beside the events at places: it scans the list of the
// events at a stop and expands only those near at.
func (x *Index) StopsNear(at LatLon, radiusKm float64, from, to time.Time, limit int) EventHits {
	limit = clampLimit(limit)
	x.mu.RLock()
	var hits []EventHit
	for _, num := range x.stops {
		d := &x.events[num]
		if !d.alive || !d.stop || !d.hasPos {
			continue
		}
		pos, _ := x.eventPosition(d)
		if math.Abs(pos.Lat-at.Lat)*kmPerDegree > radiusKm || DistanceKm(at, pos) > radiusKm {
			continue
		}
		series := d.series()
		for _, o := range series.Occurrences(from, to) {
			hits = append(hits, EventHit{ID: d.id, Debut: o.Debut.In(Paris), Fin: o.Fin.In(Paris)})
		}
	}
	x.mu.RUnlock()
	sort.Slice(hits, func(i, j int) bool {
		if !hits[i].Debut.Equal(hits[j].Debut) {
			return hits[i].Debut.Before(hits[j].Debut)
		}
		return hits[i].ID < hits[j].ID
	})
	res := EventHits{Total: len(hits)}
	if len(hits) > limit {
		hits = hits[:limit]
	}
	res.Hits = hits
	return res
}

package catalogue

import (
	"math"
	"slices"
	"strings"
	"time"
)

// DefaultEventSpan is how far after From an event search looks when the
// query has no To.
const DefaultEventSpan = 365 * 24 * time.Hour

// Events answers a page of event occurrences overlapping [q.From, q.To),
// in order of start time (see EventHits for the agenda's order).
// Recurring events give one hit per occurrence, or per event with Series.
func (x *Index) Events(q EventQuery) (EventHits, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	f := x.eventFilter(q)
	order := byte('t')
	if f.agenda {
		order = 'a'
	}
	after, err := decodeCursor(order, q.Cursor)
	if err != nil {
		return EventHits{}, err
	}
	if q.To.IsZero() {
		q.To = q.From.Add(DefaultEventSpan)
	}
	if f.none {
		return EventHits{}, nil
	}

	from, to := q.From.Unix(), q.To.Unix()
	top := topK{k: clampLimit(q.Limit), after: after}
	var first map[uint32]hit // with Series: the first occurrence of each event
	if q.Series {
		first = map[uint32]hit{}
	}
	offer := func(num uint32, start, end int64) {
		if end <= from || start >= to {
			return
		}
		dist, ok := f.match(num)
		if !ok {
			return
		}
		id := x.events[num].id
		h := hit{num: num, primary: float64(start), key: sortKeyOf(id), secondary: id, start: start, end: end}
		if f.agenda {
			h.primary = f.agendaKey(num, start, dist)
		}
		if first != nil {
			if old, ok := first[num]; !ok || h.less(&old) {
				first[num] = h
			}
			return
		}
		top.offer(&h)
	}

	// Occurrences starting inside the horizon come from the day lists.
	scanFrom := maxTime(q.From.Add(-x.maxDuration), x.horizonFrom)
	scanTo := minTime(q.To, x.horizonTo)
	if scanFrom.Before(scanTo) {
		for day := dayNumber(scanFrom); day <= dayNumber(scanTo); day++ {
			for _, o := range x.days[day] {
				offer(o.doc, o.start, o.end)
			}
		}
	}
	// Outside it, events are expanded on the fly.
	if q.From.Add(-x.maxDuration).Before(x.horizonFrom) || q.To.After(x.horizonTo) {
		hf, ht := x.horizonFrom.Unix(), x.horizonTo.Unix()
		for num := range x.events {
			d := &x.events[num]
			if !d.alive {
				continue
			}
			if _, ok := f.match(uint32(num)); !ok {
				continue
			}
			series := d.series()
			for _, o := range series.Occurrences(q.From, q.To) {
				if s := o.Debut.Unix(); s < hf || s >= ht {
					offer(uint32(num), s, o.Fin.Unix())
				}
			}
		}
	}
	for _, h := range first {
		top.offer(&h)
	}

	hits := top.sorted()
	res := EventHits{Total: top.total, Next: top.next(order, hits)}
	for _, h := range hits {
		e := EventHit{ID: h.secondary, Debut: time.Unix(h.start, 0).In(Paris), Fin: time.Unix(h.end, 0).In(Paris)}
		if f.near != nil {
			e.DistanceKm = f.dist[h.num] - 1
		}
		e.Specific = f.openPublics && x.events[h.num].publics&f.publics != 0
		res.Hits = append(res.Hits, e)
	}
	return res, nil
}

// eventFilter is an EventQuery made ready to match the index's events;
// it is used with x.mu held.
type eventFilter struct {
	x                        *Index
	none                     bool // a value no event has: nothing matches
	services, publics, frais uint32
	openPublics              bool // PublicsOpen applies
	audiences                uint32
	withText                 []uint64 // a bit per event; nil: no text
	place                    string
	placeRecords, places     []string
	network                  string
	dept                     uint32
	near                     *LatLon
	radius, dLat, dLon       float64
	dist                     []float64 // by event: 0 unknown, -1 too far or nowhere, else km + 1
	agenda                   bool      // the agenda's order: by day, then publics, distance and time
}

func (x *Index) eventFilter(q EventQuery) eventFilter {
	f := eventFilter{
		x:            x,
		services:     mask(x.serviceBit, q.Services),
		publics:      mask(x.publicBit, q.Publics),
		frais:        mask(x.fraisBit, q.Frais),
		audiences:    mask(x.publicBit, Publics.Values),
		place:        q.Place,
		placeRecords: q.PlaceRecords,
		places:       q.Places,
		network:      q.Network,
		dept:         noDept,
		near:         q.Near,
		radius:       q.RadiusKm,
	}
	// Unknown values match nothing.
	f.none = len(q.Services) > 0 && f.services == 0 || len(q.Publics) > 0 && f.publics == 0 || len(q.Frais) > 0 && f.frais == 0
	f.openPublics = q.PublicsOpen && f.publics != 0 && f.publics&^f.audiences == 0
	if q.Text != "" {
		f.withText = make([]uint64, (len(x.events)+63)/64)
		nums, _ := x.termNums(Terms(q.Text))
		for _, n := range intersect(x.eventTerms, nums) {
			f.withText[n/64] |= 1 << (n % 64)
		}
	}
	if q.Departement != "" {
		n, ok := x.deptNum[q.Departement]
		f.dept = n
		f.none = f.none || !ok // no place is there
	}
	if f.near != nil {
		f.dist = make([]float64, len(x.events))
		if f.radius > 0 {
			f.dLat = f.radius / 111.0
			f.dLon = f.radius / (111.32 * math.Max(math.Cos(f.near.Lat*math.Pi/180), 0.01))
		}
	}
	f.agenda = f.near != nil || f.openPublics
	return f
}

// match reports whether the event num passes the filter, and its
// distance in km when the filter has a point.
func (f *eventFilter) match(num uint32) (float64, bool) {
	x := f.x
	d := &x.events[num]
	switch {
	case !d.alive,
		f.withText != nil && f.withText[num/64]&(1<<(num%64)) == 0,
		f.services != 0 && d.services&f.services == 0,
		f.publics != 0 && d.publics&f.publics == 0 && !(f.openPublics && d.publics&f.audiences == 0),
		f.frais != 0 && d.frais&f.frais == 0,
		f.place != "" && d.place != f.place && !contains(f.placeRecords, d.place),
		f.place == "" && len(f.places) > 0 && !contains(f.places, d.place),
		f.network != "" && !matchNetwork(f.network, d.network):
		return 0, false
	case f.dept != noDept && x.eventDept(d) != f.dept:
		return 0, false
	}
	if f.near == nil {
		return 0, true
	}
	if known := f.dist[num]; known != 0 {
		return known - 1, known > 0
	}
	f.dist[num] = -1
	pt, ok := x.eventPosition(d)
	if !ok || f.radius > 0 && (math.Abs(pt.Lat-f.near.Lat) > f.dLat || math.Abs(pt.Lon-f.near.Lon) > f.dLon) {
		return 0, false
	}
	dist := DistanceKm(*f.near, pt)
	if f.radius > 0 && dist > f.radius {
		return 0, false
	}
	f.dist[num] = dist + 1
	return dist, true
}

// agendaKey is the sort key of an occurrence in the agenda's order: its
// Paris day, then the events for the publics asked for before those open
// to everyone, then the distance (by 10 m, up to 20,000 km), then the
// minute it starts in the day. The four fit in a float64's 53 bits.
func (f *eventFilter) agendaKey(num uint32, start int64, dist float64) float64 {
	t := time.Unix(start, 0).In(Paris)
	y, m, d := t.Date()
	day := int64(dayNumber(t))
	minute := (start - time.Date(y, m, d, 0, 0, 0, 0, Paris).Unix()) / 60
	rank := int64(0)
	if f.openPublics && f.x.events[num].publics&f.publics == 0 {
		rank = 1
	}
	units := min(int64(math.Round(dist*100)), 1<<21-1)
	return float64(((day*2+rank)<<21+units)<<11 + min(minute, 1<<11-1))
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// NextAt answers, for each group of place ids (a place and the records
// it merges), up to n events held at one of them with an occurrence
// overlapping [from, to): each event once, at its first such occurrence,
// soonest first. It reads only the events of those places, through the
// index's list of events by place, whatever the span.
func (x *Index) NextAt(groups [][]string, from, to time.Time, n int) [][]EventHit {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := make([][]EventHit, len(groups))
	for g, ids := range groups {
		var hits []EventHit
		for i, id := range ids {
			if slices.Contains(ids[:i], id) {
				continue
			}
			for _, num := range x.placeEvents[id] {
				d := &x.events[num]
				if !d.alive {
					continue
				}
				if h, ok := firstOccurrence(d, from, to); ok {
					hits = append(hits, h)
				}
			}
		}
		slices.SortFunc(hits, func(a, b EventHit) int {
			if c := a.Debut.Compare(b.Debut); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		out[g] = hits[:min(n, len(hits))]
	}
	return out
}

// firstOccurrence is the first occurrence of an event overlapping
// [from, to).
func firstOccurrence(d *eventDoc, from, to time.Time) (EventHit, bool) {
	if d.recurrence == "" {
		start, end := time.Unix(d.debut, int64(d.debutNs)), time.Unix(d.fin, int64(d.finNs))
		if !end.After(from) || !start.Before(to) {
			return EventHit{}, false
		}
		return EventHit{ID: d.id, Debut: start.In(Paris), Fin: end.In(Paris)}, true
	}
	series := d.series()
	occ := series.Occurrences(from, to)
	if len(occ) == 0 {
		return EventHit{}, false
	}
	return EventHit{ID: d.id, Debut: occ[0].Debut.In(Paris), Fin: occ[0].Fin.In(Paris)}, true
}

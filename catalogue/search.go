package catalogue

import (
	"errors"
	"math"
	"math/bits"
	"strings"
	"time"
)

// ErrBadCursor is returned for a cursor this index did not make.
var ErrBadCursor = errors.New("curseur invalide")

// Limits of a page of results.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// LatLon is a WGS84 point.
type LatLon struct{ Lat, Lon float64 }

// PlaceQuery selects places. Zero fields do not filter. Within one list
// any value matches; different fields must all match.
type PlaceQuery struct {
	Text     string
	Services []string
	Publics  []string // publics_specifiquement_adresses or prise_en_charge_specifique
	// PublicsOpen, when Publics holds only publics (Seniors, Jeunes…, no
	// prise en charge), also matches the places that address no public
	// in particular, open to everyone: they come after the places that
	// address one of Publics, whatever the order.
	PublicsOpen bool
	Typologies  []string
	Labels      []string // dispositifs, formations_labels or autres_formations_labels
	Frais       []string
	// Competences are skill ids (Skill.ID): a place offering any matches;
	// AnySkill matches a place offering at least one.
	Competences []string
	Network     string // an actor IRI, or "local"
	Departement string
	Near        *LatLon
	RadiusKm    float64 // with Near; 0 means no limit
	OpenAt      time.Time
	Limit       int
	Cursor      string
	// Records asks for every record on its own, as its network published
	// it (what a network serves of its own places). By default a place
	// published by several networks is one item: the group's merged
	// place, under the group's id.
	Records bool
}

// PlaceHits is a page of places: ids in order, the distances in km when the
// query had Near, the total number of matches and the cursor of the next
// page ("" on the last).
type PlaceHits struct {
	IDs       []string
	Distances []float64
	Total     int
	Next      string
}

// EventQuery selects occurrences of events overlapping [From, To).
type EventQuery struct {
	Text     string
	From, To time.Time // To zero: no end
	Place    string    // a place id
	// PlaceRecords, with Place, are more place ids whose events match
	// too: the other records of a place published by several networks.
	PlaceRecords []string
	// Places, without Place, are place ids: events at any of them match
	// (the next events of a page of results, in one scan).
	Places   []string
	Network  string
	Services []string
	Publics  []string
	// PublicsOpen, as PlaceQuery's, also matches the events for no
	// public in particular (open to everyone) when Publics holds only
	// publics; on each day they come after the events for those publics.
	PublicsOpen bool
	Frais       []string // any of these fees (Gratuit…)
	Departement string
	// Near keeps the events held within RadiusKm of it (0: no limit),
	// located by EventPoint.
	Near     *LatLon
	RadiusKm float64
	// Series asks for one hit per event, its first occurrence in range,
	// rather than one per occurrence: a weekly atelier is one result.
	Series bool
	Limit  int
	Cursor string
}

// EventHit is one occurrence of an event; DistanceKm is set when the
// query had Near, Specific when it had PublicsOpen and the event is for
// one of its publics.
type EventHit struct {
	ID         string
	Debut, Fin time.Time
	DistanceKm float64
	Specific   bool
}

// EventHits is a page of occurrences, in order of start time; with Near
// or PublicsOpen, in order of day, then events for the publics asked
// for before those open to everyone, then distance, then start time.
type EventHits struct {
	Hits  []EventHit
	Total int
	Next  string
}

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// Places answers a page of places matching q. Without Near and Text they
// are in name order; with Text, best matches first; with Near, nearest
// first.
func (x *Index) Places(q PlaceQuery) (PlaceHits, error) {
	order := byte('n')
	switch {
	case q.Near != nil:
		order = 'd'
	case q.Text != "":
		order = 's'
	}
	after, err := decodeCursor(order, q.Cursor)
	if err != nil {
		return PlaceHits{}, err
	}
	var queryTerms []string
	if q.Text != "" {
		queryTerms = Terms(q.Text)
	}

	x.mu.RLock()
	defer x.mu.RUnlock()
	f := x.placeFilter(q)
	top := topK{k: clampLimit(q.Limit), after: after}
	consider := func(num uint32, score int) {
		d := &x.places[num]
		if !d.alive || q.Records && d.group || !q.Records && d.member {
			return
		}
		var dist float64
		if f.on {
			var ok bool
			if dist, ok = f.match(d); !ok {
				return
			}
		}
		c := hit{num: num, key: d.key, secondary: d.sortName}
		switch order {
		case 'd':
			c.primary = math.Round(dist*1000) / 1000
		case 's':
			c.primary = -float64(score)
		}
		if f.openPublics && d.publics&f.publics == 0 {
			c.primary += generalRank // open to everyone: after the specialised places
		}
		top.offer(&c)
	}
	if q.Text != "" {
		// The score of a place is the number of query terms its name has:
		// walk the name postings of the query terms along the candidates,
		// which come in ascending order.
		terms, ok := x.termNums(queryTerms)
		var names [][]uint32
		if ok {
			for _, t := range terms {
				names = append(names, x.nameTerms[t])
			}
		}
		hits := intersect(x.placeTerms, terms)
		if len(q.Competences) > 0 {
			hits = intersectSorted(hits, x.skillPlaces(q.Competences))
		}
		for _, num := range hits {
			score := 0
			for i, list := range names {
				for len(list) > 0 && list[0] < num {
					list = list[1:]
				}
				names[i] = list
				if len(list) > 0 && list[0] == num {
					score++
				}
			}
			consider(num, score)
		}
	} else if len(q.Competences) > 0 {
		for _, num := range x.skillPlaces(q.Competences) {
			consider(num, 0)
		}
	} else if list, ok := x.candidates(&f); ok {
		for _, num := range list {
			consider(num, 0)
		}
	} else {
		for num := range x.places {
			consider(uint32(num), 0)
		}
	}
	hits := top.sorted()
	res := PlaceHits{Total: top.total}
	for _, h := range hits {
		res.IDs = append(res.IDs, x.places[h.num].id)
		if order == 'd' {
			res.Distances = append(res.Distances, math.Mod(h.primary, generalRank))
		}
	}
	res.Next = top.next(order, hits)
	return res, nil
}

// generalRank is added to the sort key of a place open to everyone in a
// search with PublicsOpen: more than any distance (km) or score.
const generalRank = 1e6

// candidates returns a list of places that holds every place the filter
// can match (and more), when the filter allows a shorter one than all.
func (x *Index) candidates(f *placeFilter) ([]uint32, bool) {
	switch {
	case f.dept != noDept:
		if int(f.dept) < len(x.deptPlaces) {
			return x.deptPlaces[f.dept], true
		}
		return nil, true // an unknown département
	case bits.OnesCount32(f.services) == 1:
		return x.servicePlaces[bits.TrailingZeros32(f.services)], true
	}
	return nil, false
}

// skillPlaces returns the places that offer one of the skills ids,
// ascending.
func (x *Index) skillPlaces(ids []string) []uint32 {
	var out []uint32
	for _, id := range ids {
		if n, ok := x.termNum[skillTerm(id)]; ok {
			out = uniteSorted(out, x.placeTerms[n])
		}
	}
	return out
}

// uniteSorted returns the documents of a or b, ascending.
func uniteSorted(a, b []uint32) []uint32 {
	out := make([]uint32, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			out = append(out, a[i])
			i++
		case a[i] > b[j]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return append(append(out, a[i:]...), b[j:]...)
}

// termNums returns the numbers of the terms, or false if one is unknown:
// then no document has them all.
func (x *Index) termNums(terms []string) ([]uint32, bool) {
	nums := make([]uint32, 0, len(terms))
	for _, t := range terms {
		n, ok := x.termNum[t]
		if !ok {
			return nil, false
		}
		nums = append(nums, n)
	}
	return nums, true
}

type placeFilter struct {
	on                bool // false when it lets every place through
	services, publics uint32
	openPublics       bool   // PublicsOpen applies
	audiences         uint32 // the bits of the Publics list
	typologies        tagFilter
	labels            tagFilter
	frais             tagFilter
	network           string
	dept              uint32 // noDept: no filter
	near              *LatLon
	radius            float64
	dLat, dLon        float64 // bounding box of the radius, in degrees
	openAt            *Moment
	slots             []hoursSlot
	open              []int8 // by hours slot: 0 not yet known, 1 open, -1 closed
}

// noDept is the dept of a filter without a département.
const noDept = ^uint32(0)

// tagFilter matches a document having one of ids; when off, any document.
type tagFilter struct {
	on  bool
	ids []uint32
}

func (x *Index) tagFilter(dict map[string]uint32, values []string) tagFilter {
	f := tagFilter{on: len(values) > 0}
	for _, v := range values {
		if t, ok := dict[v]; ok {
			f.ids = append(f.ids, t)
		}
	}
	return f
}

func (f *tagFilter) match(tags []uint32) bool {
	if !f.on {
		return true
	}
	for _, w := range f.ids {
		for _, t := range tags {
			if t == w {
				return true
			}
		}
	}
	return false
}

// placeFilter is called with x.mu held, as the filter reads the index's
// dictionaries.
func (x *Index) placeFilter(q PlaceQuery) placeFilter {
	f := placeFilter{
		services:   mask(x.serviceBit, q.Services),
		publics:    mask(x.publicBit, q.Publics),
		typologies: x.tagFilter(x.typoTag, q.Typologies),
		labels:     x.tagFilter(x.labelTag, q.Labels),
		frais:      x.tagFilter(x.fraisTag, q.Frais),
		network:    q.Network,
		dept:       noDept,
		near:       q.Near,
		radius:     q.RadiusKm,
		openAt:     momentOf(q.OpenAt),
	}
	// An unknown value matches nothing, rather than everything.
	if len(q.Services) > 0 && f.services == 0 {
		f.services = 1 << 31
	}
	if len(q.Publics) > 0 && f.publics == 0 {
		f.publics = 1 << 31
	}
	f.audiences = mask(x.publicBit, Publics.Values)
	f.openPublics = q.PublicsOpen && f.publics != 0 && f.publics&^f.audiences == 0
	if q.Departement != "" {
		n, ok := x.deptNum[q.Departement]
		if !ok {
			n = noDept - 1 // no place has it
		}
		f.dept = n
	}
	if f.near != nil && f.radius > 0 {
		f.dLat = f.radius / 111.0
		f.dLon = f.radius / (111.32 * math.Max(math.Cos(f.near.Lat*math.Pi/180), 0.01))
	}
	if f.openAt != nil {
		f.slots = x.hours
		f.open = make([]int8, len(x.hours))
	}
	f.on = f.services != 0 || f.publics != 0 || f.typologies.on || f.labels.on || f.frais.on ||
		f.network != "" || f.dept != noDept || f.near != nil || f.openAt != nil
	return f
}

// match reports whether d passes the filter, and its distance in km when
// the filter has a point.
func (f *placeFilter) match(d *placeDoc) (float64, bool) {
	if f.services != 0 && d.services&f.services == 0 ||
		f.publics != 0 && d.publics&f.publics == 0 && !(f.openPublics && d.publics&f.audiences == 0) ||
		f.dept != noDept && d.dept != f.dept ||
		f.network != "" && !matchNetwork(f.network, d.network) ||
		!f.typologies.match(d.tags) || !f.labels.match(d.tags) || !f.frais.match(d.tags) {
		return 0, false
	}
	var dist float64
	if f.near != nil {
		if !d.hasCoords {
			return 0, false
		}
		if f.radius > 0 && (math.Abs(d.lat-f.near.Lat) > f.dLat || math.Abs(d.lon-f.near.Lon) > f.dLon) {
			return 0, false
		}
		dist = DistanceKm(*f.near, LatLon{d.lat, d.lon})
		if f.radius > 0 && dist > f.radius {
			return 0, false
		}
	}
	if f.openAt != nil && !f.openDuring(d.hours) {
		return 0, false
	}
	return dist, true
}

// openDuring tells whether the opening hours in slot are open at the
// filter's moment, evaluating each distinct text of hours once.
func (f *placeFilter) openDuring(slot int32) bool {
	if slot < 0 {
		return false
	}
	if f.open[slot] == 0 {
		f.open[slot] = -1
		if h := f.slots[slot].hours; h != nil && h.OpenDuring(*f.openAt) {
			f.open[slot] = 1
		}
	}
	return f.open[slot] > 0
}

// matchNetwork says whether a record of the network have, or a group of
// the networks have (joined by "\n", local ones empty), is of want.
func matchNetwork(want, have string) bool {
	if want == "local" {
		want = ""
	}
	if want == have {
		return true
	}
	if !strings.Contains(have, "\n") {
		return false
	}
	for n := range strings.SplitSeq(have, "\n") {
		if n == want {
			return true
		}
	}
	return false
}

// intersect returns the documents that have every term, ascending.
func intersect(postings [][]uint32, terms []uint32) []uint32 {
	if len(terms) == 0 {
		return nil
	}
	result := postings[terms[0]]
	for _, t := range terms[1:] {
		result = intersectSorted(result, postings[t])
		if len(result) == 0 {
			break
		}
	}
	return result
}

func intersectSorted(a, b []uint32) []uint32 {
	out := make([]uint32, 0, min(len(a), len(b)))
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// DistanceKm is the great-circle distance between a and b.
func DistanceKm(a, b LatLon) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// momentOf is nil for the zero time: no opening-hours filter.
func momentOf(t time.Time) *Moment {
	if t.IsZero() {
		return nil
	}
	m := MomentOf(t)
	return &m
}

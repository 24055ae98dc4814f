package catalogue

import (
	"container/heap"
	"encoding/base64"
	"errors"
	"math"
	"strconv"
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
	Text        string
	Services    []string
	Publics     []string // publics_specifiquement_adresses or prise_en_charge_specifique
	Typologies  []string
	Labels      []string // dispositifs, formations_labels or autres_formations_labels
	Frais       []string
	Network     string // an actor IRI, or "local"
	Departement string
	Near        *LatLon
	RadiusKm    float64 // with Near; 0 means no limit
	OpenAt      time.Time
	Limit       int
	Cursor      string
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
	Text        string
	From, To    time.Time // To zero: no end
	Place       string    // a place id
	Network     string
	Services    []string
	Publics     []string
	Departement string
	Limit       int
	Cursor      string
}

// EventHit is one occurrence of an event.
type EventHit struct {
	ID         string
	Debut, Fin time.Time
}

// EventHits is a page of occurrences, in order of start time.
type EventHits struct {
	Hits  []EventHit
	Total int
	Next  string
}

// hit is a candidate result with its sort key: primary (distance, negated
// score or start time) then secondary (sort name or id).
type hit struct {
	num       uint32
	primary   float64
	secondary string
	end       int64 // events only
}

func (a hit) less(b hit) bool {
	if a.primary != b.primary {
		return a.primary < b.primary
	}
	return a.secondary < b.secondary
}

// topK keeps the k smallest hits after the cursor, and counts all of them
// (total) and those after the cursor (rest).
type topK struct {
	k     int
	after *hit
	h     hitHeap
	total int
	rest  int
}

func (t *topK) offer(c hit) {
	t.total++
	if t.after != nil && !t.after.less(c) {
		return
	}
	t.rest++
	if len(t.h) < t.k {
		heap.Push(&t.h, c)
	} else if c.less(t.h[0]) {
		t.h[0] = c
		heap.Fix(&t.h, 0)
	}
}

// sorted returns the kept hits in order.
func (t *topK) sorted() []hit {
	out := make([]hit, len(t.h))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(&t.h).(hit)
	}
	return out
}

// next returns the cursor of the page after this one, or "".
func (t *topK) next(order byte, page []hit) string {
	if len(page) == 0 || t.rest <= len(page) {
		return ""
	}
	return encodeCursor(order, page[len(page)-1])
}

// hitHeap is a max-heap: its root is the largest kept hit.
type hitHeap []hit

func (h hitHeap) Len() int           { return len(h) }
func (h hitHeap) Less(i, j int) bool { return h[j].less(h[i]) }
func (h hitHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *hitHeap) Push(x any)        { *h = append(*h, x.(hit)) }
func (h *hitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// Cursors carry the sort key of the last hit of a page and the kind of
// order, so a page starts right after it even if records were added.
func encodeCursor(order byte, h hit) string {
	s := string(order) + strconv.FormatFloat(h.primary, 'g', -1, 64) + "\x00" + h.secondary
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func decodeCursor(order byte, cursor string) (*hit, error) {
	if cursor == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(b) < 2 || b[0] != order {
		return nil, ErrBadCursor
	}
	primary, secondary, ok := strings.Cut(string(b[1:]), "\x00")
	if !ok {
		return nil, ErrBadCursor
	}
	f, err := strconv.ParseFloat(primary, 64)
	if err != nil {
		return nil, ErrBadCursor
	}
	return &hit{primary: f, secondary: secondary}, nil
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
	f := x.placeFilter(q)
	var queryTerms []string
	if q.Text != "" {
		queryTerms = Terms(q.Text)
	}

	x.mu.RLock()
	defer x.mu.RUnlock()
	top := topK{k: clampLimit(q.Limit), after: after}
	consider := func(num uint32) {
		d := x.places[num]
		if d == nil {
			return
		}
		dist, ok := f.match(d)
		if !ok {
			return
		}
		c := hit{num: num, secondary: d.sortName}
		switch order {
		case 'd':
			c.primary = math.Round(dist*1000) / 1000
		case 's':
			c.primary = -float64(nameScore(d.nameTerms, queryTerms))
		}
		top.offer(c)
	}
	if q.Text != "" {
		for _, num := range intersect(x.placeTerms, queryTerms) {
			consider(num)
		}
	} else {
		for num := range x.places {
			consider(uint32(num))
		}
	}
	hits := top.sorted()
	res := PlaceHits{Total: top.total}
	for _, h := range hits {
		res.IDs = append(res.IDs, x.places[h.num].id)
		if order == 'd' {
			res.Distances = append(res.Distances, h.primary)
		}
	}
	res.Next = top.next(order, hits)
	return res, nil
}

type placeFilter struct {
	services, publics uint32
	typologies        []string
	labels            []string
	frais             []string
	network           string
	dept              string
	near              *LatLon
	radius            float64
	dLat, dLon        float64 // bounding box of the radius, in degrees
	openAt            *Moment
}

func (x *Index) placeFilter(q PlaceQuery) placeFilter {
	f := placeFilter{
		services:   mask(x.serviceBit, q.Services),
		publics:    mask(x.publicBit, q.Publics),
		typologies: q.Typologies,
		labels:     q.Labels,
		frais:      q.Frais,
		network:    q.Network,
		dept:       q.Departement,
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
	if f.near != nil && f.radius > 0 {
		f.dLat = f.radius / 111.0
		f.dLon = f.radius / (111.32 * math.Max(math.Cos(f.near.Lat*math.Pi/180), 0.01))
	}
	return f
}

// match reports whether d passes the filter, and its distance in km when
// the filter has a point.
func (f *placeFilter) match(d *placeDoc) (float64, bool) {
	if f.services != 0 && d.services&f.services == 0 ||
		f.publics != 0 && d.publics&f.publics == 0 ||
		f.dept != "" && d.dept != f.dept ||
		f.network != "" && !matchNetwork(f.network, d.network) ||
		!anyOf(f.typologies, d.typologie) || !anyOf(f.labels, d.labels) || !anyOf(f.frais, d.frais) {
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
	if f.openAt != nil && (d.hours == nil || !d.hours.OpenDuring(*f.openAt)) {
		return 0, false
	}
	return dist, true
}

func matchNetwork(want, have string) bool {
	if want == "local" {
		return have == ""
	}
	return want == have
}

// anyOf reports whether want is empty or shares a value with have.
func anyOf(want, have []string) bool {
	if len(want) == 0 {
		return true
	}
	for _, w := range want {
		for _, h := range have {
			if w == h {
				return true
			}
		}
	}
	return false
}

// nameScore counts the query terms found in the name.
func nameScore(name, query []string) int {
	n := 0
	for _, q := range query {
		for _, t := range name {
			if t == q {
				n++
				break
			}
		}
	}
	return n
}

// intersect returns the documents that have every term, ascending.
func intersect(postings map[string][]uint32, terms []string) []uint32 {
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
	var out []uint32
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

package catalogue

import (
	"sync"
	"time"
)

// Index is the in-memory search index of a catalogue: French full text,
// filters, distance, opening hours and the occurrences of events. It holds
// only what searching needs, never whole records: a search answers ids, and
// the caller reads the records from its store. It is rebuilt from the store
// at every start, so it is never stale. It is safe for concurrent use.
type Index struct {
	mu sync.RWMutex

	places     []*placeDoc // by document number; nil once removed
	placeNum   map[string]uint32
	placeTerms map[string][]uint32 // term → document numbers, ascending
	deadPlaces int

	events     []*eventDoc
	eventNum   map[string]uint32
	eventTerms map[string][]uint32
	deadEvents int

	// Occurrences of events that start within [horizonFrom, horizonTo),
	// by Paris day of their start. Searches outside the horizon expand
	// events on the fly instead.
	days                   map[int32][]occurrence
	horizonFrom, horizonTo time.Time
	maxDuration            time.Duration

	serviceBit, publicBit map[string]uint32
}

type placeDoc struct {
	id        string
	sortName  string // folded name, then id: the default order
	nameTerms []string
	services  uint32
	publics   uint32 // publics_specifiquement_adresses and prise_en_charge_specifique
	typologie []string
	labels    []string // dispositifs, formations and other labels
	frais     []string
	network   string // actor IRI; "" for local records
	dept      string
	lat, lon  float64
	hasCoords bool
	hours     *Hours
}

type eventDoc struct {
	id        string
	place     string
	network   string
	nameTerms []string
	services  uint32
	publics   uint32
	series    *Event // only Debut, Fin and Recurrence are set
	occs      []occurrence
}

type occurrence struct {
	doc        uint32
	start, end int64 // Unix seconds
}

// Horizon bounds the precomputed occurrences of events around the time the
// index is built.
const (
	horizonBefore = 180 * 24 * time.Hour
	horizonAfter  = 550 * 24 * time.Hour
)

// NewIndex returns an empty index whose precomputed event occurrences
// cover about six months before now and eighteen months after.
func NewIndex(now time.Time) *Index {
	x := &Index{
		placeNum:    map[string]uint32{},
		placeTerms:  map[string][]uint32{},
		eventNum:    map[string]uint32{},
		eventTerms:  map[string][]uint32{},
		days:        map[int32][]occurrence{},
		horizonFrom: now.Add(-horizonBefore),
		horizonTo:   now.Add(horizonAfter),
		serviceBit:  bits(Services.Values),
		publicBit:   bits(append(append([]string(nil), Publics.Values...), PrisesEnCharge.Values...)),
	}
	return x
}

func bits(values []string) map[string]uint32 {
	m := make(map[string]uint32, len(values))
	for i, v := range values {
		m[v] = 1 << i
	}
	return m
}

func mask(m map[string]uint32, values []string) uint32 {
	var b uint32
	for _, v := range values {
		b |= m[v]
	}
	return b
}

// PutPlace adds p to the index, or replaces the entry with the same id.
func (x *Index) PutPlace(p *Place) {
	doc := &placeDoc{
		id:        p.ID,
		sortName:  Fold(p.Nom) + "\x00" + p.ID,
		nameTerms: Terms(p.Nom),
		services:  mask(x.serviceBit, p.Services),
		publics:   mask(x.publicBit, p.Publics) | mask(x.publicBit, p.PriseEnCharge),
		typologie: p.Typologie,
		labels:    concat(p.Dispositifs, p.FormationsLabels, p.AutresLabels),
		frais:     p.Frais,
		dept:      p.Departement(),
		hasCoords: p.HasCoordinates(),
	}
	if !p.Network.Local {
		doc.network = p.Network.Actor
	}
	if doc.hasCoords {
		doc.lat, doc.lon = *p.Latitude, *p.Longitude
	}
	if p.Horaires != "" && p.HoursError == "" {
		doc.hours, _ = ParseHours(p.Horaires) // nil when unparseable: never open
	}
	terms := placeText(p)

	x.mu.Lock()
	defer x.mu.Unlock()
	x.removePlace(p.ID)
	num := uint32(len(x.places))
	x.places = append(x.places, doc)
	x.placeNum[p.ID] = num
	addPostings(x.placeTerms, terms, num)
}

// RemovePlace removes the place with this id, if indexed.
func (x *Index) RemovePlace(id string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.removePlace(id)
}

func (x *Index) removePlace(id string) {
	num, ok := x.placeNum[id]
	if !ok {
		return
	}
	x.places[num] = nil
	delete(x.placeNum, id)
	x.deadPlaces++
	if x.deadPlaces > 1000 && x.deadPlaces > len(x.places)/4 {
		x.placeTerms = compact(x.placeTerms, func(n uint32) bool { return x.places[n] != nil })
		x.deadPlaces = 0
	}
}

// PutEvent adds e to the index, or replaces the entry with the same id.
// e.Lieu must be the id of an indexed or soon indexed place.
func (x *Index) PutEvent(e *Event) {
	doc := &eventDoc{
		id:        e.ID,
		place:     e.Lieu,
		nameTerms: Terms(e.Nom),
		services:  mask(x.serviceBit, e.Services),
		publics:   mask(x.publicBit, e.Publics),
		series:    &Event{Debut: e.Debut, Fin: e.Fin, Recurrence: e.Recurrence},
	}
	if !e.Network.Local {
		doc.network = e.Network.Actor
	}
	terms := append(Terms(e.Nom), Terms(e.Description)...)
	occs := e.Occurrences(x.horizonFrom, x.horizonTo)

	x.mu.Lock()
	defer x.mu.Unlock()
	x.removeEvent(e.ID)
	num := uint32(len(x.events))
	x.events = append(x.events, doc)
	x.eventNum[e.ID] = num
	addPostings(x.eventTerms, terms, num)
	for _, o := range occs {
		oc := occurrence{doc: num, start: o.Debut.Unix(), end: o.Fin.Unix()}
		day := dayNumber(o.Debut)
		x.days[day] = append(x.days[day], oc)
		doc.occs = append(doc.occs, oc)
		if d := o.Fin.Sub(o.Debut); d > x.maxDuration {
			x.maxDuration = d
		}
	}
}

// RemoveEvent removes the event with this id, if indexed.
func (x *Index) RemoveEvent(id string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.removeEvent(id)
}

func (x *Index) removeEvent(id string) {
	num, ok := x.eventNum[id]
	if !ok {
		return
	}
	for _, o := range x.events[num].occs {
		day := dayNumber(time.Unix(o.start, 0))
		list := x.days[day]
		for i := range list {
			if list[i].doc == num {
				list = append(list[:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(x.days, day)
		} else {
			x.days[day] = list
		}
	}
	x.events[num] = nil
	delete(x.eventNum, id)
	x.deadEvents++
	if x.deadEvents > 1000 && x.deadEvents > len(x.events)/4 {
		x.eventTerms = compact(x.eventTerms, func(n uint32) bool { return x.events[n] != nil })
		x.deadEvents = 0
	}
}

// Len returns the number of places and events indexed.
func (x *Index) Len() (places, events int) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.placeNum), len(x.eventNum)
}

// dayNumber is the Paris calendar day of t, counted from 1970-01-01.
func dayNumber(t time.Time) int32 {
	y, m, d := t.In(Paris).Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func placeText(p *Place) []string {
	var terms []string
	for _, s := range []string{p.Nom, p.Commune, p.Adresse, p.CodePostal, p.PresentationResume, p.PresentationDetail} {
		terms = append(terms, Terms(s)...)
	}
	for _, list := range [][]string{p.Services, p.Equipements, p.ChampsIntervention, p.Dispositifs, p.FormationsLabels, p.AutresLabels} {
		for _, s := range list {
			terms = append(terms, Terms(s)...)
		}
	}
	for _, code := range p.Typologie {
		terms = append(terms, Terms(TypologieLabel(code))...)
	}
	return terms
}

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// addPostings appends num to the posting list of each distinct term.
// Document numbers only grow, so the lists stay sorted.
func addPostings(postings map[string][]uint32, terms []string, num uint32) {
	for _, t := range terms {
		list := postings[t]
		if n := len(list); n > 0 && list[n-1] == num {
			continue
		}
		postings[t] = append(list, num)
	}
}

// compact drops the numbers of removed documents from every posting list.
func compact(postings map[string][]uint32, alive func(uint32) bool) map[string][]uint32 {
	out := make(map[string][]uint32, len(postings))
	for t, list := range postings {
		var kept []uint32
		for _, n := range list {
			if alive(n) {
				kept = append(kept, n)
			}
		}
		if len(kept) > 0 {
			out[t] = kept
		}
	}
	return out
}

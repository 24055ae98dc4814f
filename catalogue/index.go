package catalogue

import (
	"fmt"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Index is the in-memory search index of a catalogue: French full text,
// filters, distance, opening hours and the occurrences of events. It holds
// only what searching needs, never whole records: a search answers ids, and
// the caller reads the records from its store. It is rebuilt from the store
// at every start, so it is never stale. It is safe for concurrent use.
//
// Documents are values in slices, numbered by position; a removed one stays
// in place, not alive, until enough have been removed to renumber the rest.
// Strings that many documents share (terms, networks, départements, labels,
// opening hours) are stored once.
type Index struct {
	mu sync.RWMutex

	// changes counts the changes made to the index; see Changes.
	changes atomic.Uint64

	places     []placeDoc
	placeNum   map[string]uint32
	deadPlaces int

	// Places published by several networks: each group has a document of
	// its own, the merged place, under the group's id; memberOf maps the
	// ids of the member records to their group, members the reverse.
	memberOf map[string]string
	members  map[string][]string

	events     []eventDoc
	eventNum   map[string]uint32
	deadEvents int
	// stops are the events held at a stop (Event.Etape), ascending; they
	// keep removed events until compact (StopsNear).
	stops []uint32
	// placeEvents lists the events at each place id, ascending: the
	// next ateliers of a page of search results come from it.
	placeEvents map[string][]uint32

	// Terms are numbered. For each term number: the places whose text has
	// the term, the places whose name has it, and the events whose text
	// has it, by ascending document number.
	termNum    map[string]uint32
	placeTerms [][]uint32
	nameTerms  [][]uint32
	eventTerms [][]uint32

	// Places by département number and by service bit, ascending: the
	// candidates of a search by one of them without text. They keep
	// removed places until compact.
	deptPlaces    [][]uint32
	servicePlaces [32][]uint32

	// Occurrences of events that start within [horizonFrom, horizonTo),
	// by Paris day of their start. Searches outside the horizon expand
	// events on the fly instead.
	days                   map[int32][]occurrence
	horizonFrom, horizonTo time.Time
	maxDuration            time.Duration

	serviceBit, publicBit, fraisBit map[string]uint32

	deptNum   map[string]uint32 // département code → number; "" is 0
	networks  map[string]string // the actors of other networks, interned
	typoTag   map[string]uint32 // typologie, labels and frais values → tag
	labelTag  map[string]uint32
	fraisTag  map[string]uint32
	hoursNum  map[string]int32 // opening hours as written → slot in hours
	hours     []hoursSlot
	freeHours []int32
}

// placeDoc is what the index keeps of a place. The fields that every
// search reads come first.
type placeDoc struct {
	key       sortKey // of sortName: orders most pairs of names alone
	services  uint32
	publics   uint32 // publics_specifiquement_adresses and prise_en_charge_specifique
	dept      uint32 // in deptNum
	hours     int32  // slot in Index.hours; -1 when none can be read: never open
	alive     bool
	hasCoords bool
	group     bool // the merged place of a group; left out of searches of records
	member    bool // a record of a group; left out of searches of merged places
	lat, lon  float64
	id        string
	sortName  string   // folded name, then id: the default order
	network   string   // actor IRI; "" for local records; a group's, joined by "\n"
	tags      []uint32 // of its typologie, labels (dispositifs, formations and other labels) and frais
}

// hoursSlot is one distinct text of opening hours, compiled once for all
// the places that have it.
type hoursSlot struct {
	text  string
	hours *Hours // nil when it cannot be read: never open
	refs  int32
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
	return &Index{
		placeNum:    map[string]uint32{},
		memberOf:    map[string]string{},
		members:     map[string][]string{},
		eventNum:    map[string]uint32{},
		placeEvents: map[string][]uint32{},
		termNum:     map[string]uint32{},
		days:        map[int32][]occurrence{},
		horizonFrom: now.Add(-horizonBefore),
		horizonTo:   now.Add(horizonAfter),
		serviceBit:  bitsOf(Services.Values),
		publicBit:   bitsOf(append(append([]string(nil), Publics.Values...), PrisesEnCharge.Values...)),
		fraisBit:    bitsOf(Frais.Values),
		deptNum:     map[string]uint32{"": 0},
		networks:    map[string]string{},
		typoTag:     map[string]uint32{},
		labelTag:    map[string]uint32{},
		fraisTag:    map[string]uint32{},
		hoursNum:    map[string]int32{},
	}
}

func bitsOf(values []string) map[string]uint32 {
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

func maskOf(m map[string]uint32, values [][]byte) uint32 {
	var b uint32
	for _, v := range values {
		b |= m[string(v)]
	}
	return b
}

// sortKey is the first sixteen bytes of s, big-endian, padded with
// zeros: when the keys of two strings differ, they order the strings as
// the strings themselves do.
type sortKey [2]uint64

func sortKeyOf(s string) sortKey {
	var k sortKey
	for i := range 16 {
		k[i/8] <<= 8
		if i < len(s) {
			k[i/8] |= uint64(s[i])
		}
	}
	return k
}

func (a sortKey) less(b sortKey) bool {
	return a[0] < b[0] || a[0] == b[0] && a[1] < b[1]
}

// Grow makes room for that many more places and events, so that adding
// them does not reallocate; a store calls it before loading.
func (x *Index) Grow(places, events int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.places = slices.Grow(x.places, places)
	x.events = slices.Grow(x.events, events)
	if len(x.placeNum) == 0 {
		x.placeNum = make(map[string]uint32, places)
	}
	if len(x.eventNum) == 0 {
		x.eventNum = make(map[string]uint32, events)
	}
}

// PutPlace adds p to the index, or replaces the entry with the same id.
func (x *Index) PutPlace(p *Place) {
	if err := x.PutPlaceEntry(p.ID, AppendPlaceEntry(nil, p)); err != nil {
		panic(fmt.Sprintf("catalogue: index entry of place %s: %v", p.ID, err)) // a bug of this file
	}
}

// PutPlaceEntry adds the place id to the index from its entry, made by
// AppendPlaceEntry, or replaces the place with the same id. The index
// keeps no reference to entry. It fails with ErrEntryVersion for an entry
// of another version, or with an error for one that cannot be read; the
// index is then unchanged.
func (x *Index) PutPlaceEntry(id string, entry []byte) error {
	return x.putPlaceEntry(id, entry, false)
}

// PutGroupEntry adds the merged place of the group id from its entry, made
// by AppendGroupEntry, or replaces the group with the same id. Searches of
// merged places answer the group's id instead of its members', which may
// be indexed before or after. Errors are those of PutPlaceEntry.
func (x *Index) PutGroupEntry(id string, entry []byte) error {
	return x.putPlaceEntry(id, entry, true)
}

// RemoveGroup removes the group with this id, if indexed: its members are
// found again by searches of merged places.
func (x *Index) RemoveGroup(id string) { x.RemovePlace(id) }

func (x *Index) putPlaceEntry(id string, entry []byte, group bool) error {
	var buf [5][8][]byte
	var termBuf [128][]byte
	r := entryReader{b: entry}
	if v := r.byte(); r.err == nil && v != EntryVersion {
		return ErrEntryVersion
	}
	name := r.bytes()
	nameCount := r.uvarint()
	terms := r.list(termBuf[:0])
	services := r.list(buf[0][:0])
	publics := r.list(buf[1][:0])
	typologie := r.list(buf[2][:0])
	labels := r.list(buf[3][:0])
	frais := r.list(buf[4][:0])
	network := r.bytes()
	dept := r.bytes()
	hasCoords := r.byte()
	var lat, lon float64
	switch hasCoords {
	case 0:
	case 1:
		lat, lon = r.float(), r.float()
	default:
		r.fail()
	}
	hours := r.bytes()
	var members [][]byte
	if group {
		members = r.list(nil)
	}
	if err := r.end(); err != nil {
		return err
	}
	if nameCount > uint64(len(terms)) {
		return errBadEntry
	}

	sortName := string(name) + "\x00" + id
	doc := placeDoc{
		key:       sortKeyOf(sortName),
		alive:     true,
		hasCoords: hasCoords == 1,
		lat:       lat,
		lon:       lon,
		id:        id,
		sortName:  sortName,
		group:     group,
	}
	if n := len(typologie) + len(labels) + len(frais); n > 0 {
		doc.tags = make([]uint32, 0, n)
	}

	x.mu.Lock()
	defer x.mu.Unlock()
	x.removePlace(id)
	num := uint32(len(x.places))
	if group {
		list := make([]string, len(members))
		for i, m := range members {
			list[i] = string(m)
			x.memberOf[list[i]] = id
			x.setMember(list[i], true)
		}
		x.members[id] = list
	} else {
		doc.member = x.memberOf[id] != ""
	}
	doc.services = maskOf(x.serviceBit, services)
	doc.publics = maskOf(x.publicBit, publics)
	doc.dept = x.dept(dept)
	doc.network = x.network(network)
	doc.hours = x.holdHours(hours)
	doc.tags = x.tags(doc.tags, x.typoTag, typologie)
	doc.tags = x.tags(doc.tags, x.labelTag, labels)
	doc.tags = x.tags(doc.tags, x.fraisTag, frais)
	for i, t := range terms {
		n := x.term(t)
		x.placeTerms[n] = append(x.placeTerms[n], num)
		if uint64(i) < nameCount {
			x.nameTerms[n] = append(x.nameTerms[n], num)
		}
	}
	for int(doc.dept) >= len(x.deptPlaces) {
		x.deptPlaces = append(x.deptPlaces, nil)
	}
	x.deptPlaces[doc.dept] = append(x.deptPlaces[doc.dept], num)
	for b := doc.services; b != 0; b &= b - 1 {
		i := bits.TrailingZeros32(b)
		x.servicePlaces[i] = append(x.servicePlaces[i], num)
	}
	x.places = append(x.places, doc)
	x.placeNum[id] = num
	x.changes.Add(1)
	return nil
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
	if x.places[num].group {
		for _, m := range x.members[id] {
			if x.memberOf[m] == id {
				delete(x.memberOf, m)
				x.setMember(m, false)
			}
		}
		delete(x.members, id)
	}
	x.releaseHours(x.places[num].hours)
	x.places[num] = placeDoc{}
	delete(x.placeNum, id)
	x.changes.Add(1)
	x.deadPlaces++
	if x.deadPlaces > 1000 && x.deadPlaces > len(x.places)/4 {
		x.compact()
	}
}

// setMember marks the record id, if indexed, as a member of a group or not.
func (x *Index) setMember(id string, member bool) {
	if n, ok := x.placeNum[id]; ok {
		x.places[n].member = member
	}
}

// Changes returns a number that changes whenever a place, group or event
// is added, replaced or removed: what is computed from the catalogue at
// one value holds until it changes.
func (x *Index) Changes() uint64 { return x.changes.Load() }

// Len returns the number of place records and events indexed.
func (x *Index) Len() (places, events int) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.placeNum) - len(x.members), len(x.eventNum)
}

// Groups returns the groups indexed: group id → the ids of its records.
// The caller must not change the lists.
func (x *Index) Groups() map[string][]string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := make(map[string][]string, len(x.members))
	for g, m := range x.members {
		out[g] = m
	}
	return out
}

// term returns the number of the term t, numbering it if new.
func (x *Index) term(t []byte) uint32 {
	if n, ok := x.termNum[string(t)]; ok {
		return n
	}
	n := uint32(len(x.placeTerms))
	x.termNum[string(t)] = n
	x.placeTerms = append(x.placeTerms, nil)
	x.nameTerms = append(x.nameTerms, nil)
	x.eventTerms = append(x.eventTerms, nil)
	return n
}

func (x *Index) dept(code []byte) uint32 {
	if n, ok := x.deptNum[string(code)]; ok {
		return n
	}
	n := uint32(len(x.deptNum))
	x.deptNum[string(code)] = n
	return n
}

func (x *Index) network(actor []byte) string {
	if len(actor) == 0 {
		return ""
	}
	if s, ok := x.networks[string(actor)]; ok {
		return s
	}
	s := string(actor)
	x.networks[s] = s
	return s
}

// tags appends to dst the tags of values, numbering new ones. Tags are
// unique across the three dictionaries.
func (x *Index) tags(dst []uint32, dict map[string]uint32, values [][]byte) []uint32 {
	for _, v := range values {
		t, ok := dict[string(v)]
		if !ok {
			t = uint32(len(x.typoTag) + len(x.labelTag) + len(x.fraisTag))
			dict[string(v)] = t
		}
		dst = append(dst, t)
	}
	return dst
}

// holdHours returns the slot of the opening hours text, compiling it if no
// other place has it, or -1 for no text.
func (x *Index) holdHours(text []byte) int32 {
	if len(text) == 0 {
		return -1
	}
	if n, ok := x.hoursNum[string(text)]; ok {
		x.hours[n].refs++
		return n
	}
	slot := hoursSlot{text: string(text), refs: 1}
	slot.hours, _ = ParseHours(slot.text) // nil when unparseable: never open
	var n int32
	if k := len(x.freeHours); k > 0 {
		n = x.freeHours[k-1]
		x.freeHours = x.freeHours[:k-1]
		x.hours[n] = slot
	} else {
		n = int32(len(x.hours))
		x.hours = append(x.hours, slot)
	}
	x.hoursNum[slot.text] = n
	return n
}

func (x *Index) releaseHours(n int32) {
	if n < 0 {
		return
	}
	if x.hours[n].refs--; x.hours[n].refs == 0 {
		delete(x.hoursNum, x.hours[n].text)
		x.hours[n] = hoursSlot{}
		x.freeHours = append(x.freeHours, n)
	}
}

// compact renumbers the live places and events, and the terms that still
// have documents, dropping the removed ones.
func (x *Index) compact() {
	placeMap, places := renumber(x.places, func(d *placeDoc) bool { return d.alive })
	eventMap, events := renumber(x.events, func(d *eventDoc) bool { return d.alive })
	for i := range places {
		x.placeNum[places[i].id] = uint32(i)
	}
	for i := range events {
		x.eventNum[events[i].id] = uint32(i)
	}
	termNum := make(map[string]uint32, len(x.termNum))
	var placeTerms, nameTerms, eventTerms [][]uint32
	for t, n := range x.termNum {
		pt, nt, et := remap(x.placeTerms[n], placeMap), remap(x.nameTerms[n], placeMap), remap(x.eventTerms[n], eventMap)
		if pt == nil && nt == nil && et == nil {
			continue
		}
		termNum[t] = uint32(len(placeTerms))
		placeTerms = append(placeTerms, pt)
		nameTerms = append(nameTerms, nt)
		eventTerms = append(eventTerms, et)
	}
	for i, list := range x.deptPlaces {
		x.deptPlaces[i] = remap(list, placeMap)
	}
	for i, list := range x.servicePlaces {
		x.servicePlaces[i] = remap(list, placeMap)
	}
	for _, list := range x.days {
		for i := range list {
			list[i].doc = eventMap[list[i].doc]
		}
	}
	x.stops = remap(x.stops, eventMap)
	for place, list := range x.placeEvents {
		if list = remap(list, eventMap); list == nil {
			delete(x.placeEvents, place)
		} else {
			x.placeEvents[place] = list
		}
	}
	x.places, x.events = places, events
	x.termNum, x.placeTerms, x.nameTerms, x.eventTerms = termNum, placeTerms, nameTerms, eventTerms
	x.deadPlaces, x.deadEvents = 0, 0
}

const removed = ^uint32(0)

// renumber returns the new number of each document (removed for those
// not alive) and the live documents in their new order.
func renumber[D any](docs []D, alive func(*D) bool) ([]uint32, []D) {
	m := make([]uint32, len(docs))
	var out []D
	for i := range docs {
		if !alive(&docs[i]) {
			m[i] = removed
			continue
		}
		m[i] = uint32(len(out))
		out = append(out, docs[i])
	}
	return m, out
}

// remap renumbers a posting list, dropping removed documents; the order
// stays ascending. It returns nil for an empty result.
func remap(list []uint32, m []uint32) []uint32 {
	var out []uint32
	for _, n := range list {
		if m[n] != removed {
			if out == nil {
				out = make([]uint32, 0, len(list))
			}
			out = append(out, m[n])
		}
	}
	return out
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
	for _, s := range p.Competences {
		terms = append(append(terms, Terms(s.Libelle)...), skillTerm(s.ID))
	}
	if len(p.Competences) > 0 {
		terms = append(terms, skillTerm(AnySkill))
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

package catalogue

import (
	"fmt"
	"slices"
	"time"
)

// eventDoc is what the index keeps of an event.
type eventDoc struct {
	debut, fin     int64 // Unix seconds of the first occurrence
	debutNs, finNs int32
	services       uint32
	publics        uint32
	frais          uint32 // bits of Frais.Values
	alive          bool
	id             string
	place          string
	network        string
	recurrence     string
	// A stop (Event.Etape): the event is not at its place but in the
	// stop's département, at its coordinates when hasPos.
	stop, hasPos bool
	stopDept     uint32 // in deptNum
	lat, lon     float32
}

// occurrence is one occurrence of an event in the day lists.
type occurrence struct {
	doc        uint32
	start, end int64 // Unix seconds
}

// series returns the event as far as its occurrences go: Debut, Fin and
// Recurrence only.
func (d *eventDoc) series() Event {
	return Event{
		Debut:      time.Unix(d.debut, int64(d.debutNs)),
		Fin:        time.Unix(d.fin, int64(d.finNs)),
		Recurrence: d.recurrence,
	}
}

// inHorizon returns the occurrences of the event that overlap the
// horizon, as Event.Occurrences does; a single one is returned in one.
func (x *Index) inHorizon(d *eventDoc, one *[1]Occurrence) []Occurrence {
	e := d.series()
	if e.Recurrence != "" {
		return e.Occurrences(x.horizonFrom, x.horizonTo)
	}
	if e.Debut.Before(x.horizonTo) && e.Debut.Add(e.Fin.Sub(e.Debut)).After(x.horizonFrom) {
		one[0] = Occurrence{Debut: e.Debut, Fin: e.Fin}
		return one[:]
	}
	return nil
}

// PutEvent adds e to the index, or replaces the entry with the same id.
// e.Lieu must be the id of an indexed or soon indexed place.
func (x *Index) PutEvent(e *Event) {
	if err := x.PutEventEntry(e.ID, AppendEventEntry(nil, e)); err != nil {
		panic(fmt.Sprintf("catalogue: index entry of event %s: %v", e.ID, err)) // a bug of this file
	}
}

// PutEventEntry adds the event id to the index from its entry, made by
// AppendEventEntry, as PutPlaceEntry does for a place.
func (x *Index) PutEventEntry(id string, entry []byte) error {
	var buf [3][8][]byte
	var termBuf [64][]byte
	r := entryReader{b: entry}
	if v := r.byte(); r.err == nil && v != EntryVersion {
		return ErrEntryVersion
	}
	place := r.bytes()
	network := r.bytes()
	services := r.list(buf[0][:0])
	publics := r.list(buf[1][:0])
	debut, debutNs := r.varint(), r.uvarint()
	fin, finNs := r.varint(), r.uvarint()
	recurrence := r.bytes()
	terms := r.list(termBuf[:0])
	frais := r.list(buf[2][:0])
	var stopDept []byte
	var stop, hasPos bool
	var lat, lon float64
	if r.err == nil && len(r.b) > 0 {
		stop, stopDept = true, r.bytes()
		if hasPos = r.byte() == 1; hasPos {
			lat, lon = r.float(), r.float()
		}
	}
	if err := r.end(); err != nil {
		return err
	}
	if debutNs >= 1e9 || finNs >= 1e9 {
		return errBadEntry
	}
	doc := eventDoc{
		debut:   debut,
		fin:     fin,
		debutNs: int32(debutNs),
		finNs:   int32(finNs),
		alive:   true,
		id:      id,
		stop:    stop,
		hasPos:  hasPos,
		lat:     float32(lat),
		lon:     float32(lon),
	}
	if len(recurrence) > 0 {
		doc.recurrence = string(recurrence)
	}
	var one [1]Occurrence
	occs := x.inHorizon(&doc, &one)

	x.mu.Lock()
	defer x.mu.Unlock()
	x.removeEvent(id)
	num := uint32(len(x.events))
	doc.services = maskOf(x.serviceBit, services)
	doc.publics = maskOf(x.publicBit, publics)
	doc.frais = maskOf(x.fraisBit, frais)
	doc.network = x.network(network)
	if stop {
		doc.stopDept = x.dept(stopDept)
		x.stops = append(x.stops, num)
	}
	if n, ok := x.placeNum[string(place)]; ok {
		doc.place = x.places[n].id
	} else {
		doc.place = string(place)
	}
	for _, t := range terms {
		n := x.term(t)
		x.eventTerms[n] = append(x.eventTerms[n], num)
	}
	for _, o := range occs {
		day := dayNumber(o.Debut)
		x.days[day] = append(x.days[day], occurrence{doc: num, start: o.Debut.Unix(), end: o.Fin.Unix()})
		if d := o.Fin.Sub(o.Debut); d > x.maxDuration {
			x.maxDuration = d
		}
	}
	x.events = append(x.events, doc)
	x.eventNum[id] = num
	x.placeEvents[doc.place] = append(x.placeEvents[doc.place], num)
	x.changes.Add(1)
	return nil
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
	x.changes.Add(1)
	// The same expansion as when it was put gives the same days.
	var one [1]Occurrence
	for _, o := range x.inHorizon(&x.events[num], &one) {
		day := dayNumber(o.Debut)
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
	place := x.events[num].place
	if list := slices.DeleteFunc(x.placeEvents[place], func(n uint32) bool { return n == num }); len(list) == 0 {
		delete(x.placeEvents, place)
	} else {
		x.placeEvents[place] = list
	}
	x.events[num] = eventDoc{}
	delete(x.eventNum, id)
	x.deadEvents++
	if x.deadEvents > 1000 && x.deadEvents > len(x.events)/4 {
		x.compact()
	}
}

// dayNumber is the Paris calendar day of t, counted from 1970-01-01.
func dayNumber(t time.Time) int32 {
	y, m, d := t.In(Paris).Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// eventPosition is where the event d takes place: its stop's
// coordinates when it has a stop (none when the stop has none), else
// its place's. ok is false when there are none. Callers hold x.mu.
func (x *Index) eventPosition(d *eventDoc) (pos LatLon, ok bool) {
	if d.stop {
		return LatLon{float64(d.lat), float64(d.lon)}, d.hasPos
	}
	n, found := x.placeNum[d.place]
	if !found || !x.places[n].hasCoords {
		return LatLon{}, false
	}
	return LatLon{x.places[n].lat, x.places[n].lon}, true
}

// eventDept is the département of the event d: its stop's, else its
// place's; noDept when unknown. Callers hold x.mu.
func (x *Index) eventDept(d *eventDoc) uint32 {
	if d.stop {
		return d.stopDept
	}
	if n, ok := x.placeNum[d.place]; ok {
		return x.places[n].dept
	}
	return noDept
}

package catalogue

import "time"

// DefaultEventSpan is how far after From an event search looks when the
// query has no To.
const DefaultEventSpan = 365 * 24 * time.Hour

// Events answers a page of event occurrences overlapping [q.From, q.To),
// in order of start time. Recurring events give one hit per occurrence.
func (x *Index) Events(q EventQuery) (EventHits, error) {
	after, err := decodeCursor('t', q.Cursor)
	if err != nil {
		return EventHits{}, err
	}
	if q.To.IsZero() {
		q.To = q.From.Add(DefaultEventSpan)
	}
	services, publics := mask(x.serviceBit, q.Services), mask(x.publicBit, q.Publics)
	if len(q.Services) > 0 && services == 0 || len(q.Publics) > 0 && publics == 0 {
		return EventHits{}, nil // unknown values match nothing
	}
	var terms []string
	if q.Text != "" {
		terms = Terms(q.Text)
	}

	x.mu.RLock()
	defer x.mu.RUnlock()
	var withText []uint64 // a bit per event
	if q.Text != "" {
		withText = make([]uint64, (len(x.events)+63)/64)
		nums, _ := x.termNums(terms)
		for _, n := range intersect(x.eventTerms, nums) {
			withText[n/64] |= 1 << (n % 64)
		}
	}
	dept := noDept
	if q.Departement != "" {
		n, ok := x.deptNum[q.Departement]
		if !ok {
			return EventHits{}, nil // no place is there
		}
		dept = n
	}
	matchDoc := func(num uint32) bool {
		d := &x.events[num]
		switch {
		case !d.alive,
			withText != nil && withText[num/64]&(1<<(num%64)) == 0,
			services != 0 && d.services&services == 0,
			publics != 0 && d.publics&publics == 0,
			q.Place != "" && d.place != q.Place && !contains(q.PlaceRecords, d.place),
			q.Place == "" && len(q.Places) > 0 && !contains(q.Places, d.place),
			q.Network != "" && !matchNetwork(q.Network, d.network):
			return false
		case dept != noDept:
			return x.eventDept(d) == dept
		}
		return true
	}

	from, to := q.From.Unix(), q.To.Unix()
	top := topK{k: clampLimit(q.Limit), after: after}
	offer := func(num uint32, start, end int64) {
		if end <= from || start >= to || !matchDoc(num) {
			return
		}
		id := x.events[num].id
		top.offer(&hit{num: num, primary: float64(start), key: sortKeyOf(id), secondary: id, end: end})
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
			if !d.alive || !matchDoc(uint32(num)) {
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

	hits := top.sorted()
	res := EventHits{Total: top.total, Next: top.next('t', hits)}
	for _, h := range hits {
		res.Hits = append(res.Hits, EventHit{
			ID:    h.secondary,
			Debut: time.Unix(int64(h.primary), 0).In(Paris),
			Fin:   time.Unix(h.end, 0).In(Paris),
		})
	}
	return res, nil
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

package catalogue

import (
	"slices"
	"time"
)

// CurrentEvents answers, from the index alone, what a follower lists of
// the events (the local ones only when localOnly): those not over at
// from, or, recurring, with an occurrence in the two years after from.
// It returns their number, the ids of the first n of them in id order
// after the id after (empty: from the first), and whether more follow
// those. The store reads the records of that page only, instead of every
// event.
func (x *Index) CurrentEvents(from time.Time, localOnly bool, after string, n int) (ids []string, more bool, total int) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	to := from.AddDate(2, 0, 0)
	fromUnix := from.Unix()
	for i := range x.events {
		d := &x.events[i]
		if !d.alive || localOnly && d.network != "" {
			continue
		}
		over := d.fin < fromUnix || d.fin == fromUnix && int64(d.finNs) < int64(from.Nanosecond())
		if over {
			if d.recurrence == "" {
				continue
			}
			e := d.series()
			if len(e.Occurrences(from, to)) == 0 {
				continue
			}
		}
		total++
		if n <= 0 || d.id <= after && after != "" {
			continue
		}
		if n > smallPage {
			ids = append(ids, d.id) // sorted and cut below
			continue
		}
		// Keep the n smallest ids, sorted: a page is small.
		if len(ids) == n {
			more = true
			if d.id >= ids[n-1] {
				continue
			}
			ids = ids[:n-1]
		}
		at, _ := slices.BinarySearch(ids, d.id)
		ids = slices.Insert(ids, at, d.id)
	}
	if n > smallPage {
		slices.Sort(ids)
		if more = len(ids) > n; more {
			ids = ids[:n]
		}
	}
	return ids, more, total
}

// smallPage is the largest page CurrentEvents keeps sorted as it goes;
// a larger one is sorted once at the end.
const smallPage = 256

package page

import (
	"sync"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// HoursCache keeps opening hours compiled, by text: many places share the
// same few texts. It forgets everything when it grows too big.
type HoursCache struct {
	mu sync.RWMutex
	m  map[string]*catalogue.Hours // nil for a text that cannot be read
}

const hoursCacheMax = 4096

// get returns the compiled hours of text, or nil when there are none or
// they cannot be read.
func (c *HoursCache) Get(text string) *catalogue.Hours {
	if text == "" {
		return nil
	}
	c.mu.RLock()
	h, ok := c.m[text]
	c.mu.RUnlock()
	if ok {
		return h
	}
	h, err := catalogue.ParseHours(text)
	if err != nil {
		h = nil
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= hoursCacheMax {
		c.m = map[string]*catalogue.Hours{}
	}
	c.m[text] = h
	c.mu.Unlock()
	return h
}

// interval is a span of time during which a place is open.
type Interval struct{ From, To time.Time }

// openIntervals returns when h is open between from and to, found by
// looking every step and then to the minute around each change.
func OpenIntervals(h *catalogue.Hours, from, to time.Time, step time.Duration) []Interval {
	var out []Interval
	t := from.Truncate(time.Minute)
	open := h.OpenAt(t)
	start := t
	for t.Before(to) {
		next := t.Add(step)
		if next.After(to) {
			next = to
		}
		if h.OpenAt(next) != open {
			change := refine(h, t, next, open)
			if open {
				out = append(out, Interval{start, change})
			} else {
				start = change
			}
			open = !open
			t = change
			continue
		}
		t = next
	}
	if open {
		out = append(out, Interval{start, to})
	}
	return out
}

// refine returns the first minute in (a, b] at which h is no longer in
// state was.
func refine(h *catalogue.Hours, a, b time.Time, was bool) time.Time {
	for b.Sub(a) > time.Minute {
		mid := a.Add(b.Sub(a) / 2).Truncate(time.Minute)
		if mid.Equal(a) {
			mid = a.Add(time.Minute)
		}
		if h.OpenAt(mid) == was {
			a = mid
		} else {
			b = mid
		}
	}
	return b
}

// OpenStatus is what a badge says: open now or not, and when that changes.
type OpenStatus struct {
	Known     bool // the hours could be read
	Open      bool
	HasChange bool
	Change    time.Time
}

func StatusAt(spans []Interval, now time.Time, horizon time.Time) OpenStatus {
	st := OpenStatus{Known: true}
	for _, s := range spans {
		if !now.Before(s.From) && now.Before(s.To) {
			st.Open = true
			if s.To.Before(horizon) {
				st.HasChange, st.Change = true, s.To
			}
			return st
		}
		if s.From.After(now) {
			st.HasChange, st.Change = true, s.From
			return st
		}
	}
	return st
}

// DayHours is one day of a place's week as the page shows it.
type DayHours struct {
	Date    time.Time
	Today   bool
	Holiday bool
	Spans   []Interval // clipped to the day
}

// week returns the next seven days from now's day, in Paris time, with the
// open intervals of each, and the status at now.
func Week(h *catalogue.Hours, now time.Time) ([]DayHours, OpenStatus) {
	now = now.In(catalogue.Paris)
	y, m, d := now.Date()
	day0 := time.Date(y, m, d, 0, 0, 0, 0, catalogue.Paris)
	end := day0.AddDate(0, 0, 8)
	spans := OpenIntervals(h, day0, end, 5*time.Minute)
	days := make([]DayHours, 7)
	for i := range days {
		start := day0.AddDate(0, 0, i)
		stop := start.AddDate(0, 0, 1)
		days[i] = DayHours{Date: start, Today: i == 0, Holiday: catalogue.IsPublicHoliday(start)}
		for _, s := range spans {
			if s.To.After(start) && s.From.Before(stop) {
				days[i].Spans = append(days[i].Spans, Interval{maxT(s.From, start), minT(s.To, stop)})
			}
		}
	}
	return days, StatusAt(spans, now, end)
}

// QuickStatus is the status of a list item: it looks four days ahead,
// every 20 minutes, then to the minute around a change.
func QuickStatus(h *catalogue.Hours, now time.Time) OpenStatus {
	if h == nil {
		return OpenStatus{}
	}
	end := now.Add(4 * 24 * time.Hour)
	return StatusAt(OpenIntervals(h, now, end, 20*time.Minute), now, end)
}

// OpenOnDay reports whether h opens at some time of the Paris day of t,
// looking every quarter of an hour from 6:00 to 22:00.
func OpenOnDay(h *catalogue.Hours, t time.Time) bool {
	y, m, d := t.In(catalogue.Paris).Date()
	for min := 6 * 60; min < 22*60; min += 15 {
		if h.OpenAt(time.Date(y, m, d, min/60, min%60, 0, 0, catalogue.Paris)) {
			return true
		}
	}
	return false
}

func maxT(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minT(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

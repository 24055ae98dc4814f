package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/maillage/maillage/catalogue"
)

var rruleDays = map[string]int{"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}

// describeRecurrence says in words how an event recurs: "Tous les
// mercredis, de 14 h à 16 h, jusqu'au 15 juillet 2026". Rules it cannot
// put in words give a generic phrase.
func (p *Module) describeRecurrence(e *catalogue.Event) string {
	m := p.Msg
	parts := map[string]string{}
	for _, kv := range strings.Split(strings.TrimPrefix(e.Recurrence, "RRULE:"), ";") {
		k, v, _ := strings.Cut(kv, "=")
		parts[strings.ToUpper(strings.TrimSpace(k))] = strings.ToUpper(strings.TrimSpace(v))
	}
	interval, _ := strconv.Atoi(parts["INTERVAL"])
	if interval < 1 {
		interval = 1
	}
	start := e.Debut.In(catalogue.Paris)
	var days []int
	var nth []int
	for _, d := range strings.Split(parts["BYDAY"], ",") {
		if len(d) < 2 {
			continue
		}
		n, _ := strconv.Atoi(d[:len(d)-2])
		wd, ok := rruleDays[d[len(d)-2:]]
		if !ok {
			days = nil
			break
		}
		days = append(days, wd)
		nth = append(nth, n)
	}
	var rule string
	switch parts["FREQ"] {
	case "DAILY":
		if interval == 1 {
			rule = m.Get("rrule.daily")
		} else {
			rule = m.Get("rrule.daily.n", interval)
		}
	case "WEEKLY":
		if len(days) == 0 {
			days = []int{(int(start.Weekday()) + 6) % 7}
		}
		names := make([]string, len(days))
		for i, d := range days {
			names[i] = m.Get("weekday.plural." + strconv.Itoa(d))
		}
		switch interval {
		case 1:
			rule = m.Get("rrule.weekly", m.List(names))
		case 2:
			single := make([]string, len(days))
			for i, d := range days {
				single[i] = m.Weekday(d)
			}
			rule = m.Get("rrule.weekly.2", m.List(single))
		default:
			rule = m.Get("rrule.weekly.n", m.List(names), interval)
		}
	case "MONTHLY":
		switch {
		case len(days) == 1 && nth[0] != 0:
			rule = m.Get("rrule.monthly.nth", m.Ordinal(nth[0]), m.Weekday(days[0]))
		case parts["BYMONTHDAY"] != "":
			rule = m.Get("rrule.monthly.day", parts["BYMONTHDAY"])
		default:
			rule = m.Get("rrule.monthly.day", strconv.Itoa(start.Day()))
		}
	default:
		return m.Get("rrule.other")
	}
	rule += ", " + m.TimeRange(e.Debut, e.Fin)
	if last, ok := lastOccurrence(e); ok {
		rule += ", " + m.Get("rrule.until", m.Date(last))
	}
	return rule
}

// lastOccurrence is the start of a finite series' last occurrence.
func lastOccurrence(e *catalogue.Event) (time.Time, bool) {
	r := strings.ToUpper(e.Recurrence)
	if !strings.Contains(r, "UNTIL=") && !strings.Contains(r, "COUNT=") {
		return time.Time{}, false
	}
	occ := e.Occurrences(e.Debut, e.Debut.AddDate(5, 0, 0))
	if len(occ) == 0 || len(occ) == catalogue.MaxOccurrences {
		return time.Time{}, false
	}
	return occ[len(occ)-1].Debut, true
}

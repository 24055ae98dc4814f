package ui

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
func (p *pages) describeRecurrence(e *catalogue.Event) string {
	m := p.msg
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
			rule = m.get("rrule.daily")
		} else {
			rule = m.get("rrule.daily.n", interval)
		}
	case "WEEKLY":
		if len(days) == 0 {
			days = []int{(int(start.Weekday()) + 6) % 7}
		}
		names := make([]string, len(days))
		for i, d := range days {
			names[i] = m.get("weekday.plural." + strconv.Itoa(d))
		}
		switch interval {
		case 1:
			rule = m.get("rrule.weekly", m.list(names))
		case 2:
			single := make([]string, len(days))
			for i, d := range days {
				single[i] = m.weekday(d)
			}
			rule = m.get("rrule.weekly.2", m.list(single))
		default:
			rule = m.get("rrule.weekly.n", m.list(names), interval)
		}
	case "MONTHLY":
		switch {
		case len(days) == 1 && nth[0] != 0:
			rule = m.get("rrule.monthly.nth", m.ordinal(nth[0]), m.weekday(days[0]))
		case parts["BYMONTHDAY"] != "":
			rule = m.get("rrule.monthly.day", parts["BYMONTHDAY"])
		default:
			rule = m.get("rrule.monthly.day", strconv.Itoa(start.Day()))
		}
	default:
		return m.get("rrule.other")
	}
	rule += ", " + m.timeRange(e.Debut, e.Fin)
	if last, ok := lastOccurrence(e); ok {
		rule += ", " + m.get("rrule.until", m.date(last))
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

package forms

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/page"
)

// The recurrence part of the event form: weekly on chosen weekdays every
// N weeks, or monthly on the nth weekday, until a date or for a number of
// times, turned into the RRULE that catalogue/recurrence.go reads. Any
// other rule is typed as is by an expert.

// Kinds of repetition of the form's "repetition" field.
const (
	RepeatNone    = ""
	RepeatWeekly  = "hebdo"
	RepeatMonthly = "mensuel"
	RepeatRule    = "regle"
)

// RRuleDayNames are the RRULE names of the days, Monday first.
var RRuleDayNames = [7]string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// RepeatForm is the recurrence as the form shows it.
type RepeatForm struct {
	Kind     string
	Days     []string // weekly: RRULE day names
	Interval string   // weekly: every N weeks
	Rank     string   // monthly: 1…4 or -1 (the last)
	Day      string   // monthly: an RRULE day name
	Until    string   // YYYY-MM-DD
	Count    string
	Rule     string // the expert's RRULE
}

// RepeatFromForm reads the recurrence fields of a form.
func RepeatFromForm(form url.Values) RepeatForm {
	return RepeatForm{Kind: form.Get("repetition"), Days: form["jours"], Interval: strings.TrimSpace(form.Get("intervalle")),
		Rank: form.Get("rang"), Day: form.Get("jour_mois"), Until: strings.TrimSpace(form.Get("jusqu_au")),
		Count: strings.TrimSpace(form.Get("occurrences")), Rule: CleanLine(form.Get("rrule"))}
}

// RRule writes the recurrence as an RRULE, or says which field is wrong
// (a form field name and a message key).
func (f RepeatForm) RRule() (rule, field, key string) {
	switch f.Kind {
	case RepeatNone:
		return "", "", ""
	case RepeatRule:
		if f.Rule == "" {
			return "", "rrule", "admin.event.rrule.required"
		}
		return f.Rule, "", ""
	case RepeatWeekly:
		parts := []string{"FREQ=WEEKLY"}
		if f.Interval != "" && f.Interval != "1" {
			n, err := strconv.Atoi(f.Interval)
			if err != nil || n < 1 || n > 52 {
				return "", "intervalle", "admin.event.interval.invalid"
			}
			parts = append(parts, "INTERVAL="+strconv.Itoa(n))
		}
		var days []string
		for _, d := range RRuleDayNames {
			if page.Has(f.Days, d) {
				days = append(days, d)
			}
		}
		if len(days) != len(f.Days) {
			return "", "jours", "admin.event.days.invalid"
		}
		if len(days) > 0 {
			parts = append(parts, "BYDAY="+strings.Join(days, ","))
		}
		return f.end(parts)
	case RepeatMonthly:
		rank, err := strconv.Atoi(f.Rank)
		if err != nil || rank < -1 || rank > 4 || rank == 0 {
			return "", "rang", "admin.event.rank.invalid"
		}
		if !page.Has(RRuleDayNames[:], f.Day) {
			return "", "jour_mois", "admin.event.days.invalid"
		}
		return f.end([]string{"FREQ=MONTHLY", "BYDAY=" + strconv.Itoa(rank) + f.Day})
	}
	return "", "repetition", "admin.event.repeat.invalid"
}

// end adds the end of a series: UNTIL the end of a day in Paris, or a
// COUNT.
func (f RepeatForm) end(parts []string) (string, string, string) {
	switch {
	case f.Until != "" && f.Count != "":
		return "", "occurrences", "admin.event.end.both"
	case f.Until != "":
		d, err := time.ParseInLocation("2006-01-02", f.Until, catalogue.Paris)
		if err != nil {
			return "", "jusqu_au", "admin.event.date.invalid"
		}
		last := d.Add(24*time.Hour - time.Second).UTC()
		parts = append(parts, "UNTIL="+last.Format("20060102T150405Z"))
	case f.Count != "":
		n, err := strconv.Atoi(f.Count)
		if err != nil || n < 1 || n > catalogue.MaxOccurrences {
			return "", "occurrences", "admin.event.count.invalid"
		}
		parts = append(parts, "COUNT="+strconv.Itoa(n))
	}
	return strings.Join(parts, ";"), "", ""
}

// RepeatFromRule draws a stored RRULE in the form: as a weekly or
// monthly repetition when it is one the form can write, else as an
// expert's rule.
func RepeatFromRule(rule string) RepeatForm {
	if rule == "" {
		return RepeatForm{Kind: RepeatNone, Interval: "1"}
	}
	expert := RepeatForm{Kind: RepeatRule, Rule: rule, Interval: "1"}
	parts := map[string]string{}
	for _, kv := range strings.Split(rule, ";") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return expert
		}
		parts[k] = v
	}
	f := RepeatForm{Interval: "1"}
	for k, v := range parts {
		switch k {
		case "FREQ", "BYDAY":
		case "INTERVAL":
			f.Interval = v
		case "COUNT":
			f.Count = v
		case "UNTIL":
			t, ok := untilTime(v)
			if !ok {
				return expert
			}
			f.Until = t.In(catalogue.Paris).Format("2006-01-02")
		default:
			return expert
		}
	}
	switch parts["FREQ"] {
	case "WEEKLY":
		f.Kind = RepeatWeekly
		if parts["BYDAY"] != "" {
			f.Days = strings.Split(parts["BYDAY"], ",")
		}
	case "MONTHLY":
		days := strings.Split(parts["BYDAY"], ",")
		if len(days) != 1 || len(days[0]) < 3 || f.Interval != "1" {
			return expert
		}
		f.Kind, f.Rank, f.Day = RepeatMonthly, strings.TrimPrefix(days[0][:len(days[0])-2], "+"), days[0][len(days[0])-2:]
	default:
		return expert
	}
	// Only what the form writes back the same.
	if again, field, _ := f.RRule(); field != "" || !SameRule(again, rule) {
		return expert
	}
	return f
}

// untilTime reads an RRULE UNTIL: a UTC time, a Paris time or a date.
func untilTime(v string) (time.Time, bool) {
	for _, layout := range []string{"20060102T150405Z", "20060102T150405", "20060102"} {
		loc := catalogue.Paris
		if strings.HasSuffix(layout, "Z") {
			loc = time.UTC
		}
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// SameRule compares two rules part by part, the UNTIL by its day.
func SameRule(a, b string) bool {
	split := func(s string) map[string]string {
		m := map[string]string{}
		for _, kv := range strings.Split(s, ";") {
			k, v, _ := strings.Cut(kv, "=")
			if k == "UNTIL" {
				if t, ok := untilTime(v); ok {
					v = t.In(catalogue.Paris).Format("20060102")
				}
			}
			if k == "INTERVAL" && v == "1" {
				continue
			}
			m[k] = v
		}
		return m
	}
	ma, mb := split(a), split(b)
	if len(ma) != len(mb) {
		return false
	}
	for k, v := range ma {
		if mb[k] != v {
			return false
		}
	}
	return true
}

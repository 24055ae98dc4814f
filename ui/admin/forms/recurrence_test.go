package forms

import (
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

func TestRepeatFormToRRULE(t *testing.T) {
	for _, c := range []struct {
		form RepeatForm
		want string
	}{
		{RepeatForm{Kind: RepeatNone}, ""},
		{RepeatForm{Kind: RepeatWeekly, Interval: "1"}, "FREQ=WEEKLY"},
		{RepeatForm{Kind: RepeatWeekly, Interval: "2", Days: []string{"WE", "MO"}, Count: "10"}, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10"},
		{RepeatForm{Kind: RepeatWeekly, Days: []string{"TU"}, Until: "2026-12-18"}, "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261218T225959Z"},
		{RepeatForm{Kind: RepeatWeekly, Days: []string{"TU"}, Until: "2026-07-31"}, "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260731T215959Z"},
		{RepeatForm{Kind: RepeatMonthly, Rank: "2", Day: "TU"}, "FREQ=MONTHLY;BYDAY=2TU"},
		{RepeatForm{Kind: RepeatMonthly, Rank: "-1", Day: "FR", Count: "6"}, "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6"},
		{RepeatForm{Kind: RepeatRule, Rule: "FREQ=DAILY;COUNT=5"}, "FREQ=DAILY;COUNT=5"},
	} {
		got, field, key := c.form.RRule()
		if got != c.want || field != "" {
			t.Errorf("%+v.rrule() = %q, %s %s; want %q", c.form, got, field, key, c.want)
			continue
		}
		if got == "" {
			continue
		}
		// The catalogue accepts it, and the form draws it back the same.
		e := catalogue.Event{Nom: "Atelier", Lieu: "x", Debut: monday, Fin: monday.Add(time.Hour), Recurrence: got}
		e.Normalize()
		if err := e.Validate(); err != nil {
			t.Errorf("%q: %v", got, err)
		}
		back := RepeatFromRule(got)
		if again, _, _ := back.RRule(); again != got {
			t.Errorf("repeatFromRule(%q) = %+v, which gives %q", got, back, again)
		}
		if c.form.Kind != RepeatRule && back.Kind != c.form.Kind {
			t.Errorf("repeatFromRule(%q).Kind = %q; want %q", got, back.Kind, c.form.Kind)
		}
	}
	for _, c := range []struct {
		form  RepeatForm
		field string
	}{
		{RepeatForm{Kind: RepeatWeekly, Interval: "0"}, "intervalle"},
		{RepeatForm{Kind: RepeatWeekly, Interval: "tous"}, "intervalle"},
		{RepeatForm{Kind: RepeatWeekly, Days: []string{"XX"}}, "jours"},
		{RepeatForm{Kind: RepeatWeekly, Until: "2026-12-01", Count: "3"}, "occurrences"},
		{RepeatForm{Kind: RepeatWeekly, Until: "31/12/2026"}, "jusqu_au"},
		{RepeatForm{Kind: RepeatWeekly, Count: "0"}, "occurrences"},
		{RepeatForm{Kind: RepeatMonthly, Rank: "5", Day: "MO"}, "rang"},
		{RepeatForm{Kind: RepeatMonthly, Rank: "1", Day: "<script>"}, "jour_mois"},
		{RepeatForm{Kind: RepeatRule}, "rrule"},
		{RepeatForm{Kind: "<script>"}, "repetition"},
	} {
		if got, field, key := c.form.RRule(); field != c.field || key == "" {
			t.Errorf("%+v.rrule() = %q, %q %q; want a problem on %s", c.form, got, field, key, c.field)
		}
	}
	for _, rule := range []string{"FREQ=DAILY", "FREQ=MONTHLY;BYMONTHDAY=3", "FREQ=WEEKLY;BYDAY=1MO", "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO", "FREQ=WEEKLY;WKST=SU"} {
		if f := RepeatFromRule(rule); f.Kind != RepeatRule || f.Rule != rule {
			t.Errorf("repeatFromRule(%q) = %+v; want the expert's rule", rule, f)
		}
	}
}

// monday is the clock of these tests: Monday 13 July 2026, 10:00 in Paris.
var monday = time.Date(2026, 7, 13, 10, 0, 0, 0, catalogue.Paris)

package admin

import (
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

func TestRepeatFormToRRULE(t *testing.T) {
	for _, c := range []struct {
		form repeatForm
		want string
	}{
		{repeatForm{Kind: repeatNone}, ""},
		{repeatForm{Kind: repeatWeekly, Interval: "1"}, "FREQ=WEEKLY"},
		{repeatForm{Kind: repeatWeekly, Interval: "2", Days: []string{"WE", "MO"}, Count: "10"}, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10"},
		{repeatForm{Kind: repeatWeekly, Days: []string{"TU"}, Until: "2026-12-18"}, "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261218T225959Z"},
		{repeatForm{Kind: repeatWeekly, Days: []string{"TU"}, Until: "2026-07-31"}, "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260731T215959Z"},
		{repeatForm{Kind: repeatMonthly, Rank: "2", Day: "TU"}, "FREQ=MONTHLY;BYDAY=2TU"},
		{repeatForm{Kind: repeatMonthly, Rank: "-1", Day: "FR", Count: "6"}, "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6"},
		{repeatForm{Kind: repeatRule, Rule: "FREQ=DAILY;COUNT=5"}, "FREQ=DAILY;COUNT=5"},
	} {
		got, field, key := c.form.rrule()
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
		back := repeatFromRule(got)
		if again, _, _ := back.rrule(); again != got {
			t.Errorf("repeatFromRule(%q) = %+v, which gives %q", got, back, again)
		}
		if c.form.Kind != repeatRule && back.Kind != c.form.Kind {
			t.Errorf("repeatFromRule(%q).Kind = %q; want %q", got, back.Kind, c.form.Kind)
		}
	}
	for _, c := range []struct {
		form  repeatForm
		field string
	}{
		{repeatForm{Kind: repeatWeekly, Interval: "0"}, "intervalle"},
		{repeatForm{Kind: repeatWeekly, Interval: "tous"}, "intervalle"},
		{repeatForm{Kind: repeatWeekly, Days: []string{"XX"}}, "jours"},
		{repeatForm{Kind: repeatWeekly, Until: "2026-12-01", Count: "3"}, "occurrences"},
		{repeatForm{Kind: repeatWeekly, Until: "31/12/2026"}, "jusqu_au"},
		{repeatForm{Kind: repeatWeekly, Count: "0"}, "occurrences"},
		{repeatForm{Kind: repeatMonthly, Rank: "5", Day: "MO"}, "rang"},
		{repeatForm{Kind: repeatMonthly, Rank: "1", Day: "<script>"}, "jour_mois"},
		{repeatForm{Kind: repeatRule}, "rrule"},
		{repeatForm{Kind: "<script>"}, "repetition"},
	} {
		if got, field, key := c.form.rrule(); field != c.field || key == "" {
			t.Errorf("%+v.rrule() = %q, %q %q; want a problem on %s", c.form, got, field, key, c.field)
		}
	}
	for _, rule := range []string{"FREQ=DAILY", "FREQ=MONTHLY;BYMONTHDAY=3", "FREQ=WEEKLY;BYDAY=1MO", "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO", "FREQ=WEEKLY;WKST=SU"} {
		if f := repeatFromRule(rule); f.Kind != repeatRule || f.Rule != rule {
			t.Errorf("repeatFromRule(%q) = %+v; want the expert's rule", rule, f)
		}
	}
}

// monday is the clock of these tests: Monday 13 July 2026, 10:00 in Paris.
var monday = time.Date(2026, 7, 13, 10, 0, 0, 0, catalogue.Paris)

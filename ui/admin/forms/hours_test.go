package forms

import (
	"net/url"
	"testing"

	"github.com/maillage/maillage/catalogue"
)

func TestGridToOSM(t *testing.T) {
	day := func(slots ...string) [GridSlots]Slot {
		var out [GridSlots]Slot
		for i := 0; i+1 < len(slots); i += 2 {
			out[i/2] = Slot{From: slots[i], To: slots[i+1]}
		}
		return out
	}
	for _, c := range []struct {
		name string
		grid WeekGrid
		want string
	}{
		{"empty", WeekGrid{}, ""},
		{"week and saturday", WeekGrid{
			day("09:00", "12:00", "14:00", "17:00"), day("09:00", "12:00", "14:00", "17:00"), day("09:00", "12:00", "14:00", "17:00"),
			day("09:00", "12:00", "14:00", "17:00"), day("09:00", "12:00", "14:00", "17:00"), day("09:00", "12:00"), day(),
		}, "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"},
		{"gaps are not merged", WeekGrid{day("9:00", "12:00"), day(), day("09h00", "12h00")}, "Mo 09:00-12:00; We 09:00-12:00"},
		{"two days", WeekGrid{5: day("10:00", "18:00"), 6: day("10:00", "18:00")}, "Sa-Su 10:00-18:00"},
		{"second slot only", WeekGrid{2: day("", "", "14:00", "24:00")}, "We 14:00-24:00"},
	} {
		got, prob := c.grid.OSM()
		if prob != nil || got != c.want {
			t.Errorf("%s: osm() = %q, %+v; want %q", c.name, got, prob, c.want)
			continue
		}
		if got == "" {
			continue
		}
		if _, err := catalogue.ParseHours(got); err != nil {
			t.Errorf("%s: %q does not parse: %v", c.name, got, err)
		}
		back, ok := GridFromOSM(got)
		again, _ := back.OSM()
		if !ok || again != got {
			t.Errorf("%s: gridFromOSM(%q) = %v, %v; gives %q", c.name, got, back, ok, again)
		}
	}
	for _, c := range []struct {
		name  string
		grid  WeekGrid
		input string
		key   string
	}{
		{"no end", WeekGrid{1: day("09:00", "")}, "h-1-0-a", "admin.hours.incomplete"},
		{"no start", WeekGrid{1: day("", "12:00")}, "h-1-0-de", "admin.hours.incomplete"},
		{"end before start", WeekGrid{4: day("14:00", "09:00")}, "h-4-0-a", "admin.hours.order"},
		{"overlap", WeekGrid{0: day("09:00", "13:00", "12:00", "17:00")}, "h-0-1-de", "admin.hours.overlap"},
		{"not a time", WeekGrid{6: day("<script>", "12:00")}, "h-6-0-de", "admin.hours.badtime"},
		{"25 h", WeekGrid{6: day("09:00", "25:00")}, "h-6-0-a", "admin.hours.badtime"},
	} {
		got, prob := c.grid.OSM()
		if prob == nil || prob.Input != c.input || prob.Key != c.key {
			t.Errorf("%s: osm() = %q, %+v; want a problem %s at %s", c.name, got, prob, c.key, c.input)
		}
	}
}

func TestGridFromOSM(t *testing.T) {
	for s, want := range map[string]bool{
		"":                                     true,
		"Mo-Fr 09:00-12:00,14:00-17:00":        true,
		"Mo,We,Fr 09:00-12:00; Sa 10:00-12:00": true,
		"Tu-Sa 11:00-19:00; PH off":            false,
		"Mo-Fr 08:00-10:00,11:00-12:00,14:00-16:00": false, // three slots
		"Mo-Fr 09:00-12:00; Mo 14:00-17:00":         false, // a day twice
		"Jan-Mar Mo 09:00-12:00":                    false,
		"Fr-Mo 09:00-12:00":                         false,
		"Mo 12:00-09:00":                            false,
		"24/7":                                      false,
	} {
		if _, ok := GridFromOSM(s); ok != want {
			t.Errorf("gridFromOSM(%q) ok = %v; want %v", s, ok, want)
		}
	}
	g, _ := GridFromOSM("Mo,We 09:00-12:00,13:30-17:00; Sa 10:00-12:00")
	if g[0][1] != (Slot{"13:30", "17:00"}) || g[2][0] != (Slot{"09:00", "12:00"}) || g[1][0] != (Slot{}) || g[5][0] != (Slot{"10:00", "12:00"}) {
		t.Errorf("grid = %v", g)
	}
	form := url.Values{"h-0-0-de": {"09:00"}, "h-0-0-a": {"12:00"}, "h-3-1-de": {" 14:00 "}, "h-3-1-a": {"18:00"}}
	if got, _ := GridFromForm(form).OSM(); got != "Mo 09:00-12:00; Th 14:00-18:00" {
		t.Errorf("from the form: %q", got)
	}
}

package standard

import (
	"testing"

	"github.com/maillage/maillage/catalogue"
)

func TestFrenchHoursToOSM(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Lundi au vendredi de 10h à 12h et de 14h à 17h", "Mo-Fr 10:00-12:00,14:00-17:00"},
		{"Du lundi au vendredi : 9h-12h / 13h30-17h", "Mo-Fr 09:00-12:00,13:30-17:00"},
		{"Lundi : 9h-12h, mardi : 14h-17h", "Mo 09:00-12:00; Tu 14:00-17:00"},
		{"Mardi et jeudi de 14h00 à 18h00, samedi 9h30-12h", "Tu 14:00-18:00; Th 14:00-18:00; Sa 09:30-12:00"},
		{"lun. - ven. 09:00-17:00", "Mo-Fr 09:00-17:00"},
		{"Lundi, mardi 9h-12h ; mercredi fermé ; jeudi, vendredi 9h-12h", "Mo,Tu 09:00-12:00; Th,Fr 09:00-12:00"},
		{"Tous les jours de 8h à 20h", "Mo-Su 08:00-20:00"},
		{"Sur rendez-vous", ""},
		{"Lundi sauf jours fériés 9h-12h", ""},
		{"9h-12h", ""},
		{"", ""},
	} {
		got, ok := frenchHoursToOSM(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("frenchHoursToOSM(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestParseDayCell(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"09:00 - 12:00 / 13:30 - 17:00", "Mo 09:00-12:00,13:30-17:00", true},
		{"9h-12h", "Mo 09:00-12:00", true},
		{"Fermé", "", true},
		{"", "", true},
		{"selon la saison", "", false},
	} {
		r, ok := parseDayCell(tc.in)
		var w week
		w[0] = r
		if got := w.osm(); got != tc.want || ok != tc.ok {
			t.Errorf("parseDayCell(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// FuzzFrenchHours checks that any text gives valid OSM hours or none,
// without panicking.
func FuzzFrenchHours(f *testing.F) {
	for _, s := range []string{"Lundi au vendredi de 10h à 12h et de 14h à 17h", "09:00 - 12:00 / 13:30 - 17:00", "lun. - ven. 09:00-17:00",
		"Tous les jours de 8h à 20h", "24h-25h", "9:", "de 10h à", "lundi au", "h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if osm, ok := frenchHoursToOSM(s); ok {
			if _, err := catalogue.ParseHours(osm); err != nil {
				t.Errorf("frenchHoursToOSM(%q) = %q, unreadable: %v", s, osm, err)
			}
		}
		if r, ok := parseDayCell(s); ok {
			for _, x := range r {
				if x.start >= x.end || x.end > 24*60 {
					t.Errorf("parseDayCell(%q) gives %v", s, x)
				}
			}
		}
	})
}

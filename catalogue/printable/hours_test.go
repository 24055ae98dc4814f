package printable

import (
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

func TestHoursInWords(t *testing.T) {
	t.Parallel()
	// Monday 13 July 2026: Bastille Day is the next day.
	from := time.Date(2026, 7, 13, 10, 0, 0, 0, catalogue.Paris)
	for _, tc := range []struct{ in, want string }{
		{"Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00",
			"Du lundi au vendredi : 9 h – 12 h et 14 h – 18 h 30 / Samedi : 8 h 30 – 12 h"},
		{"Tu,Th 14:00-18:00; We 10:00-12:00,14:00-17:00; PH off",
			"Mardi et jeudi : 14 h – 18 h / Mercredi : 10 h – 12 h et 14 h – 17 h / Fermé les jours fériés"},
		{"Mo-Fr 08:30-12:30,13:30-17:00; PH off",
			"Du lundi au vendredi : 8 h 30 – 12 h 30 et 13 h 30 – 17 h / Fermé les jours fériés"},
		{"Mo,We,Fr 09:00-12:00", "Lundi, mercredi et vendredi : 9 h – 12 h"},
		{"Mo-We,Fr 09:00-12:00", "Du lundi au mercredi et vendredi : 9 h – 12 h"},
		{"Mo[1] 14:00-17:00", "1er lundi du mois : 14 h – 17 h"},
		{"Th[2,4] 09:00-12:00", "2e et 4e jeudis du mois : 9 h – 12 h"},
		{"Fr[-1] 09:00-12:00", "Dernier vendredi du mois : 9 h – 12 h"},
		{"Mo-Sa 09:00-19:00; Su off", "Du lundi au samedi : 9 h – 19 h"},
		{"24/7", "Du lundi au dimanche : toute la journée"},
		{"We 18:00+", "Mercredi : 18 h – minuit"},
		{"Tu 09:05-11:55", "Mardi : 9 h 05 – 11 h 55"},
		{`Mo 10:00-12:00 "sur rendez-vous"`, "Lundi : 10 h – 12 h / Sur rendez-vous"},
		{"off", "Fermé"},
		{"Sur rendez-vous uniquement", "Sur rendez-vous uniquement"},
		{"week 1-53/2 Mo 10:00-12:00", "week 1-53/2 Mo 10:00-12:00"},
	} {
		got := strings.Join(HoursInWords(tc.in, from), " / ")
		if got != tc.want {
			t.Errorf("HoursInWords(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

package catalogue

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// at is a Paris time in July 2026: Monday 13 to Sunday 19, with Tuesday 14
// July a public holiday.
func at(day, hour, minute int) time.Time {
	return time.Date(2026, time.July, day, hour, minute, 0, 0, Paris)
}

func TestHoursOpenAt(t *testing.T) {
	type check struct {
		t    time.Time
		open bool
	}
	cases := []struct {
		hours  string
		checks []check
	}{
		{"Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00; PH off", []check{
			{at(13, 9, 0), true}, {at(13, 8, 59), false}, {at(13, 12, 0), false}, {at(13, 18, 29), true},
			{at(14, 10, 0), false}, // Bastille Day
			{at(15, 10, 0), true}, {at(18, 9, 0), true}, {at(18, 12, 30), false}, {at(19, 10, 0), false},
		}},
		{"Mo-Fr 08:30-12:00", []check{{at(14, 10, 0), true}}}, // no PH rule: holidays are like other days
		{"Tu,Th 14:00-18:00; We 10:00-12:00,14:00-17:00", []check{
			{at(14, 15, 0), true}, {at(15, 11, 0), true}, {at(15, 13, 0), false}, {at(16, 17, 59), true}, {at(17, 15, 0), false},
		}},
		{"Mo-Fr 09:00-18:00; We 14:00-18:00", []check{{at(15, 10, 0), false}, {at(15, 15, 0), true}, {at(16, 10, 0), true}}},
		{"Fr-Mo 10:00-12:00", []check{{at(17, 11, 0), true}, {at(19, 11, 0), true}, {at(13, 11, 0), true}, {at(14, 11, 0), false}}},
		{"mo-fr 9:00 - 12:00", []check{{at(13, 9, 30), true}}},
		{"Mo–Fr 09:00–12:00", []check{{at(13, 9, 30), true}}},                 // typographic dashes
		{"PH 10:00-12:00; Mo-Fr 09:00-17:00", []check{{at(14, 16, 0), true}}}, // the later rule wins
		{"Mo-Fr 09:00-17:00; PH 10:00-12:00", []check{{at(14, 16, 0), false}, {at(14, 11, 0), true}}},
		{"Mo-Sa 10:00-18:00; PH,Su off", []check{{at(14, 11, 0), false}, {at(18, 11, 0), true}, {at(19, 11, 0), false}}},
		{"Mo[1] 14:00-17:00", []check{
			{time.Date(2026, 7, 6, 15, 0, 0, 0, Paris), true}, {at(13, 15, 0), false},
			{time.Date(2026, 8, 3, 15, 0, 0, 0, Paris), true},
		}},
		{"Fr[-1] 14:00-17:00", []check{{time.Date(2026, 7, 31, 15, 0, 0, 0, Paris), true}, {time.Date(2026, 7, 24, 15, 0, 0, 0, Paris), false}}},
		{"We[2-3] 10:00-12:00", []check{{at(8, 11, 0), true}, {at(15, 11, 0), true}, {at(1, 11, 0), false}, {at(22, 11, 0), false}}},
		{"Tu[1,3] 10:00-12:00", []check{{at(7, 11, 0), true}, {at(14, 11, 0), false}, {at(21, 11, 0), true}}},
		// ISO week 29 is 13–19 July 2026, week 30 the next one.
		{"week 1-53/2 Mo 10:00-12:00", []check{{at(13, 11, 0), true}, {at(20, 11, 0), false}}},
		{"week 30 Mo 10:00-12:00", []check{{at(13, 11, 0), false}, {at(20, 11, 0), true}}},
		{"week 02-10,29 Mo 10:00-12:00", []check{{at(13, 11, 0), true}}},
		{"Jan-Jun Mo-Fr 09:00-17:00; Jul-Aug Mo-Fr 09:00-12:00", []check{{at(13, 15, 0), false}, {at(13, 10, 0), true}}},
		{"Nov-Feb Mo-Fr 09:00-17:00", []check{{at(13, 10, 0), false}, {time.Date(2027, 1, 4, 10, 0, 0, 0, Paris), true}}},
		{"Mo-Fr 09:00-17:00; Jul 13 off", []check{{at(13, 10, 0), false}, {at(15, 10, 0), true}}},
		{"Mo-Su 09:00-17:00; Dec 24-Jan 01 off", []check{
			{time.Date(2026, 12, 28, 10, 0, 0, 0, Paris), false}, {time.Date(2027, 1, 1, 10, 0, 0, 0, Paris), false},
			{time.Date(2027, 1, 2, 10, 0, 0, 0, Paris), true},
		}},
		{"Jul 13-15 10:00-11:00", []check{{at(14, 10, 30), true}, {at(16, 10, 30), false}}},
		{"2026 Jul 13 off; Mo 10:00-12:00", []check{{at(13, 11, 0), true}}}, // the later rule wins
		{"Mo 10:00-12:00; 2026 Jul 13 off", []check{{at(13, 11, 0), false}, {at(20, 11, 0), true}}},
		{"2027 Jul 12 off; Mo 10:00-12:00", []check{{at(13, 11, 0), true}}},
		{"Fr,Sa 22:00-02:00", []check{{at(17, 23, 0), true}, {at(18, 1, 30), true}, {at(18, 2, 0), false}, {at(19, 1, 0), true}, {at(20, 1, 0), false}}},
		{"Mo-Fr 00:00-24:00", []check{{at(13, 0, 0), true}, {at(17, 23, 59), true}, {at(18, 0, 0), false}}},
		{"Sa 18:00+", []check{{at(18, 23, 0), true}, {at(18, 17, 0), false}}},
		{"24/7", []check{{at(14, 3, 0), true}, {at(19, 23, 59), true}}},
		{"24/7; PH off", []check{{at(14, 3, 0), false}, {at(15, 3, 0), true}}},
		{"10:00-18:00", []check{{at(19, 11, 0), true}, {at(19, 9, 0), false}}},
		{"Mo-Fr", []check{{at(13, 3, 0), true}, {at(18, 3, 0), false}}},
		{"off", []check{{at(13, 11, 0), false}}},
		{"Mo-Fr 09:00-12:00 closed", []check{{at(13, 10, 0), false}}},
		{"Mo-Fr 09:00-17:00; We off", []check{{at(15, 10, 0), false}}},
		{`Mo-Fr 09:00-12:00 "sur rendez-vous l'après-midi"`, []check{{at(13, 10, 0), true}}},
		{`"sur rendez-vous"`, []check{{at(13, 10, 0), false}}},
		{"Mo-Fr 09:00-12:00 unknown", []check{{at(13, 10, 0), false}}},
		{"Mo-Fr 09:00-12:00, Sa 10:00-12:00", []check{{at(18, 11, 0), true}, {at(13, 11, 0), true}}}, // additional rule
		{"Mo-Fr 09:00-17:00 || \"sur rendez-vous\"", []check{{at(13, 10, 0), true}, {at(18, 10, 0), false}}},
		{"Mo-Fr 09:00-12:00; SH off", []check{{at(13, 10, 0), true}}}, // no school calendar: SH never matches
		{"Mo-Fr 09:00-12:00;", []check{{at(13, 10, 0), true}}},
	}
	for _, c := range cases {
		h, err := ParseHours(c.hours)
		if err != nil {
			t.Errorf("ParseHours(%q): %v", c.hours, err)
			continue
		}
		for _, ck := range c.checks {
			if got := h.OpenAt(ck.t); got != ck.open {
				t.Errorf("%q at %s: open %v; want %v", c.hours, ck.t.Format("Mon 2 Jan 2006 15:04"), got, ck.open)
			}
		}
	}
}

func TestHoursOpenAtReadsParisTime(t *testing.T) {
	h, err := ParseHours("Mo-Fr 09:00-12:00")
	if err != nil {
		t.Fatal(err)
	}
	// 08:30 UTC is 10:30 in Paris in summer, 09:30 in winter.
	if !h.OpenAt(time.Date(2026, 7, 13, 8, 30, 0, 0, time.UTC)) {
		t.Error("closed at 08:30 UTC in July (10:30 Paris)")
	}
	if h.OpenAt(time.Date(2026, 1, 12, 11, 30, 0, 0, time.UTC)) {
		t.Error("open at 11:30 UTC in January (12:30 Paris)")
	}
}

func TestHoursErrors(t *testing.T) {
	for _, c := range []struct {
		hours  string
		pos    int
		reason string
	}{
		{"", 0, "horaires vides"},
		{"   ", 0, "horaires vides"},
		{"Lu-Ve 09:00-12:00", 0, "jour inconnu « Lu »"},
		{"Lundi 9h-12h", 0, "jour inconnu « Lundi »"},
		{"Mo-Fr 9h-12h", 6, "heure invalide « 9h »"},
		{"Mo-Fr 09:00-25:00", 12, "heure invalide « 25:00 »"},
		{"Mo-Fr 09:60-12:00", 6, "heure invalide « 09:60 »"},
		{"Mo-Fr 09:00", 6, "plage horaire incomplète"},
		{"Mo-Fr 0900-1200", 6, "heure invalide « 0900 »"},
		{"Mo-Xy 09:00-12:00", 3, "jour inconnu « Xy »"},
		{"Mo[6] 09:00-12:00", 3, "rang invalide"},
		{"Mo[1 09:00-12:00", 5, "crochet fermant"},
		{"Mo-Fr 09:00-12:00; Sa 10:00-12:00 le samedi", 34, "mot inattendu « le »"},
		{"Mo-Fr 09:00-12:00 @", 18, "caractère inattendu « @ »"},
		{`Mo-Fr "sur rendez-vous`, 6, "guillemet fermant"},
		{"week 54 Mo 10:00-12:00", 5, "semaine invalide"},
		{"Jan-Foo Mo 10:00-12:00", 4, "mois inconnu « Foo »"},
		{"Dec 32 off", 0, "jour du mois invalide"},
		{"Mo-Fr sunrise-sunset", 6, "heures solaires"},
		{"PH +1 day off", 3, "décalage de jour férié"},
		{"Mo-Fr 09:00-12:00;; Sa 10:00-12:00", 18, "règle vide"},
		{"0:00-", 5, "fin inattendue"}, // panicked (issue 16)
		{"Mo 10:00-12:00,", 15, "règle vide"},
	} {
		_, err := ParseHours(c.hours)
		var herr *HoursError
		if !errors.As(err, &herr) {
			t.Errorf("ParseHours(%q) = %v; want a HoursError", c.hours, err)
			continue
		}
		if herr.Pos != c.pos || !strings.Contains(herr.Reason, c.reason) {
			t.Errorf("ParseHours(%q) = pos %d %q; want pos %d, reason containing %q", c.hours, herr.Pos, herr.Reason, c.pos, c.reason)
		}
		if !strings.HasPrefix(err.Error(), "horaires illisibles") {
			t.Errorf("error message %q does not say the hours are unreadable", err)
		}
	}
}

// realHours are values found in the national cartography's files and the
// standard's examples.
var realHours = []string{
	"Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00",
	"Mo-Fr 08:30-12:00,13:30-17:00; PH off",
	"Mo 14:00-18:00; Tu-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00",
	"Tu 13:30-18:00; We 10:00-12:00,13:30-18:00; Th 13:30-18:00; Fr 13:30-18:00; Sa 10:00-12:00,13:30-17:00",
	"Mo-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00,13:30-16:30",
	"Mo 13:30-17:30; Tu-Fr 08:30-12:30,13:30-17:30",
	"Mo,We,Fr 09:00-12:00",
	"Mo[1] off; Mo-Fr 09:00-12:00",
	"week 1-53/2 Fr 09:00-12:00; week 2-52/2 We 09:00-12:00",
	"Mo-Fr 09:00-12:30,13:30-17:00; Sa 09:00-12:00; PH off",
	"Tu-Sa 10:00-12:30,14:00-18:00",
	"We 14:00-17:00; Sa 10:00-12:00",
	"Mo-Fr 09:00-17:00",
	"Mo-Su 00:00-24:00",
	"Th 09:00-12:00 \"sur rendez-vous\"",
	"Mo-Fr 9:00-12:00,14:00-17:00",
	"Mo-Fr 09:00-12:00, 14:00-17:00",
	"Tu,Th 09:00-12:00; We 14:00-18:00; PH off",
}

func TestRealHoursParse(t *testing.T) {
	for _, s := range realHours {
		if _, err := ParseHours(s); err != nil {
			t.Errorf("ParseHours(%q): %v", s, err)
		}
	}
}

func TestHoursNextChange(t *testing.T) {
	h, _ := ParseHours("Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00; PH off")
	for _, c := range []struct{ from, want time.Time }{
		{at(13, 10, 15), at(13, 12, 0)},
		{at(13, 12, 0), at(13, 14, 0)},
		{at(13, 19, 0), at(15, 9, 0)}, // Tuesday is Bastille Day
		{at(18, 12, 0), at(20, 9, 0)},
	} {
		got, ok := h.NextChange(c.from)
		if !ok || !got.Equal(c.want) {
			t.Errorf("NextChange(%s) = %s, %v; want %s", c.from.Format("Mon 2 15:04"), got.In(Paris).Format("Mon 2 15:04"), ok, c.want.Format("Mon 2 15:04"))
		}
	}
	always, _ := ParseHours("24/7")
	if _, ok := always.NextChange(at(13, 10, 0)); ok {
		t.Error("24/7 changes")
	}
}

func TestOpenAtDoesNotAllocate(t *testing.T) {
	h, _ := ParseHours("Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00; Mo[1] off; week 1-53/2 Su 10:00-12:00; PH off")
	tm := at(14, 10, 0)
	if n := testing.AllocsPerRun(100, func() { h.OpenAt(tm) }); n != 0 {
		t.Errorf("OpenAt allocates %v times per call", n)
	}
}

func BenchmarkOpenAt(b *testing.B) {
	h, _ := ParseHours("Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00; PH off")
	tm := at(15, 10, 30)
	for b.Loop() {
		h.OpenAt(tm)
	}
}

func TestPublicHolidays(t *testing.T) {
	for _, c := range []struct {
		day  time.Time
		want bool
	}{
		{time.Date(2026, 4, 6, 12, 0, 0, 0, Paris), true},   // Easter Monday 2026
		{time.Date(2026, 4, 5, 12, 0, 0, 0, Paris), false},  // Easter Sunday is a Sunday, not a holiday of its own
		{time.Date(2026, 5, 14, 12, 0, 0, 0, Paris), true},  // Ascension
		{time.Date(2026, 5, 25, 12, 0, 0, 0, Paris), true},  // Whit Monday
		{time.Date(2027, 3, 29, 12, 0, 0, 0, Paris), true},  // Easter Monday 2027 (Easter on 28 March)
		{time.Date(2027, 5, 6, 12, 0, 0, 0, Paris), true},   // Ascension 2027
		{time.Date(2027, 5, 17, 12, 0, 0, 0, Paris), true},  // Whit Monday 2027
		{time.Date(2026, 11, 11, 12, 0, 0, 0, Paris), true}, // Armistice
		{time.Date(2026, 11, 12, 12, 0, 0, 0, Paris), false},
		{time.Date(2026, 7, 13, 21, 30, 0, 0, time.UTC), false}, // 23:30 in Paris on 13 July
		{time.Date(2026, 7, 13, 22, 30, 0, 0, time.UTC), true},  // 00:30 in Paris on 14 July
	} {
		if got := IsPublicHoliday(c.day); got != c.want {
			t.Errorf("IsPublicHoliday(%s) = %v; want %v", c.day, got, c.want)
		}
	}
	hs := PublicHolidays(2026)
	if len(hs) != 11 || hs[1].Name != "Lundi de Pâques" || !hs[1].Date.Equal(time.Date(2026, 4, 6, 0, 0, 0, 0, Paris)) {
		t.Errorf("PublicHolidays(2026) = %v", hs)
	}
	for _, h := range hs {
		if !IsPublicHoliday(h.Date) {
			t.Errorf("%s (%s) is listed but not recognised", h.Name, h.Date)
		}
	}
}

func BenchmarkOpenDuring(b *testing.B) {
	h, _ := ParseHours("Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00; PH off")
	m := MomentOf(at(15, 10, 30))
	for b.Loop() {
		h.OpenDuring(m)
	}
}

// FuzzParseHours: no text makes the parser or the evaluation panic, an
// error is always a *HoursError inside the text, and what parses keeps its
// text.
func FuzzParseHours(f *testing.F) {
	for _, s := range realHours {
		f.Add(s)
	}
	for _, s := range []string{"0:00-", "24/7", "Jan-Mar Mo 10:00-12:00", "Dec 25-Jan 01 off", "2026-2027 Mo[-1] 22:00-02:00",
		"PH off", "SH Mo 10:00+", "Mo-Fr 09:00–12:00", `"sur rendez-vous"`, "week 1-53/2 Fr 09:00-12:00", "Mo[2-4] 10:00-12:00 || Tu off"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHours(s)
		if err != nil {
			var herr *HoursError
			if !errors.As(err, &herr) || herr.Pos < 0 || herr.Pos > len(s) {
				t.Fatalf("ParseHours(%q) = %v; want a *HoursError inside the text", s, err)
			}
			return
		}
		if h.String() != strings.TrimSpace(s) {
			t.Fatalf("ParseHours(%q).String() = %q", s, h.String())
		}
		for _, tm := range []time.Time{at(13, 10, 0), at(14, 23, 59), time.Date(2024, 2, 29, 0, 30, 0, 0, Paris), time.Date(2027, 12, 31, 23, 0, 0, 0, Paris)} {
			h.OpenAt(tm)
		}
	})
}

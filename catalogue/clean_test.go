package catalogue

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestCleanText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"EPN du Panier", "EPN du Panier"},
		{"EPN\x00 du\x07 Panier\x7f", "EPN du Panier"},
		{"Ligne 1\nLigne 2\tsuite\r\n", "Ligne 1\nLigne 2\tsuite\r\n"},
		{"EPN \u202eRELIAP\u202c", "EPN RELIAP"},
		{"a\u2066b\u2069c\u200dd", "abc\u200dd"}, // isolates go, a zero-width joiner (emoji) stays
		{"\u0085Café\u009f", "Café"},
		{"bad \xff byte\x00", "bad \xff byte\x00"}, // invalid UTF-8: as is, for Validate
		{"\xd0\x00\xae", "\xd0\x00\xae"},           // removing NUL would make a valid "Ю"
	} {
		if got := CleanText(c.in); got != c.want {
			t.Errorf("CleanText(%q) = %q; want %q", c.in, got, c.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { CleanText("Médiathèque de l'Alcazar") }); n != 0 {
		t.Errorf("CleanText of clean text allocates %v times", n)
	}
}

// TestNormalizeStripsControlsAndValidateNamesInvalidUTF8: what a hostile
// peer or a careless file sends reaches neither a stored name nor, as
// replaced text, any field: local and remote records go through the same
// Normalize and Validate.
func TestNormalizeStripsControlsAndValidateNamesInvalidUTF8(t *testing.T) {
	p := validPlace()
	p.Nom = "EPN\x00 du \u202ePanier"
	p.Services = []string{"Aide aux démarches administratives\x00"}
	p.Normalize()
	if p.Nom != "EPN du Panier" || p.Services[0] != "Aide aux démarches administratives" {
		t.Errorf("after Normalize: nom %q, services %q", p.Nom, p.Services)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}

	p.Commune = "Marseille\xe9"
	p.AutresLabels = []string{"ok", "Label\xff"}
	p.Normalize()
	err := p.Validate()
	verr, _ := err.(*ValidationError)
	if verr == nil || !strings.Contains(verr.Fields["commune"], "UTF-8") || !strings.Contains(verr.Fields["autres_formations_labels"], "UTF-8") {
		t.Errorf("Validate with invalid UTF-8 = %v; want commune and autres_formations_labels named", err)
	}

	start := time.Date(2026, 3, 4, 14, 0, 0, 0, Paris)
	e := &Event{Nom: "Atelier\u202e\x01", Lieu: "l", Debut: start, Fin: start.Add(time.Hour), Description: "<p>Venez\x00</p>"}
	e.Normalize()
	if e.Nom != "Atelier" || strings.ContainsRune(e.Description, 0) {
		t.Errorf("event after Normalize: nom %q, description %q", e.Nom, e.Description)
	}
	e.Nom = "Atelier \xc3"
	if err := e.Validate(); err == nil || !strings.Contains(err.Error(), "nom : texte mal encodé") {
		t.Errorf("event with invalid UTF-8: %v; want nom named", err)
	}
}

func TestInvalidUTF8Field(t *testing.T) {
	for _, c := range []struct {
		doc, field string
		bad        bool
	}{
		{`{"nom":"EPN","commune":"Marseille"}`, "", false},
		{"{\"nom\":\"EPN\",\"commune\":\"Marseille\xe9\"}", "commune", true},
		{"{\"nom\":\"EPN\",\"services\":[\"a\",\"b\xff\"]}", "services", true},
		{"{\"location\":{\"name\":\"\xff\"}}", "name", true},
		{"{\"n\xffm\":\"EPN\"}", "n?m", true},
		{"[\"\xff\"]", "(document)", true},
		{"{\"a\":\"x\\\"\xff\"}", "a", true},
	} {
		field, bad := InvalidUTF8Field([]byte(c.doc))
		if bad != c.bad || field != c.field {
			t.Errorf("InvalidUTF8Field(%q) = %q, %v; want %q, %v", c.doc, field, bad, c.field, c.bad)
		}
	}
}

// FuzzCleanText: the result is the input without the removed runes, and
// is as valid UTF-8 as the input.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"EPN\x00", "\u202eabc", "ok", "\xff\xfe", "a\u2066b\u2069\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := CleanText(s)
		if !utf8.ValidString(s) && got != s || len(got) > len(s) {
			t.Fatalf("CleanText(%q) = %q", s, got)
		}
		for _, r := range got {
			if utf8.ValidString(s) && stripped(r) {
				t.Fatalf("CleanText(%q) = %q keeps %U", s, got, r)
			}
		}
		if CleanText(got) != got {
			t.Fatalf("CleanText is not idempotent on %q", s)
		}
		InvalidUTF8Field([]byte(s))
	})
}

// FuzzPlaceValidate: no values a form, a file or a peer gives make
// Normalize or Validate panic (dates, phone numbers, codes, addresses,
// opening hours), and Normalize is stable.
func FuzzPlaceValidate(f *testing.F) {
	f.Add("EPN", "2026-03-01", "04 91 00 00 00", "13001", "2A004", "43493312300029", "0:00-", "https://epn.example/", "Aide aux démarches administratives")
	f.Add("\u202eEPN\x00", "2026-02-30T10:00:00Z", "+33 (0)4 91", "1300", "20000", "x", "Mo-Fr 09:00-12:00", "javascript:alert(1)", "x\xff")
	f.Fuzz(func(t *testing.T, nom, date, tel, cp, insee, pivot, horaires, site, service string) {
		p := &Place{Nom: nom, DateMaj: date, Telephone: tel, CodePostal: cp, CodeINSEE: insee, Pivot: pivot,
			Horaires: horaires, SiteWeb: []string{site}, Services: []string{service}, Adresse: nom, Commune: nom}
		p.Normalize()
		valid := p.Validate() == nil
		once := *p
		p.Normalize()
		if p.Nom != once.Nom || p.DateMaj != once.DateMaj || p.Telephone != once.Telephone || p.HoursError != once.HoursError {
			t.Fatalf("Normalize is not stable: %+v then %+v", once, *p)
		}
		if valid && (!utf8.ValidString(p.Nom) || CleanText(p.Nom) != p.Nom) {
			t.Fatalf("a valid place keeps a name with bytes to remove: %q", p.Nom)
		}
	})
}

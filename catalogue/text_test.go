package catalogue

import (
	"slices"
	"strings"
	"testing"
)

func TestTerms(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Médiathèques", []string{"mediathequ"}},
		{"mediatheque", []string{"mediathequ"}},
		{"MÉDIATHÈQUE", []string{"mediathequ"}},
		{"L'Espace numérique", []string{"espac", "numeriqu"}},
		{"l’atelier des ateliers", []string{"atelier", "atelier"}},
		{"Centres sociaux et locaux", []string{"centr", "social", "local"}},
		{"Connectée, connectés, connecté", []string{"connect", "connect", "connect"}},
		{"Imprimante 3D", []string{"imprimant", "3d"}},
		{"13001 Marseille", []string{"13001", "marseill"}},
		{"à la", nil},
		{"", nil},
	} {
		if got := Terms(c.in); !slices.Equal(got, c.want) {
			t.Errorf("Terms(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

// termsByFields is the definition of Terms, which it computes faster.
func termsByFields(s string) []string {
	var terms []string
	for _, w := range strings.FieldsFunc(Fold(s), notWordRune) {
		if len(w) < 2 && !isDigits(w) || stopWords[w] {
			continue
		}
		terms = append(terms, stem(w))
	}
	return terms
}

func FuzzTerms(f *testing.F) {
	for _, s := range []string{"Médiathèques", "L'Espace numérique", "l’atelier des ateliers", "13001 Marseille",
		"à la", "", "Ωmega 3D-imprimante", "a\xffb", "ÆSTHÉTIQUE œuvres", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Terms(s), termsByFields(s); !slices.Equal(got, want) {
			t.Errorf("Terms(%q) = %q; want %q", s, got, want)
		}
	})
}

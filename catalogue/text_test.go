package catalogue

import (
	"slices"
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

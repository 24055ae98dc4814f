package page

import (
	"github.com/maillage/maillage/catalogue/communes"
)

// Commune is a commune of France, from the list embedded in the binary
// (see catalogue/communes).
type Commune = communes.Commune

// Where is what the "où ?" field resolved to: a commune to search around,
// a département, homonyms to choose from, or nothing known.
type Where = communes.Where

// Communes answers the "où ?" field from the list of every French commune
// embedded in the binary. It never reads the store, so every commune is
// known from the start, with or without a place, and the list is never
// stale after a follow or an import.
type Communes struct {
	list *communes.List
}

// NewCommunes returns the directory of every French commune.
func NewCommunes() *Communes {
	return &Communes{list: communes.France()}
}

// Suggest returns up to n communes whose name (or a word of it) or postal
// code starts with prefix, those whose name starts with it first, then
// the most populous.
func (c *Communes) Suggest(prefix string, n int) ([]*Commune, error) {
	return c.list.Suggest(prefix, n), nil
}

// Resolve reads what a person typed in "où ?": a postal code, an INSEE
// code, a commune's name, a suggestion's label "Nom (13)" or a
// département code. A commune without a known centre (some overseas
// collectivités) is searched by its département.
func (c *Communes) Resolve(text string) (Where, error) {
	w := c.list.Resolve(text)
	if w.Commune != nil {
		w.Choices = nil // a shared postal code: its main commune is searched around
		if !w.Commune.HasCentre {
			return Where{Dept: w.Commune.Dept}, nil
		}
	}
	return w, nil
}

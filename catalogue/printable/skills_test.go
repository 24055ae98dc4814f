package printable

import (
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
)

// A place's skills are printed with their labels.
func TestCatalogueShowsSkills(t *testing.T) {
	p := &catalogue.Place{Nom: "Fablab", Competences: []catalogue.Skill{{ID: "impression-3d", Libelle: "Impression 3D"}, {ID: "couture", Libelle: "Couture numérique"}}}
	for _, f := range fieldsOf(p, nil, ByChamp) {
		if f.label == "Compétences" {
			if !strings.Contains(f.value, "Impression 3D") || !strings.Contains(f.value, "Couture numérique") {
				t.Errorf("Compétences = %q; want both labels", f.value)
			}
			return
		}
	}
	t.Error("no Compétences field")
}

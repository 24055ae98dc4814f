package sample

import (
	"testing"

	"github.com/maillage/maillage/catalogue"
)

// TestDepartementNames keeps the generator's départements and the
// catalogue's list the same.
func TestDepartementNames(t *testing.T) {
	if len(departements) != len(catalogue.Departements) {
		t.Fatalf("%d départements here, %d in catalogue", len(departements), len(catalogue.Departements))
	}
	for i, d := range departements {
		if c := catalogue.Departements[i]; c.Code != d.code || c.Name != d.name {
			t.Errorf("département %d: %s %s here, %s %s in catalogue", i, d.code, d.name, c.Code, c.Name)
		}
	}
}

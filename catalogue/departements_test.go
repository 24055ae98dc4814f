package catalogue

import "testing"

func TestDepartements(t *testing.T) {
	if len(Departements) != 101 {
		t.Errorf("%d départements; want 101", len(Departements))
	}
	regions := map[string]int{}
	for _, d := range Departements {
		regions[d.Region]++
		if d.Name == "" {
			t.Errorf("département %s has no name", d.Code)
		}
	}
	if len(regions) != 18 || regions[pacaRegion] != 6 || regions[occRegion] != 13 || regions[corseRegion] != 2 {
		t.Errorf("regions = %v; want 18, PACA with 6 départements", regions)
	}
	for _, c := range []struct{ insee, postal, want string }{
		{"13201", "13001", "Bouches-du-Rhône"}, {"", "20000", "Corse-du-Sud"}, {"2B033", "20200", "Haute-Corse"},
		{"97411", "97400", "La Réunion"}, {"", "98800", ""},
	} {
		p := Place{CodeINSEE: c.insee, CodePostal: c.postal}
		d, ok := DepartementByCode(p.Departement())
		if d.Name != c.want || ok != (c.want != "") {
			t.Errorf("DepartementByCode(%q) = %v, %v; want %q", p.Departement(), d, ok, c.want)
		}
	}
}

package main

import (
	"fmt"
	"io"

	"github.com/maillage/maillage/catalogue"
)

// printNextSteps tells, once at start, what a fresh instance lacks: the
// first account of /admin, and places in the catalogue. It says nothing
// once both are there.
func printNextSteps(w io.Writer, s *Server) error {
	users, err := s.store.Users()
	if err != nil {
		return err
	}
	places, err := s.store.Places(catalogue.PlaceQuery{Limit: 1, Records: true})
	if err != nil {
		return err
	}
	if len(users) > 0 && places.Total > 0 {
		return nil
	}
	fmt.Fprintf(w, "\nProchaines étapes pour %s :\n", s.base)
	if len(users) == 0 {
		fmt.Fprintf(w, "  - créer le premier compte d'administration (le mot de passe est demandé ensuite) :\n"+
			"      maillage user add --data %s --email vous@exemple.fr --role admin\n"+
			"    puis se connecter sur %s/admin/connexion\n", s.Config.Data, s.base)
	}
	if places.Total == 0 {
		fmt.Fprintf(w, "  - remplir le catalogue : importer un fichier du standard national sur %s/admin/import\n"+
			"    (ou maillage import --data %s FICHIER, instance arrêtée),\n"+
			"    ou charger les lieux d'exemple d'un clic sur %s/admin (ou en relançant avec maillage serve --demo-seed --handle arsenic13)\n",
			s.base, s.Config.Data, s.base)
	}
	fmt.Fprintln(w)
	return nil
}

// loadSample fills an empty catalogue with the sample data of
// --demo-seed, for the admin home's button: this network's when its
// handle is one of the demo's, else Arsenic 13's (Bouches-du-Rhône).
// The admin pages check that the catalogue is empty first; this checks
// again, and loads nothing into a catalogue with places of its own.
func (s *Server) loadSample() (int, error) {
	res, err := s.store.Places(catalogue.PlaceQuery{Network: "local", Limit: 1, Records: true})
	if err != nil {
		return 0, err
	}
	if res.Total > 0 {
		return 0, fmt.Errorf("données d'exemple : le catalogue n'est pas vide (%d lieux)", res.Total)
	}
	st, err := s.store.Settings()
	if err != nil {
		return 0, err
	}
	n, seed := demoTerritory[0], 0
	for i, d := range demoTerritory {
		if d.handle == st.Handle && d.places > 0 {
			n, seed = d, i
		}
	}
	return seedDemo(s.store, n, seed)
}

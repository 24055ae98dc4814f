// Command mkfixture writes a small, representative Maillage store with the
// storage package of the checkout it is built in: the database fixtures
// of storage/testdata/upgrade are made by it, one per schema version.
//
//	go run ./cmd/mkfixture DIR
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

const base = "https://reseau.example"

var now = time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)

func main() {
	if err := build(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "mkfixture:", err)
		os.Exit(1)
	}
}

func fl(f float64) *float64 { return &f }

func build(dir string) error {
	clock := now
	st, err := storage.Open(dir, storage.Options{BaseURL: base, Now: func() time.Time { return clock }})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.SetSettings(storage.Settings{Name: "Réseau fixture", Handle: "fixture"}); err != nil {
		return err
	}
	if err := federate(st); err != nil { // the publisher first: local changes fill the outbox
		return err
	}
	communes := []struct{ nom, cp, insee string }{
		{"Marseille", "13002", "13202"}, {"Aix-en-Provence", "13100", "13001"}, {"Arles", "13200", "13004"},
		{"Toulon", "83000", "83137"}, {"Avignon", "84000", "84007"},
	}
	var places []*catalogue.Place
	for i, c := range communes {
		p := &catalogue.Place{
			Pivot: fmt.Sprintf("%014d", 21130000000000+i), Nom: fmt.Sprintf("Espace numérique %s", c.nom),
			Adresse: fmt.Sprintf("%d rue de la République", i+1), CodePostal: c.cp, Commune: c.nom, CodeINSEE: c.insee,
			Latitude: fl(43.3 + float64(i)/10), Longitude: fl(5.4 + float64(i)/10),
			Typologie: []string{"TIERS_LIEUX"}, Services: []string{"aide-aux-demarches-administratives", "maitrise-des-outils-numeriques-du-quotidien"},
			Horaires: "Mo-Fr 09:00-12:00,14:00-17:00", Telephone: "0491000000", Courriels: []string{"contact@reseau.example"},
			PresentationResume: "Accompagnement au numérique pour tous.", Frais: []string{"gratuit"}, DateMaj: "2026-01-05",
		}
		if err := st.CreatePlace(p); err != nil {
			return fmt.Errorf("place %d: %w", i, err)
		}
		places = append(places, p)
	}
	clock = clock.Add(time.Hour)
	edited := *places[0]
	edited.Horaires = "Mo-Sa 09:00-12:00"
	if err := st.UpdatePlace(places[0].ID, &edited); err != nil {
		return err
	}
	for i, p := range places[:3] {
		e := &catalogue.Event{
			Nom: fmt.Sprintf("Atelier smartphone %d", i+1), Description: "Prendre en main son téléphone.",
			Debut: now.AddDate(0, 0, 7+i), Fin: now.AddDate(0, 0, 7+i).Add(2 * time.Hour), Lieu: p.ID,
			Services: []string{"maitrise-des-outils-numeriques-du-quotidien"}, Statut: "confirme",
		}
		if i == 2 {
			e.Recurrence = "FREQ=WEEKLY;BYDAY=WE"
		}
		if err := st.CreateEvent(e); err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
	}
	clock = clock.Add(time.Hour)
	if err := st.DeletePlace(places[4].ID); err != nil { // a tombstone
		return err
	}
	if err := st.AddUser("admin@reseau.example", "admin", "un mot de passe solide"); err != nil {
		return err
	}
	if err := st.AddUser("editeur@reseau.example", "editor", "un autre mot de passe"); err != nil {
		return err
	}
	if _, err := st.CreateToken("fixture", "admin"); err != nil {
		return err
	}
	if err := remote(st); err != nil {
		return err
	}
	return st.Check()
}

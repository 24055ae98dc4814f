package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
	"github.com/maillage/maillage/storage"
)

// demoNetwork is one instance of the demo territory.
type demoNetwork struct {
	name, handle string
	depts        []string // départements its places are drawn from
	places       int
	relay        bool
	follows      []string // handles
}

// demoTerritory: three departmental networks of Provence-Alpes-Côte
// d'Azur and their relaying region, another region with one network, and
// a national instance following both regions.
var demoTerritory = []demoNetwork{
	{name: "Arsenic 13", handle: "arsenic13", depts: []string{"13"}, places: 14},
	{name: "Arsenic 83", handle: "arsenic83", depts: []string{"83"}, places: 9},
	{name: "Arsenic 84", handle: "arsenic84", depts: []string{"84"}, places: 7},
	{name: "Arsenic PACA", handle: "paca", depts: []string{"04", "05", "06"}, places: 6, relay: true,
		follows: []string{"arsenic13", "arsenic83", "arsenic84"}},
	{name: "Numérique 34", handle: "numerique34", depts: []string{"34"}, places: 8},
	{name: "Occitanie numérique", handle: "occitanie", depts: []string{"31"}, places: 5, relay: true,
		follows: []string{"numerique34"}},
	{name: "France médiation numérique", handle: "france", follows: []string{"paca", "occitanie"}},
}

// demo runs the territory until ctx ends.
func demo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo", "lance un territoire de 7 instances fédérées avec des données d'exemple, jusqu'à Ctrl-C.")
	base := fs.Int("listen-base", 8080, "premier `PORT` ; les instances prennent les suivants (0 : des ports libres quelconques)")
	host := fs.String("host", "localhost", "nom d'`HOTE` par lequel on joint les instances")
	dir := fs.String("data", "", "répertoire `DIR` des données des instances (par défaut un répertoire temporaire, supprimé à la fin)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dir == "" {
		tmp, err := os.MkdirTemp("", "maillage-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		*dir = tmp
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	servers := map[string]*Server{}
	want := 0 // places the national instance should end up with
	defer func() {
		for _, s := range servers {
			s.Close()
		}
	}()
	fmt.Fprintln(stdout, "Maillage — démonstration : un territoire de réseaux fédérés")
	for i, n := range demoTerritory {
		listen := net.JoinHostPort(*host, "0")
		if *base != 0 {
			listen = net.JoinHostPort(*host, strconv.Itoa(*base+i))
		}
		srv := &Server{Logger: quiet, Config: Config{
			Data: fmt.Sprintf("%s/%s", *dir, n.handle), Listen: listen, Name: n.name, Handle: n.handle,
			Relay: n.relay, AllowPrivate: true,
		}}
		if err := srv.Open(ctx); err != nil {
			return fmt.Errorf("%s : %w", n.name, err)
		}
		servers[n.handle] = srv
		token, err := srv.Store().CreateToken("démonstration", storage.RoleAdmin)
		if err != nil {
			return err
		}
		email, password, err := demoLogin(srv.Store(), n.handle)
		if err != nil {
			return fmt.Errorf("%s : compte de connexion : %w", n.name, err)
		}
		seeded, err := seedDemo(srv.Store(), n, i)
		if err != nil {
			return fmt.Errorf("%s : données d'exemple : %w", n.name, err)
		}
		want += seeded
		role := "réseau départemental"
		switch {
		case n.handle == "france":
			role = "niveau national"
		case n.relay:
			role = "région, relaie ses réseaux"
		}
		fmt.Fprintf(stdout, "  %-28s %-26s %s  jeton : %s\n", n.name, srv.BaseURL(), role, token)
		fmt.Fprintf(stdout, "  %-28s %s/admin  connexion : %s  mot de passe : %s\n", "", srv.BaseURL(), email, password)
	}

	start := time.Now()
	for _, n := range demoTerritory {
		for _, target := range n.follows {
			// The host the target calls itself: its WebFinger domain.
			u, err := url.Parse(servers[target].BaseURL())
			if err != nil {
				return err
			}
			acct := target + "@" + u.Host
			if _, err := servers[n.handle].fed.Follow(ctx, acct); err != nil {
				return fmt.Errorf("%s suit %s : %w", n.name, target, err)
			}
		}
	}
	want-- // Arsenic 84 and Arsenic PACA both publish the Médiathèque Ceccano: one place
	fmt.Fprintf(stdout, "Agrégation vers %s (%d lieux attendus)…\n", servers["france"].BaseURL(), want)
	national := servers["france"].Store()
	last := -1
	for {
		res, err := national.Places(catalogue.PlaceQuery{Limit: 1})
		if err != nil {
			return err
		}
		if res.Total != last {
			fmt.Fprintf(stdout, "  %5.1f s : %d lieux au niveau national\n", time.Since(start).Seconds(), res.Total)
			last = res.Total
		}
		if res.Total >= want {
			break
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(100 * time.Millisecond):
		}
		if time.Since(start) > 2*time.Minute {
			return errors.New("l'agrégation n'a pas convergé en 2 minutes")
		}
	}
	fmt.Fprintf(stdout, "Convergé en %.1f s. Ouvrez %s/ ; Ctrl-C pour arrêter.\n", time.Since(start).Seconds(), servers["france"].BaseURL())
	<-ctx.Done()
	fmt.Fprintln(stdout, "Arrêt des instances…")
	return nil
}

// demoLogin makes the instance's admin account: admin@HANDLE.demo with a
// generated password, both returned for the demo to print.
func demoLogin(st *storage.Store, handle string) (email, password string, err error) {
	b := make([]byte, 9)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	email, password = "admin@"+handle+".demo", base64.RawURLEncoding.EncodeToString(b)
	err = st.AddUser(email, storage.RoleAdmin, password)
	if errors.Is(err, storage.ErrConflict) { // a --data directory used before
		return email, "(inchangé)", nil
	}
	return email, password, err
}

// seedDemo gives a network plausible places from its départements, a
// weekly atelier at each, and, for Arsenic 84 and Arsenic PACA, the same
// médiathèque.
func seedDemo(st *storage.Store, n demoNetwork, seed int) (int, error) {
	var places []*catalogue.Place
	if n.places > 0 {
		for _, p := range sample.Places(6000, uint64(seed+1)) {
			for _, d := range n.depts {
				if p.Departement() == d && len(places) < n.places {
					places = append(places, p)
				}
			}
		}
	}
	if n.handle == "arsenic84" || n.handle == "paca" {
		lat, lon := 43.9463, 4.8059
		shared := &catalogue.Place{
			Pivot: "21840007600013", Nom: "Médiathèque Ceccano", Adresse: "2 bis rue Laboureur",
			CodePostal: "84000", Commune: "Avignon", CodeINSEE: "84007", Latitude: &lat, Longitude: &lon,
			Horaires: "Tu,Th,Fr 13:00-18:00; We,Sa 10:00-18:00; PH off", DateMaj: "2026-09-15",
			Services: []string{"Accès internet et matériel informatique", "Maîtrise des outils numériques du quotidien"},
		}
		shared.Normalize()
		if err := shared.Validate(); err != nil {
			return 0, err
		}
		places = append(places, shared)
	}
	if len(places) == 0 {
		return 0, nil
	}
	if err := st.CreatePlaces(places); err != nil {
		return 0, err
	}
	// A weekly atelier at each place, on Wednesdays at 14:00 from next week.
	now := time.Now().In(catalogue.Paris)
	wed := time.Date(now.Year(), now.Month(), now.Day(), 14, 0, 0, 0, catalogue.Paris)
	for wed.Weekday() != time.Wednesday || !wed.After(now) {
		wed = wed.AddDate(0, 0, 1)
	}
	var events []*catalogue.Event
	for i, p := range places {
		start := wed.AddDate(0, 0, i%2)
		e := &catalogue.Event{
			Nom:         "Atelier numérique : " + []string{"prendre en main son smartphone", "démarches en ligne", "messagerie et visio"}[i%3],
			Description: "<p>Atelier gratuit en petit groupe, sur inscription auprès de l'accueil.</p>",
			Lieu:        p.ID, Debut: start, Fin: start.Add(2 * time.Hour),
			Recurrence: "FREQ=WEEKLY;COUNT=12",
		}
		e.Normalize()
		if err := e.Validate(); err != nil {
			return 0, err
		}
		events = append(events, e)
	}
	if err := st.CreateEvents(events); err != nil {
		return 0, err
	}
	if n.handle == "arsenic84" {
		if err := seedMobileUnit(st, wed); err != nil {
			return 0, err
		}
		return len(places) + 1, nil
	}
	return len(places), nil
}

// seedMobileUnit adds a mobile unit based in Apt and its weekly stops at
// Saignon and Bonnieux, two villages of the Luberon (mobile mediation,
// "hors les murs": see docs/API.md, "etape").
func seedMobileUnit(st *storage.Store, wed time.Time) error {
	lat, lon := 43.8765, 5.3964
	bus := &catalogue.Place{
		Pivot: catalogue.UnknownPivot, Nom: "Bus numérique du Luberon", Adresse: "Place Gabriel Péri",
		CodePostal: "84400", Commune: "Apt", CodeINSEE: "84003", Latitude: &lat, Longitude: &lon,
		DateMaj: "2026-09-15", Itinerance: []string{"Itinérant"}, Telephone: "0490000000",
		Services:           []string{"Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien"},
		PresentationResume: "Un minibus équipé qui s'arrête chaque semaine dans les villages sans lieu de médiation.",
	}
	bus.Normalize()
	if err := bus.Validate(); err != nil {
		return err
	}
	if err := st.CreatePlace(bus); err != nil {
		return err
	}
	var stops []*catalogue.Event
	for i, at := range []catalogue.Stop{
		{Nom: "Salle des fêtes", Adresse: "Place de la Mairie", CodePostal: "84400", Commune: "Saignon"},
		{Nom: "Place du marché", CodePostal: "84480", Commune: "Bonnieux"},
	} {
		start := wed.AddDate(0, 0, 1+i).Add(-4 * time.Hour) // Thursday and Friday at 10:00
		e := &catalogue.Event{Nom: "Permanence numérique du bus", Lieu: bus.ID, Etape: &at,
			Description: "<p>Aide aux démarches en ligne et au smartphone, sans rendez-vous.</p>",
			Debut:       start, Fin: start.Add(3 * time.Hour), Recurrence: "FREQ=WEEKLY;COUNT=12", Frais: []string{"Gratuit"}}
		e.Normalize()
		if err := e.Validate(); err != nil {
			return err
		}
		stops = append(stops, e)
	}
	return st.CreateEvents(stops)
}

// health checks that an instance answers /healthz: the health check of
// containers, whose image has no curl.
func health(ctx context.Context, args []string) error {
	fs := newFlagSet("health", "vérifie qu'une instance répond (/healthz), pour les health checks des conteneurs.")
	url := fs.String("url", "http://localhost:8080", "`URL` de base de l'instance")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(*url, "/")+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("l'instance ne répond pas : %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("l'instance répond %d", resp.StatusCode)
	}
	return nil
}

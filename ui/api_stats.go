package ui

import (
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// The coordinators' view: what the catalogue holds, where it has gaps,
// and how fresh it is. GET /api/v1/stats.

// statsStaleAfter is how old a place's last update may be before it is stale.
const statsStaleAfter = 365 * 24 * time.Hour

type count struct {
	Key    string `json:"key"`
	Label  string `json:"label,omitempty"`
	Places int    `json:"places"`
}

type networkStats struct {
	Network  catalogue.Network `json:"network"`
	Places   int               `json:"places"`
	Events   int               `json:"events_a_venir"`
	Fresh    int               `json:"a_jour"`
	Stale    []staleJSON       `json:"perimes"`
	FreshPct float64           `json:"part_a_jour"`
}

type staleJSON struct {
	ID      string `json:"id"`
	Nom     string `json:"nom"`
	Commune string `json:"commune"`
	Depuis  string `json:"mis_a_jour"`
}

type statsJSON struct {
	Places        int            `json:"lieux"`
	Events        int            `json:"evenements_a_venir"`
	Departements  []count        `json:"par_departement"`
	Communes      []count        `json:"par_commune"`
	Services      []count        `json:"par_service"`
	Publics       []count        `json:"par_public"`
	Labels        []count        `json:"par_label"`
	Networks      []networkStats `json:"par_reseau"`
	MissingDepts  []string       `json:"departements_sans_lieu"`
	MissingServ   []string       `json:"services_sans_lieu"`
	FreshPct      float64        `json:"part_a_jour"`
	StaleAfterDay int            `json:"perime_apres_jours"`
}

// departements are the codes of every French département.
var departements = func() []string {
	var out []string
	for i := 1; i <= 95; i++ {
		if i == 20 {
			out = append(out, "2A", "2B")
			continue
		}
		out = append(out, fmt.Sprintf("%02d", i))
	}
	return append(out, "971", "972", "973", "974", "976")
}()

func (s *server) stats(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	depts, communes, services, publics, labels := map[string]int{}, map[string]*count{}, map[string]int{}, map[string]int{}, map[string]int{}
	networks := map[string]*networkStats{}
	out := statsJSON{StaleAfterDay: int(statsStaleAfter.Hours() / 24), Communes: []count{}, Networks: []networkStats{}}
	fresh := 0
	err := s.store.EachPlace(func(p *catalogue.Place) error {
		out.Places++
		if d := p.Departement(); d != "" {
			depts[d]++
		}
		key := p.CodeINSEE
		if key == "" {
			key = p.CodePostal + " " + p.Commune
		}
		if c := communes[key]; c != nil {
			c.Places++
		} else {
			communes[key] = &count{Key: key, Label: p.Commune, Places: 1}
		}
		for _, v := range p.Services {
			services[v]++
		}
		for _, v := range p.Publics {
			publics[v]++
		}
		for _, list := range [][]string{p.Dispositifs, p.FormationsLabels, p.AutresLabels} {
			for _, v := range list {
				labels[v]++
			}
		}
		n := networks[p.Network.Actor]
		if n == nil {
			n = &networkStats{Network: p.Network, Stale: []staleJSON{}}
			networks[p.Network.Actor] = n
		}
		n.Places++
		updated := p.Updated
		if d, err := time.Parse("2006-01-02", p.DateMaj); err == nil {
			updated = d
		}
		if now.Sub(updated) <= statsStaleAfter {
			n.Fresh++
			fresh++
		} else {
			n.Stale = append(n.Stale, staleJSON{ID: p.ID, Nom: p.Nom, Commune: p.Commune, Depuis: updated.Format("2006-01-02")})
		}
		return nil
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	events, err := s.store.Events(catalogue.EventQuery{From: now, Limit: 1})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out.Events = events.Total
	for actor, n := range networks {
		res, err := s.store.Events(catalogue.EventQuery{From: now, Network: actor, Limit: 1})
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		n.Events = res.Total
		n.FreshPct = share(n.Fresh, n.Places)
		out.Networks = append(out.Networks, *n)
	}
	sort.Slice(out.Networks, func(i, j int) bool {
		a, b := out.Networks[i], out.Networks[j]
		return a.Network.Local || !b.Network.Local && a.Network.Name < b.Network.Name
	})
	out.Departements = counts(depts)
	for _, c := range communes {
		out.Communes = append(out.Communes, *c)
	}
	sortCounts(out.Communes)
	out.Services, out.Publics, out.Labels = counts(services), counts(publics), counts(labels)
	out.MissingDepts = []string{}
	for _, d := range departements {
		if depts[d] == 0 {
			out.MissingDepts = append(out.MissingDepts, d)
		}
	}
	out.MissingServ = []string{}
	for _, v := range catalogue.Services.Values {
		if services[v] == 0 {
			out.MissingServ = append(out.MissingServ, v)
		}
	}
	out.FreshPct = share(fresh, out.Places)
	writeJSON(w, http.StatusOK, out)
}

func share(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(int(1000*float64(n)/float64(total)+0.5)) / 1000
}

func counts(m map[string]int) []count {
	out := make([]count, 0, len(m))
	for k, n := range m {
		out = append(out, count{Key: k, Places: n})
	}
	sortCounts(out)
	return out
}

// sortCounts orders by number of places, then key.
func sortCounts(c []count) {
	sort.Slice(c, func(i, j int) bool {
		if c[i].Places != c[j].Places {
			return c[i].Places > c[j].Places
		}
		return c[i].Key < c[j].Key
	})
}

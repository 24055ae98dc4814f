package server

import (
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// The coordinators' view: what the catalogue holds, where it has gaps,
// and how fresh it is. GET /api/v1/stats.

// statsStaleAfter is how old a place's last update may be before it is stale.
const statsStaleAfter = 365 * 24 * time.Hour

type Count struct {
	Key    string `json:"key"`
	Label  string `json:"label,omitempty"`
	Places int    `json:"places"`
}

type NetworkStats struct {
	Network  catalogue.Network `json:"network"`
	Places   int               `json:"places"`
	Events   int               `json:"events_a_venir"`
	Fresh    int               `json:"a_jour"`
	Stale    []StaleJSON       `json:"perimes"`
	FreshPct float64           `json:"part_a_jour"`
}

type StaleJSON struct {
	ID      string `json:"id"`
	Nom     string `json:"nom"`
	Commune string `json:"commune"`
	Depuis  string `json:"mis_a_jour"`
}

type StatsJSON struct {
	Filter        StatsFilter    `json:"filtre"`
	Places        int            `json:"lieux"`
	Events        int            `json:"evenements_a_venir"`
	Departements  []Count        `json:"par_departement"`
	Communes      []Count        `json:"par_commune"`
	Services      []Count        `json:"par_service"`
	Publics       []Count        `json:"par_public"`
	Labels        []Count        `json:"par_label"`
	Networks      []NetworkStats `json:"par_reseau"`
	Regions       []RegionStats  `json:"par_region"`
	MissingDepts  []string       `json:"departements_sans_lieu"`
	MissingServ   []string       `json:"services_sans_lieu"`
	FreshPct      float64        `json:"part_a_jour"`
	StaleAfterDay int            `json:"perime_apres_jours"`
}

type RegionStats struct {
	Nom     string   `json:"nom"`
	Places  int      `json:"lieux"`
	Missing []string `json:"departements_sans_lieu"`
}

// StatsFilter narrows the figures to one network ("local" or an actor
// URL) and one département; empty fields narrow nothing.
type StatsFilter struct {
	Network     string `json:"network,omitempty"`
	Departement string `json:"departement,omitempty"`
}

// StatsFilterOf reads the filter's query parameters, network and
// departement, as the place list reads them.
func StatsFilterOf(r *http.Request) (StatsFilter, error) {
	p := &QueryParser{V: r.URL.Query()}
	f := StatsFilter{Network: strings.TrimSpace(p.V.Get("network")), Departement: p.Departement()}
	return f, p.Err()
}

// StatsCacheFor is how long figures are kept when the catalogue does not
// change: "upcoming" and "stale" move with the clock.
const StatsCacheFor = time.Minute

// StatsCache keeps the figures of each filter computed since the last
// change of the catalogue, so a page viewed often walks it once.
type StatsCache struct {
	mu      sync.Mutex
	changes uint64
	entries map[StatsFilter]statsEntry
}

type statsEntry struct {
	at  time.Time
	out StatsJSON
}

// maxStatsEntries bounds the cache: the filters are a network and a
// département, so a few hundred combinations at most are ever asked.
const maxStatsEntries = 256

// ComputeStats answers the figures of the filter at the time s.Now gives:
// from the cache when the catalogue has not changed since they were
// computed, less than StatsCacheFor ago. The JSON API and the
// /statistiques page both show its answer, and must not change it.
func (s *Server) ComputeStats(f StatsFilter) (StatsJSON, error) {
	now, changes := s.Now(), s.Store.Changes()
	c := &s.Figures
	c.mu.Lock()
	if c.entries == nil || c.changes != changes || len(c.entries) >= maxStatsEntries {
		c.changes, c.entries = changes, map[StatsFilter]statsEntry{}
	}
	e, ok := c.entries[f]
	c.mu.Unlock()
	if ok && !now.Before(e.at) && now.Sub(e.at) < StatsCacheFor {
		return e.out, nil
	}
	out, err := s.walkStats(f, now)
	if err != nil {
		return out, err
	}
	c.mu.Lock()
	if c.changes == changes {
		c.entries[f] = statsEntry{at: now, out: out}
	}
	c.mu.Unlock()
	return out, nil
}

// walkStats walks the catalogue once and counts what the filter keeps, at
// the time now.
func (s *Server) walkStats(f StatsFilter, now time.Time) (StatsJSON, error) {
	local := s.Store.ActorIRI()
	depts, communes, services, publics, labels := map[string]int{}, map[string]*Count{}, map[string]int{}, map[string]int{}, map[string]int{}
	networks := map[string]*NetworkStats{}
	out := StatsJSON{Filter: f, StaleAfterDay: int(statsStaleAfter.Hours() / 24), Communes: []Count{}, Networks: []NetworkStats{}}
	fresh := 0
	err := s.Store.EachPlace(func(p *catalogue.Place) error {
		if !f.match(p, local) {
			return nil
		}
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
			communes[key] = &Count{Key: key, Label: p.Commune, Places: 1}
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
			n = &NetworkStats{Network: p.Network, Stale: []StaleJSON{}}
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
			n.Stale = append(n.Stale, StaleJSON{ID: p.ID, Nom: p.Nom, Commune: p.Commune, Depuis: updated.Format("2006-01-02")})
		}
		return nil
	})
	if err != nil {
		return StatsJSON{}, err
	}
	events, err := s.Store.Events(catalogue.EventQuery{From: now, Network: f.Network, Departement: f.Departement, Limit: 1})
	if err != nil {
		return StatsJSON{}, err
	}
	out.Events = events.Total
	for actor, n := range networks {
		res, err := s.Store.Events(catalogue.EventQuery{From: now, Network: actor, Departement: f.Departement, Limit: 1})
		if err != nil {
			return StatsJSON{}, err
		}
		n.Events = res.Total
		n.FreshPct = Share(n.Fresh, n.Places)
		// Oldest first: the first to update.
		sort.Slice(n.Stale, func(i, j int) bool {
			a, b := n.Stale[i], n.Stale[j]
			return a.Depuis < b.Depuis || a.Depuis == b.Depuis && a.Nom < b.Nom
		})
		out.Networks = append(out.Networks, *n)
	}
	sort.Slice(out.Networks, func(i, j int) bool {
		a, b := out.Networks[i], out.Networks[j]
		return a.Network.Local || !b.Network.Local && a.Network.Name < b.Network.Name
	})
	out.Departements = Counts(depts)
	for i, c := range out.Departements {
		if d, ok := catalogue.DepartementByCode(c.Key); ok {
			out.Departements[i].Label = d.Name
		}
	}
	for _, c := range communes {
		out.Communes = append(out.Communes, *c)
	}
	SortCounts(out.Communes)
	out.Services, out.Publics, out.Labels = Counts(services), Counts(publics), Counts(labels)
	out.MissingDepts, out.Regions = []string{}, []RegionStats{}
	regions := map[string]*RegionStats{}
	for _, d := range catalogue.Departements {
		r := regions[d.Region]
		if r == nil {
			r = &RegionStats{Nom: d.Region, Missing: []string{}}
			regions[d.Region] = r
		}
		r.Places += depts[d.Code]
		// Within one département, the others have no place by definition.
		if depts[d.Code] == 0 && f.Departement == "" {
			out.MissingDepts = append(out.MissingDepts, d.Code)
			r.Missing = append(r.Missing, d.Code)
		}
	}
	for _, r := range regions {
		if r.Places > 0 {
			out.Regions = append(out.Regions, *r)
		}
	}
	sort.Slice(out.Regions, func(i, j int) bool {
		a, b := out.Regions[i], out.Regions[j]
		return a.Places > b.Places || a.Places == b.Places && a.Nom < b.Nom
	})
	out.MissingServ = []string{}
	for _, v := range catalogue.Services.Values {
		if services[v] == 0 {
			out.MissingServ = append(out.MissingServ, v)
		}
	}
	out.FreshPct = Share(fresh, out.Places)
	return out, nil
}

// match reports whether the filter keeps a place; local is the local
// network's actor URL.
func (f StatsFilter) match(p *catalogue.Place, local string) bool {
	switch {
	case f.Network == "":
	case f.Network == "local" || f.Network == local:
		if !p.Network.Local {
			return false
		}
	case p.Network.Actor != f.Network:
		return false
	}
	return f.Departement == "" || p.Departement() == f.Departement
}

func Share(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(int(1000*float64(n)/float64(total)+0.5)) / 1000
}

func Counts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{Key: k, Places: n})
	}
	SortCounts(out)
	return out
}

// sortCounts orders by number of places, then key.
func SortCounts(c []Count) {
	sort.Slice(c, func(i, j int) bool {
		if c[i].Places != c[j].Places {
			return c[i].Places > c[j].Places
		}
		return c[i].Key < c[j].Key
	})
}

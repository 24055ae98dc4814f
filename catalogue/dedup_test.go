package catalogue

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestSamePlace(t *testing.T) {
	at := func(lat, lon float64) (*float64, *float64) { return &lat, &lon }
	place := func(pivot, nom, adresse, insee string, lat, lon float64) *Place {
		p := &Place{Pivot: pivot, Nom: nom, Adresse: adresse, CodeINSEE: insee, Commune: "x", CodePostal: "00000"}
		if lat != 0 {
			p.Latitude, p.Longitude = at(lat, lon)
		}
		return p
	}
	const unknown = "00000000000000"
	cases := []struct {
		name string
		a, b *Place
		want bool
	}{
		{"same SIRET, same commune, other spelling",
			place("21840007600013", "Médiathèque Ceccano", "2 bis rue Laboureur", "84007", 43.9463, 4.8059),
			place("21840007600013", "Bibliothèque Ceccano (Avignon)", "2bis, r. Laboureur", "84007", 43.9470, 4.8060), true},
		{"same SIRET reused by a branch in another commune",
			place("21830137300019", "Médiathèque de Toulon", "1 place Besagne", "83137", 43.1226, 5.9336),
			place("21830137300019", "Médiathèque du Pont-du-Las", "5 rue Dumont d'Urville", "83061", 43.1300, 5.9000), false},
		{"two valid SIRETs at the same address: two structures",
			place("21130055300016", "France Services Marseille 3e", "20 rue Loubon", "13203", 43.3110, 5.3800),
			place("78490112300025", "France Services Marseille 3e", "20 rue Loubon", "13203", 43.3110, 5.3800), false},
		{"same name in two towns (Toulon and Fréjus)",
			place(unknown, "Médiathèque municipale", "Place de la Liberté", "83137", 43.1242, 5.9280),
			place(unknown, "Médiathèque municipale", "Place de la Liberté", "83061", 43.4330, 6.7370), false},
		{"unknown pivots, same place, 40 m apart, abbreviated street",
			place(unknown, "Espace Public Numérique de la Joliette", "12 bd de Dunkerque", "13202", 43.30560, 5.36780),
			place(unknown, "Espace public numérique Joliette", "12, boulevard de Dunkerque", "13202", 43.30590, 5.36760), true},
		{"a typo in the name",
			place(unknown, "Médiathèque Louis Aragon", "Avenue Jean Jaurès", "13055", 43.30, 5.40),
			place(unknown, "Mediatheque Louis Aragonn", "av. Jean-Jaurès", "13055", 43.3001, 5.4001), true},
		{"same building, two structures",
			place(unknown, "CCAS de Marseille", "10 rue Sainte-Barbe", "13201", 43.3000, 5.3760),
			place(unknown, "Médiathèque Saint-Charles", "10 rue Sainte-Barbe", "13201", 43.3000, 5.3760), false},
		{"same name 500 m apart: two branches",
			place(unknown, "Cyberbase", "1 rue de la Paix", "75056", 48.8690, 2.3310),
			place(unknown, "Cyberbase", "30 rue de Rivoli", "75056", 48.8650, 2.3280), false},
		{"missing coordinates, same address",
			place(unknown, "Tiers-lieu La Fabrique", "3 chemin des Vignes", "84031", 0, 0),
			place(unknown, "La Fabrique (tiers-lieu)", "3 ch. des Vignes", "84031", 0, 0), true},
		{"missing coordinates, other number",
			place(unknown, "Tiers-lieu La Fabrique", "3 chemin des Vignes", "84031", 0, 0),
			place(unknown, "Tiers-lieu La Fabrique", "30 chemin des Vignes", "84031", 0, 0), false},
		{"one shared generic word is not enough",
			place(unknown, "Médiathèque", "1 place de la Mairie", "13055", 43.3, 5.4),
			place(unknown, "Médiathèque Bonneveine", "1 place de la Mairie", "13055", 43.3, 5.4), false},
		{"close by, names alike, but other street numbers",
			place(unknown, "EPN Belsunce", "58 cours Belsunce", "13201", 43.2989, 5.3782),
			place(unknown, "EPN Belsunce", "16 cours Belsunce", "13201", 43.2995, 5.3780), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := SamePlace(c.a, c.b); got != c.want {
				t.Errorf("SamePlace = %v; want %v", got, c.want)
			}
			if got := SamePlace(c.b, c.a); got != c.want {
				t.Errorf("SamePlace (reversed) = %v; want %v", got, c.want)
			}
			// A store finds b from a by their match keys whenever they
			// are the same place.
			if c.want && (!shareKey(MatchLookups(c.a), MatchKeys(c.b)) || !shareKey(MatchLookups(c.b), MatchKeys(c.a))) {
				t.Errorf("MatchLookups %v and MatchKeys %v share no key", MatchLookups(c.a), MatchKeys(c.b))
			}
		})
	}
}

func TestMergePlaces(t *testing.T) {
	older := &Place{ID: "a", APID: "https://a13.example/lieux/a", Network: Network{Name: "Arsenic 84"},
		Updated: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Pivot: "21840007600013", Nom: "Médiathèque Ceccano",
		Telephone: "+33490851559", Horaires: "Tu-Sa 10:00-18:00", Services: []string{"Accéder à une connexion internet"},
		Courriels: []string{"ceccano@mairie-avignon.fr"}}
	newer := &Place{ID: "b", APID: "https://paca.example/lieux/b", Network: Network{Name: "Arsenic PACA"},
		Updated: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), Pivot: "00000000000000", Nom: "Médiathèque Ceccano d'Avignon",
		Horaires: "Tu,Th,Fr 13:00-18:00; We,Sa 10:00-18:00", Services: []string{"Prendre en main un smartphone ou une tablette", "Accéder à une connexion internet"}}
	m, sources := MergePlaces([]*Place{older, newer})
	switch {
	case m.ID != "b" || m.Nom != "Médiathèque Ceccano d'Avignon" || m.Horaires != newer.Horaires:
		t.Errorf("the newest record should lead: %+v", m)
	case m.Pivot != "21840007600013" || m.Telephone != "+33490851559":
		t.Errorf("fields the newest lacks come from the older: pivot %q, téléphone %q", m.Pivot, m.Telephone)
	case len(m.Services) != 2 || len(m.Courriels) != 1:
		t.Errorf("lists should be united: services %v, courriels %v", m.Services, m.Courriels)
	case len(sources) != 2 || sources[0].Network.Name != "Arsenic PACA" || sources[1].APID != older.APID:
		t.Errorf("sources %+v", sources)
	}
	if older.Telephone != "+33490851559" || len(newer.Services) != 2 || newer.Pivot != "00000000000000" {
		t.Error("MergePlaces changed its arguments")
	}
}

func shareKey(lookups, keys []string) bool {
	for _, l := range lookups {
		if slices.Contains(keys, l) {
			return true
		}
	}
	return false
}

// TestMatchKeysNear: two points at most 100 m apart always share a cell
// among the lookups, anywhere in France, across cell edges.
func TestMatchKeysNear(t *testing.T) {
	for _, lat := range []float64{-21.1151, 14.6415, 41.9192, 43.2965, 48.8566, 51.0344} {
		for i := range 200 {
			a := &Place{Latitude: ptrTo(lat + float64(i)*0.00037), Longitude: ptrTo(2.0 + float64(i)*0.00091)}
			for _, d := range [][2]float64{{0.0009, 0}, {0, 0.0009}, {-0.0006, 0.0006}, {0.0006, -0.0006}} {
				bLat, bLon := *a.Latitude+d[0], *a.Longitude+d[1]/math.Cos(lat*math.Pi/180)
				b := &Place{Latitude: &bLat, Longitude: &bLon}
				if DistanceKm(LatLon{*a.Latitude, *a.Longitude}, LatLon{bLat, bLon}) > maxSameDistanceKm {
					continue
				}
				if !shareKey(MatchLookups(a), MatchKeys(b)) {
					t.Fatalf("(%v, %v) and (%v, %v) share no cell", *a.Latitude, *a.Longitude, bLat, bLon)
				}
			}
		}
	}
}

func ptrTo(f float64) *float64 { return &f }

// TestMergePlacesKeepsTheLocalRecord: a look-alike of one of our places
// from another network, dated in the future, with a scam phone, web site
// and hours, changes none of what the owner says; it only adds.
func TestMergePlacesKeepsTheLocalRecord(t *testing.T) {
	lat, lon := 43.2965, 5.3698
	ours := &Place{ID: "ours", APID: "https://a13.example/lieux/ours", Network: Network{Local: true},
		Updated: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Nom: "Médiathèque de l'Alcazar",
		Adresse: "58 cours Belsunce", CodePostal: "13001", Commune: "Marseille", Latitude: &lat, Longitude: &lon,
		Telephone: "+33491552390", SiteWeb: []string{"https://bmvr.marseille.fr"}, Horaires: "Tu-Sa 11:00-19:00",
		Services: []string{"Accéder à une connexion internet"}}
	lat2 := lat + 0.00009 // 10 m north
	scam := &Place{ID: "scam", APID: "https://evil.example/lieux/1", Network: Network{Name: "Evil", Actor: "https://evil.example/actor"},
		Updated: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), Nom: "Médiathèque de l'Alcazar", Adresse: "58 cours Belsunce",
		CodePostal: "13001", Commune: "Marseille", Latitude: &lat2, Longitude: &lon,
		Telephone: "+33899000000", Courriels: []string{"arnaque@evil.example"}, SiteWeb: []string{"https://evil.example"},
		Horaires: "off", PriseRDV: "https://evil.example/rdv", PresentationResume: "Un lieu accueillant",
		Services: []string{"Prendre en main un smartphone ou une tablette"}}
	if !SamePlace(ours, scam) {
		t.Fatal("the look-alike is not taken as the same place; the test shows nothing")
	}
	for _, order := range [][]*Place{{ours, scam}, {scam, ours}} {
		m, sources := MergePlaces(order)
		if m.ID != "ours" || m.Nom != ours.Nom || m.Telephone != ours.Telephone || m.Horaires != ours.Horaires ||
			len(m.SiteWeb) != 1 || m.SiteWeb[0] != ours.SiteWeb[0] || len(m.Courriels) != 0 || m.PriseRDV != "" {
			t.Errorf("merged %+v; want our name, phone, site, hours and no other contact", m)
		}
		if m.PresentationResume != scam.PresentationResume || len(m.Services) != 2 {
			t.Errorf("resume %q, services %v; the other network may add", m.PresentationResume, m.Services)
		}
		if got := m.FieldSources["telephone"]; len(got) != 1 || got[0] != ours.APID {
			t.Errorf("FieldSources[telephone] = %v; want ours", got)
		}
		if got := m.FieldSources["services"]; len(got) != 2 {
			t.Errorf("FieldSources[services] = %v; want both records", got)
		}
		if len(sources) != 2 || sources[0].APID != scam.APID {
			t.Errorf("sources %+v; want both, newest first", sources)
		}
	}
	// Elsewhere (no local record), the newest leads and says so.
	other := *ours
	other.Network = Network{Name: "Arsenic 13", Actor: "https://a13.example/actor"}
	m, _ := MergePlaces([]*Place{&other, scam})
	if m.Telephone != scam.Telephone || len(m.FieldSources["telephone"]) != 1 || m.FieldSources["telephone"][0] != scam.APID {
		t.Errorf("telephone %q from %v; want the newest record's, named", m.Telephone, m.FieldSources["telephone"])
	}
	if _, ok := m.FieldSources["nom"]; ok {
		t.Errorf("FieldSources[nom] = %v; the records agree on the name", m.FieldSources["nom"])
	}
}

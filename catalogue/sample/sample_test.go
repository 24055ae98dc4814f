package sample

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/maillage/maillage/catalogue"
)

const nationalScale = 25000

var start = time.Date(2026, 3, 2, 10, 0, 0, 0, catalogue.Paris)

func TestPlacesAreValid(t *testing.T) {
	places := Places(nationalScale, 1)
	if len(places) != nationalScale {
		t.Fatalf("Places(%d) gave %d places", nationalScale, len(places))
	}
	perDept := map[string]int{}
	kinds := map[string]int{}
	unreadable := 0
	for i, p := range places {
		p.Normalize()
		if err := p.Validate(); err != nil {
			t.Fatalf("place %d (%s, %s) is invalid: %v", i, p.Nom, p.Commune, err)
		}
		if p.HoursError != "" {
			unreadable++
		}
		if n := utf8.RuneCountInString(p.PresentationResume); n > 280 {
			t.Errorf("place %d: presentation_resume of %d characters", i, n)
		}
		if len(p.Services) < 1 || len(p.Services) > 5 {
			t.Errorf("place %d has %d services", i, len(p.Services))
		}
		if len(p.Typologie) != 1 {
			t.Fatalf("place %d has typologies %v", i, p.Typologie)
		}
		perDept[p.Departement()]++
		kinds[p.Typologie[0]]++
	}
	for _, d := range departements {
		if perDept[d.code] == 0 {
			t.Errorf("no place in département %s (%s)", d.code, d.name)
		}
	}
	if len(perDept) != len(departements) {
		t.Errorf("places in %d départements; want %d: %v", len(perDept), len(departements), perDept)
	}
	// Population weighting: Nord has far more places than Lozère.
	if perDept["59"] < 20*perDept["48"] {
		t.Errorf("Nord has %d places and Lozère %d; want roughly 34 times more", perDept["59"], perDept["48"])
	}
	// A few percent of free-text hours, which the parser refuses; the
	// OSM ones are all read.
	if share := float64(unreadable) / float64(len(places)); share < 0.01 || share > 0.06 {
		t.Errorf("%.1f %% of places have unreadable hours; want a few percent", 100*share)
	}
	for _, code := range []string{"BIB", "RFS", "EPN", "TIERS_LIEUX", "FABLAB", "CS", "MQ", "MUNI", "ASSO", "CCAS"} {
		if kinds[code] == 0 {
			t.Errorf("no place of typology %s", code)
		}
	}
}

func TestOpeningHoursParse(t *testing.T) {
	for _, h := range openingHours {
		if _, err := catalogue.ParseHours(h); err != nil {
			t.Errorf("ParseHours(%q): %v", h, err)
		}
	}
	for _, h := range freeTextHours {
		if _, err := catalogue.ParseHours(h); err == nil {
			t.Errorf("ParseHours(%q) read free text", h)
		}
	}
}

func TestNamesMatchTypology(t *testing.T) {
	words := map[string][]string{
		"BIB":         {"Médiathèque", "Bibliothèque"},
		"RFS":         {"France Services"},
		"EPN":         {"EPN", "Espace public numérique", "Cyber-base"},
		"TIERS_LIEUX": {"Tiers-lieu"},
		"FABLAB":      {"Fablab"},
		"CS":          {"Centre social"},
		"MQ":          {"Maison de quartier"},
		"MUNI":        {"Mairie", "Hôtel de ville"},
		"CCAS":        {"CCAS", "Centre communal d'action sociale"},
	}
	for _, p := range Places(2000, 7) {
		want, ok := words[p.Typologie[0]]
		if !ok {
			continue
		}
		found := false
		for _, w := range want {
			found = found || strings.Contains(p.Nom, w)
		}
		if !found {
			t.Errorf("%s is typed %s", p.Nom, p.Typologie[0])
		}
	}
}

func TestCoordinatesNearCommune(t *testing.T) {
	for _, d := range departements {
		postal := d.code
		if d.code == "2A" || d.code == "2B" {
			postal = "20"
		}
		pref := d.communes[0]
		for _, c := range d.communes {
			if !strings.HasPrefix(c.insee, d.code) {
				t.Errorf("%s: INSEE code %s outside département %s", c.name, c.insee, d.code)
			}
			if !strings.HasPrefix(c.postal, postal) {
				t.Errorf("%s: postal code %s outside département %s", c.name, c.postal, d.code)
			}
			// A typo in a coordinate puts a town far from its préfecture.
			if km := catalogue.DistanceKm(catalogue.LatLon{Lat: pref.lat, Lon: pref.lon}, catalogue.LatLon{Lat: c.lat, Lon: c.lon}); km > 200 {
				t.Errorf("%s is %.0f km from %s, its préfecture", c.name, km, pref.name)
			}
		}
	}
	places := Places(3000, 3)
	for _, p := range places {
		var nearest = math.Inf(1)
		for _, d := range departements {
			if d.code != p.Departement() {
				continue
			}
			for _, c := range d.communes {
				if c.insee == p.CodeINSEE {
					nearest = catalogue.DistanceKm(catalogue.LatLon{Lat: c.lat, Lon: c.lon}, catalogue.LatLon{Lat: *p.Latitude, Lon: *p.Longitude})
				}
			}
		}
		if nearest > 10.01 {
			t.Errorf("%s (%s) is %.1f km from its commune", p.Nom, p.Commune, nearest)
		}
	}
}

func TestSameSeedSameData(t *testing.T) {
	a, b := Places(500, 42), Places(500, 42)
	if !reflect.DeepEqual(a, b) {
		t.Error("Places with the same seed differ")
	}
	if reflect.DeepEqual(a, Places(500, 43)) {
		t.Error("Places with different seeds are the same")
	}
	ids := placeIDs(len(a))
	ea, eb := Events(ids, 2000, start, 42), Events(ids, 2000, start, 42)
	ja, _ := json.Marshal(ea)
	jb, _ := json.Marshal(eb)
	if string(ja) != string(jb) {
		t.Error("Events with the same seed differ")
	}
}

func placeIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("lieu%05d", i)
	}
	return ids
}

func TestEventsAreValid(t *testing.T) {
	const n = 100000
	events := Events(placeIDs(nationalScale), n, start, 1)
	if len(events) != n {
		t.Fatalf("Events gave %d events; want %d", len(events), n)
	}
	end := start.AddDate(1, 0, 1)
	recurring, weekend := 0, 0
	for i, e := range events {
		e.Normalize()
		if err := e.Validate(); err != nil {
			t.Fatalf("event %d (%s) is invalid: %v", i, e.Nom, err)
		}
		if e.Debut.Before(start.Add(-24*time.Hour)) || e.Debut.After(end) {
			t.Errorf("event %d starts %v, outside the year", i, e.Debut)
		}
		d := e.Fin.Sub(e.Debut)
		if d < time.Hour/2 || d > 3*time.Hour {
			t.Errorf("event %d lasts %v", i, d)
		}
		local := e.Debut.In(catalogue.Paris)
		if h := local.Hour(); h < 9 || e.Fin.In(catalogue.Paris).After(time.Date(local.Year(), local.Month(), local.Day(), 18, 0, 0, 0, catalogue.Paris)) {
			t.Errorf("event %d from %v to %v, outside 9:00–18:00", i, local, e.Fin.In(catalogue.Paris))
		}
		if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
			weekend++
		}
		if e.Recurrence != "" {
			recurring++
			occ := e.Occurrences(start, end)
			if len(occ) < 2 {
				t.Errorf("recurring event %d (%s) has %d occurrences", i, e.Recurrence, len(occ))
			} else if occ[0].Debut.In(catalogue.Paris).Weekday() != local.Weekday() {
				t.Errorf("recurring event %d (%s) starts on %v", i, e.Recurrence, local.Weekday())
			}
		}
	}
	if share := float64(recurring) / n; share < 0.015 || share > 0.025 {
		t.Errorf("%.2f %% recurring events; want about 2 %%", 100*share)
	}
	if share := float64(weekend) / n; share > 0.1 {
		t.Errorf("%.1f %% events on weekends; want weekdays mostly", 100*share)
	}
	if Events(nil, 10, start, 1) != nil {
		t.Error("Events without places gave events")
	}
}

func TestSiretPassesLuhn(t *testing.T) {
	for _, p := range Places(200, 9) {
		if !luhn(p.Pivot) || !luhn(p.Pivot[:9]) || len(p.Pivot) != 14 {
			t.Errorf("pivot %s is not a valid SIRET", p.Pivot)
		}
	}
}

func luhn(s string) bool {
	sum := 0
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if (len(s)-1-i)%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

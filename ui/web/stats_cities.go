package web

import (
	"strconv"
	"strings"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/server"
)

// A city with arrondissements: their INSEE codes run from first to last,
// and the city's own code is code; the postal code of arrondissement n
// is postal + n on two digits (13001 for Marseille's first).
type arrondissements struct {
	first, last  int
	code, name   string
	postalPrefix string
}

// citiesWithArrondissements are Marseille, Lyon and Paris.
var citiesWithArrondissements = []arrondissements{
	{13201, 13216, "13055", "Marseille", "130"},
	{69381, 69389, "69123", "Lyon", "690"},
	{75101, 75120, "75056", "Paris", "750"},
}

// cityOfArrondissement returns the city whose arrondissement insee is,
// or whose own code it is (a place coded for the whole city).
func cityOfArrondissement(insee string) (arrondissements, bool) {
	n, err := strconv.Atoi(insee)
	if err != nil || len(insee) != 5 {
		return arrondissements{}, false
	}
	for _, c := range citiesWithArrondissements {
		if n >= c.first && n <= c.last || insee == c.code {
			return c, true
		}
	}
	return arrondissements{}, false
}

// cityNamed is the city with arrondissements that text names: its name
// (case and accents ignored) or its INSEE code.
func cityNamed(text string) (arrondissements, bool) {
	key := catalogue.Fold(strings.TrimSpace(text))
	for _, c := range citiesWithArrondissements {
		if key == catalogue.Fold(c.name) || key == c.code {
			return c, true
		}
	}
	return arrondissements{}, false
}

// groupArrondissements counts the arrondissements of Marseille, Lyon and
// Paris under their city, once, as people name them; the API keeps them
// apart.
func groupArrondissements(counts []server.Count) []server.Count {
	out := make([]server.Count, 0, len(counts))
	at := map[string]int{} // city code → index in out
	for _, c := range counts {
		city, ok := cityOfArrondissement(c.Key)
		if !ok {
			out = append(out, c)
			continue
		}
		if i, seen := at[city.code]; seen {
			out[i].Places += c.Places
			continue
		}
		at[city.code] = len(out)
		out = append(out, server.Count{Key: city.code, Label: city.name, Places: c.Places})
	}
	server.SortCounts(out)
	return out
}

// arrondissementCount is one arrondissement of a city and its places;
// N is 0 for the places coded for the whole city.
type arrondissementCount struct {
	N      int
	Postal string
	Places int
}

// arrondissementsOf counts the places of each arrondissement of city
// (every one, those without a place too, in order), then those coded for
// the whole city when there are any; total is their sum.
func arrondissementsOf(counts []server.Count, city arrondissements) (out []arrondissementCount, total int) {
	byCode := map[string]int{}
	for _, c := range counts {
		byCode[c.Key] += c.Places
	}
	for code := city.first; code <= city.last; code++ {
		n := code - city.first + 1
		a := arrondissementCount{N: n, Postal: city.postalPrefix + twoDigits(n), Places: byCode[strconv.Itoa(code)]}
		out = append(out, a)
		total += a.Places
	}
	if whole := byCode[city.code]; whole > 0 {
		out = append(out, arrondissementCount{Places: whole})
		total += whole
	}
	return out, total
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

package web

import (
	"strconv"

	"github.com/maillage/maillage/ui/internal/server"
)

// A city with arrondissements: their INSEE codes run from first to last,
// and the city's own code is code.
type arrondissements struct {
	first, last int
	code, name  string
}

// cityOfArrondissement returns the city whose arrondissement insee is.
func cityOfArrondissement(insee string) (arrondissements, bool) {
	n, err := strconv.Atoi(insee)
	if err != nil || len(insee) != 5 {
		return arrondissements{}, false
	}
	for _, c := range []arrondissements{
		{13201, 13216, "13055", "Marseille"},
		{69381, 69389, "69123", "Lyon"},
		{75101, 75120, "75056", "Paris"},
	} {
		if n >= c.first && n <= c.last {
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

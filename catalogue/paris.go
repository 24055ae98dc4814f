package catalogue

import (
	"time"
	_ "time/tzdata" // Europe/Paris must work on machines without a zoneinfo database
)

// Paris is the time zone in which opening hours, event days and recurrences
// are read.
var Paris = mustLoad("Europe/Paris")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

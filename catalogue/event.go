package catalogue

import "time"

// Event statuses.
const (
	StatusScheduled = "prevu"
	StatusCancelled = "annule"
)

// Event is an atelier, a permanence, a formation or any other dated
// happening at a place. Its JSON form is the one of the API.
type Event struct {
	// Read-only, set by the server.
	ID      string    `json:"id"`
	APID    string    `json:"ap_id,omitempty"`
	Network Network   `json:"network"`
	Updated time.Time `json:"updated"`
	// Published is when the event was first published, in whole seconds;
	// it never changes. Zero for records from before it was kept.
	Published time.Time `json:"published,omitzero"`

	Nom         string    `json:"nom"`
	Description string    `json:"description,omitempty"`
	Debut       time.Time `json:"debut"`
	Fin         time.Time `json:"fin"`
	// Lieu is the id or the ActivityPub id of a place of the catalogue:
	// where the event takes place, or, with Etape, the place that runs
	// it (a mobile unit). Only an event received from another network
	// may have an Etape and no Lieu (a Mobilizon or Gancio event at an
	// address).
	Lieu string `json:"lieu"`
	// Etape is where the event takes place when that is not a place of
	// the catalogue: a stop of a mobile unit; nil otherwise.
	Etape       *Stop    `json:"etape,omitempty"`
	Services    []string `json:"services,omitempty"`
	Publics     []string `json:"publics,omitempty"`
	Inscription string   `json:"inscription,omitempty"`
	Capacite    *int     `json:"capacite,omitempty"`
	Frais       []string `json:"frais_a_charge,omitempty"`
	Statut      string   `json:"statut"`
	// Recurrence is an RFC 5545 RRULE ("FREQ=WEEKLY;BYDAY=WE"), without
	// the "RRULE:" prefix; Debut and Fin are then those of the first
	// occurrence.
	Recurrence string `json:"recurrence,omitempty"`
}

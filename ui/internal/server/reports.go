package server

import (
	"time"
)

// Report is an error report sent from a place page's "signaler une erreur"
// form. It names no one: Contact is what the sender chose to give.
type Report struct {
	Place   string // the place's id
	PlaceAP string // its ActivityPub id, which tells its origin network
	Message string
	Contact string // an email address, optional
	Created time.Time
}

// Reports receives the error reports of the place pages. It stores the
// report for the editors of the network that owns the place (and, for a
// remote place, sends a Flag to its origin). It must not block on a
// remote server.
type Reports interface {
	AddReport(r Report) error
}

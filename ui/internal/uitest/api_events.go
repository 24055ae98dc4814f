package uitest

import (
	"net/http"

	"github.com/maillage/maillage/catalogue"
)

type EventPage struct {
	Items []catalogue.Event
	Total int
	Next  string
}

func (in *Instance) CreateEvent(body map[string]any) catalogue.Event {
	in.T.Helper()
	var e catalogue.Event
	if st := in.Do("POST", "/api/v1/events", body, &e); st != http.StatusCreated {
		in.T.Fatalf("POST /api/v1/events %v = %d; want 201", body, st)
	}
	return e
}

func (in *Instance) Events(query string) EventPage {
	in.T.Helper()
	var page EventPage
	if st := in.Do("GET", "/api/v1/events?"+query, nil, &page); st != 200 {
		in.T.Fatalf("GET /api/v1/events?%s = %d", query, st)
	}
	return page
}

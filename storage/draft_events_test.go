package storage

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// An event cannot be announced at a draft: it would be listed, published,
// federated and exported before its place. It is refused, naming the
// place and what it lacks, and nothing is written; once the place is
// completed, the same event is accepted and published.
func TestEventAtADraftIsRefusedUntilThePlaceIsCompleted(t *testing.T) {
	s, _ := openTestStore(t)
	s.SetPublisher(recordingPublisher)
	res := importOrFail(t, s, []ImportRecord{
		importRecord("a", "Médiathèque Saint-Charles", "1 rue A"),
		draftRecord("b", "EPN du Panier", "2 rue B"),
	}, false)
	placeID, draftID := res.Outcomes[0].PlaceID, res.Outcomes[1].PlaceID
	start := time.Date(2026, 6, 3, 14, 0, 0, 0, time.UTC)

	checkRefused := func(err error) {
		t.Helper()
		var verr *catalogue.ValidationError
		if !errors.As(err, &verr) || !strings.Contains(verr.Fields["lieu"], "« EPN du Panier » est un brouillon") || !strings.Contains(verr.Fields["lieu"], "services") {
			t.Fatalf("event at a draft: %v; want a validation error on lieu naming the place and what it lacks", err)
		}
	}
	draft, _ := s.Place(draftID)
	for _, ref := range []string{draftID, draft.APID} {
		checkRefused(s.CreateEvent(testEvent(ref, start)))
	}
	// An event elsewhere cannot be moved there either.
	ev := testEvent(placeID, start)
	if err := s.CreateEvent(ev); err != nil {
		t.Fatal(err)
	}
	moved := testEvent(draftID, start)
	checkRefused(s.UpdateEvent(ev.ID, moved))
	if got, _ := s.Event(ev.ID); got.Lieu != placeID {
		t.Errorf("refused update moved the event to %s", got.Lieu)
	}
	page, err := s.Events(catalogue.EventQuery{From: testNow})
	if err != nil || page.Total != 1 {
		t.Fatalf("events = %d, %v; want the one at the published place", page.Total, err)
	}
	if got := outboxActivities(t, s); !slices.Equal(got, []string{"Create", "Create"}) {
		t.Errorf("outbox = %v; want the place's and its event's Creates, nothing for the draft", got)
	}

	// Completed, the place takes events like any other.
	draft.Services = []string{"Aide aux démarches administratives"}
	draft.Normalize()
	if err := s.UpdatePlace(draftID, draft); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateEvent(testEvent(draftID, start)); err != nil {
		t.Fatalf("event at the completed place: %v", err)
	}
	if got := outboxActivities(t, s); !slices.Equal(got, []string{"Create", "Create", "Create", "Create"}) {
		t.Errorf("outbox after completion = %v; want the completed place's and its event's Creates", got)
	}
}

package storage

import (
	"errors"
	"slices"
	"testing"

	"github.com/maillage/maillage/catalogue"
)

// draftRecord is a record of a file without services: a draft.
func draftRecord(id, name, street string) ImportRecord {
	r := importRecord(id, name, street)
	r.Place.Services = nil
	r.Place.ACompleter = []string{"services"}
	r.Place.Normalize()
	return r
}

func TestDraftsAreStoredButNeitherListedNorPublished(t *testing.T) {
	s, _ := openTestStore(t)
	s.SetPublisher(recordingPublisher)
	res := importOrFail(t, s, []ImportRecord{
		importRecord("a", "Médiathèque Saint-Charles", "1 rue A"),
		draftRecord("b", "EPN du Panier", "2 rue B"),
	}, false)
	if got := counts(res); got != "2 created, 0 updated, 0 unchanged, 0 rejected" {
		t.Fatalf("import: %s", got)
	}
	draftID := res.Outcomes[1].PlaceID

	if got := outboxActivities(t, s); !slices.Equal(got, []string{"Create"}) {
		t.Errorf("outbox = %v; want one Create, none for the draft", got)
	}
	for _, q := range []catalogue.PlaceQuery{{}, {Text: "Panier"}, {Network: "local"}, {Departement: "13"}} {
		page, err := s.Places(q)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Items {
			if p.ID == draftID {
				t.Errorf("Places(%+v) lists the draft", q)
			}
		}
		if q.Text == "" && page.Total != 1 {
			t.Errorf("Places(%+v).Total = %d; want 1", q, page.Total)
		}
	}
	drafts, err := s.Drafts()
	if err != nil || len(drafts) != 1 || drafts[0].ID != draftID || !slices.Equal(drafts[0].ACompleter, []string{"services"}) {
		t.Fatalf("Drafts() = %+v, %v; want the draft, missing services", drafts, err)
	}
	if p, err := s.Place(draftID); err != nil || !p.Draft() {
		t.Fatalf("Place(draft) = %+v, %v; want the draft, for its editors", p, err)
	}
	if _, err := s.MergedPlace(draftID); !errors.Is(err, ErrNotFound) {
		t.Errorf("MergedPlace(draft) = %v; want ErrNotFound: the public does not see it", err)
	}

	if err := s.Check(); err != nil {
		t.Errorf("Check with a draft: %v", err)
	}
	// The same file again: the draft stays a draft, nothing is published.
	importOrFail(t, s, []ImportRecord{draftRecord("b", "EPN du Panier", "2 rue B")}, false)
	if got := outboxActivities(t, s); len(got) != 1 {
		t.Errorf("outbox after the same draft again = %v; want the one Create", got)
	}

	// An editor completes it: it is published as a Create, and listed.
	p, _ := s.Place(draftID)
	p.Services = []string{"Aide aux démarches administratives"}
	p.Normalize()
	if p.Draft() {
		t.Fatalf("completed place still a draft: %v", p.ACompleter)
	}
	if err := s.UpdatePlace(draftID, p); err != nil {
		t.Fatal(err)
	}
	if got := outboxActivities(t, s); !slices.Equal(got, []string{"Create", "Create"}) {
		t.Errorf("outbox after completion = %v; want Create, Create", got)
	}
	if page, _ := s.Places(catalogue.PlaceQuery{Text: "Panier"}); page.Total != 1 {
		t.Errorf("completed place not found by search: %d", page.Total)
	}
	if drafts, _ := s.Drafts(); len(drafts) != 0 {
		t.Errorf("Drafts() after completion = %d; want 0", len(drafts))
	}
}

func TestImportCompletesADraftAsACreate(t *testing.T) {
	s, _ := openTestStore(t)
	s.SetPublisher(recordingPublisher)
	importOrFail(t, s, []ImportRecord{draftRecord("b", "EPN du Panier", "2 rue B")}, false)
	if got := outboxActivities(t, s); len(got) != 0 {
		t.Fatalf("outbox after a draft = %v; want nothing", got)
	}
	res := importOrFail(t, s, []ImportRecord{importRecord("b", "EPN du Panier", "2 rue B")}, false)
	if got := counts(res); got != "0 created, 1 updated, 0 unchanged, 0 rejected" {
		t.Fatalf("completing import: %s", got)
	}
	if got := outboxActivities(t, s); !slices.Equal(got, []string{"Create"}) {
		t.Errorf("outbox = %v; want one Create", got)
	}
	if drafts, _ := s.Drafts(); len(drafts) != 0 {
		t.Errorf("still %d drafts", len(drafts))
	}
}

func TestPublishedPlaceDoesNotBecomeADraft(t *testing.T) {
	s, _ := openTestStore(t)
	s.SetPublisher(recordingPublisher)
	res := importOrFail(t, s, []ImportRecord{importRecord("a", "Médiathèque Saint-Charles", "1 rue A")}, false)
	id := res.Outcomes[0].PlaceID
	// The file's next version lacks the services: the place keeps its own.
	r := draftRecord("a", "Médiathèque Saint-Charles", "1 rue A")
	r.Fields = []string{"nom", "adresse", "code_postal", "commune", "services"}
	importOrFail(t, s, []ImportRecord{r}, false)
	p, err := s.Place(id)
	if err != nil || p.Draft() || len(p.Services) == 0 {
		t.Fatalf("place after a file without services: %+v, %v; want it published with its services", p, err)
	}
	// Nor through an edit.
	p.Services, p.ACompleter = nil, []string{"services"}
	if err := s.UpdatePlace(id, p); !errors.Is(err, ErrConflict) {
		t.Errorf("UpdatePlace(published → draft) = %v; want ErrConflict", err)
	}
	// A draft deleted publishes nothing.
	res = importOrFail(t, s, []ImportRecord{draftRecord("b", "EPN du Panier", "2 rue B")}, false)
	before := len(outboxActivities(t, s))
	if err := s.DeletePlace(res.Outcomes[0].PlaceID); err != nil {
		t.Fatal(err)
	}
	if got := outboxActivities(t, s); len(got) != before {
		t.Errorf("deleting a draft published %v", got[before:])
	}
}

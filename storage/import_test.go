package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/maillage/maillage/catalogue"
)

// importRecord is a valid record of a file, with its id in the file.
func importRecord(id, name, street string) ImportRecord {
	p := testPlace(name)
	p.Adresse, p.Source = street, "Hubik"
	return ImportRecord{SourceID: id, Place: p}
}

func importOrFail(t *testing.T, s *Store, recs []ImportRecord, dry bool) ImportResult {
	t.Helper()
	res, err := s.ImportPlaces(recs, ImportOptions{DryRun: dry})
	if err != nil {
		t.Fatalf("ImportPlaces: %v", err)
	}
	return res
}

func counts(r ImportResult) string {
	return fmt.Sprintf("%d created, %d updated, %d unchanged, %d rejected", r.Created, r.Updated, r.Unchanged, r.Rejected)
}

// outboxActivities returns the types of the activities in the outbox,
// oldest first.
func outboxActivities(t *testing.T, s *Store) []string {
	t.Helper()
	items, _, _, err := s.OutboxPage(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for i := len(items) - 1; i >= 0; i-- {
		var a map[string]string
		json.Unmarshal(items[i], &a)
		types = append(types, a["type"])
	}
	return types
}

func TestImportIsIdempotentAndUpdatesChangedPlaces(t *testing.T) {
	s, _ := openTestStore(t)
	s.SetPublisher(recordingPublisher)
	file := func() []ImportRecord {
		return []ImportRecord{
			importRecord("a", "Médiathèque Saint-Charles", "1 rue A"),
			importRecord("b", "EPN du Panier", "2 rue B"),
			importRecord("c", "France Services Belsunce", "3 rue C"),
		}
	}
	res := importOrFail(t, s, file(), false)
	if got := counts(res); got != "3 created, 0 updated, 0 unchanged, 0 rejected" {
		t.Fatalf("first import: %s", got)
	}
	ids := map[string]string{}
	for i, o := range res.Outcomes {
		p, err := s.Place(o.PlaceID)
		if err != nil || !p.Network.Local || p.APID != "http://maillage.test/lieux/"+o.PlaceID {
			t.Fatalf("created place %d: %+v, %v", i, p, err)
		}
		ids[file()[i].SourceID] = o.PlaceID
	}

	res = importOrFail(t, s, file(), false)
	if got := counts(res); got != "0 created, 0 updated, 3 unchanged, 0 rejected" {
		t.Fatalf("second import: %s", got)
	}
	if got := outboxActivities(t, s); len(got) != 3 {
		t.Fatalf("outbox after two imports: %v; want 3 Create", got)
	}

	// The file changes: b is renamed and moves; c changes hours.
	next := file()
	next[1].Place.Nom, next[1].Place.Adresse = "EPN du Panier (nouveau local)", "9 rue Nouvelle"
	next[2].Place.Horaires = "Mo-Fr 10:00-17:00"
	next[2].Place.Normalize()
	res = importOrFail(t, s, next, false)
	if got := counts(res); got != "0 created, 2 updated, 1 unchanged, 0 rejected" {
		t.Fatalf("import of the changed file: %s", got)
	}
	for i, id := range []string{"a", "b", "c"} {
		if res.Outcomes[i].PlaceID != ids[id] {
			t.Errorf("record %s went to %s; want %s", id, res.Outcomes[i].PlaceID, ids[id])
		}
	}
	p, _ := s.Place(ids["b"])
	if p.Nom != "EPN du Panier (nouveau local)" || p.Adresse != "9 rue Nouvelle" {
		t.Errorf("updated place: %s, %s", p.Nom, p.Adresse)
	}
	if got := outboxActivities(t, s); fmt.Sprint(got) != "[Create Create Create Update Update]" {
		t.Errorf("outbox: %v; want 3 Create then 2 Update", got)
	}
	page, _ := s.Places(catalogue.PlaceQuery{})
	if page.Total != 3 {
		t.Errorf("%d places stored; want 3", page.Total)
	}
}

func TestImportMatchesOnPivotAndAddress(t *testing.T) {
	s, _ := openTestStore(t)
	typed := testPlace("Médiathèque Saint-Charles")
	typed.Equipements = []string{"Imprimante 3D"}
	if err := s.CreatePlace(typed); err != nil {
		t.Fatal(err)
	}
	// The same place in a file: same pivot and street (other case and
	// accents), no equipements column, a new phone number.
	rec := ImportRecord{SourceID: "42", Place: testPlace("Médiathèque Saint-Charles"), Fields: []string{"pivot", "nom", "adresse",
		"code_postal", "commune", "code_insee", "latitude", "longitude", "services", "horaires", "date_maj", "telephone"}}
	rec.Place.Adresse = "12 RUE DE LA REPUBLIQUE"
	rec.Place.Telephone = "+33491000000"
	res := importOrFail(t, s, []ImportRecord{rec}, false)
	if got := counts(res); got != "0 created, 1 updated, 0 unchanged, 0 rejected" || res.Outcomes[0].PlaceID != typed.ID {
		t.Fatalf("import: %s into %s; want an update of %s", got, res.Outcomes[0].PlaceID, typed.ID)
	}
	p, _ := s.Place(typed.ID)
	if p.Telephone != "+33491000000" || len(p.Equipements) != 1 {
		t.Errorf("merged place: telephone %q, equipements %v; want the file's phone and the stored equipements", p.Telephone, p.Equipements)
	}
	// From now on the record is known by its id, whatever its address.
	rec.Place = testPlace("Médiathèque Saint-Charles")
	rec.Place.Adresse, rec.Place.Telephone = "1 place Neuve", "+33491000000"
	if res := importOrFail(t, s, []ImportRecord{rec}, false); res.Outcomes[0].PlaceID != typed.ID || res.Updated != 1 {
		t.Errorf("import by id: %s into %s; want an update of %s", counts(res), res.Outcomes[0].PlaceID, typed.ID)
	}
}

func TestImportUnknownPivotNeedsTheSameName(t *testing.T) {
	s, _ := openTestStore(t)
	stored := testPlace("Médiathèque")
	stored.Pivot = "00000000000000"
	if err := s.CreatePlace(stored); err != nil {
		t.Fatal(err)
	}
	other := testPlace("France Services")
	other.Pivot = "00000000000000"
	same := testPlace("MÉDIATHÈQUE")
	same.Pivot, same.Telephone = "00000000000000", "+33491000001"
	res := importOrFail(t, s, []ImportRecord{{Place: other}, {Place: same}}, false)
	if got := counts(res); got != "1 created, 1 updated, 0 unchanged, 0 rejected" {
		t.Fatalf("import: %s", got)
	}
	if res.Outcomes[0].PlaceID == stored.ID || res.Outcomes[1].PlaceID != stored.ID {
		t.Errorf("outcomes %+v; want a new place, then the stored one", res.Outcomes)
	}
}

func TestImportDryRunWritesNothing(t *testing.T) {
	s, _ := openTestStore(t)
	s.SetPublisher(recordingPublisher)
	recs := []ImportRecord{importRecord("a", "EPN A", "1 rue A"), importRecord("b", "EPN B", "2 rue B")}
	res := importOrFail(t, s, recs, true)
	if got := counts(res); got != "2 created, 0 updated, 0 unchanged, 0 rejected" {
		t.Fatalf("dry run: %s", got)
	}
	if page, _ := s.Places(catalogue.PlaceQuery{}); page.Total != 0 {
		t.Errorf("dry run stored %d places", page.Total)
	}
	if got := outboxActivities(t, s); len(got) != 0 {
		t.Errorf("dry run published %v", got)
	}
	importOrFail(t, s, recs, false)
	recs[1].Place.Nom = "EPN B bis"
	res = importOrFail(t, s, recs, true)
	if got := counts(res); got != "0 created, 1 updated, 1 unchanged, 0 rejected" {
		t.Fatalf("dry run after import: %s", got)
	}
	if p, _ := s.Place(res.Outcomes[1].PlaceID); p.Nom != "EPN B" {
		t.Errorf("dry run changed the name to %q", p.Nom)
	}
}

func TestImportWithoutDateKeepsTheStoredOne(t *testing.T) {
	s, _ := openTestStore(t)
	rec := importRecord("a", "EPN A", "1 rue A")
	rec.Place.DateMaj = "2025-01-01"
	importOrFail(t, s, []ImportRecord{rec}, false)

	// The same file without date_maj: the reader gives today.
	fields := []string{"pivot", "nom", "adresse", "code_postal", "commune", "code_insee", "latitude", "longitude", "services", "horaires", "source"}
	again := importRecord("a", "EPN A", "1 rue A")
	again.Place.DateMaj, again.Fields = "2026-03-02", fields
	res := importOrFail(t, s, []ImportRecord{again}, false)
	if res.Unchanged != 1 {
		t.Fatalf("same content without a date: %s; want unchanged", counts(res))
	}
	changed := importRecord("a", "EPN A (rénové)", "1 rue A")
	changed.Place.DateMaj, changed.Fields = "2026-03-02", fields
	res = importOrFail(t, s, []ImportRecord{changed}, false)
	p, _ := s.Place(res.Outcomes[0].PlaceID)
	if res.Updated != 1 || p.DateMaj != "2026-03-02" {
		t.Errorf("changed content without a date: %s, date_maj %s; want an update dated today", counts(res), p.DateMaj)
	}
}

func TestImportAfterDeleteCreatesAgain(t *testing.T) {
	s, _ := openTestStore(t)
	rec := importRecord("a", "EPN A", "1 rue A")
	res := importOrFail(t, s, []ImportRecord{rec}, false)
	if err := s.DeletePlace(res.Outcomes[0].PlaceID); err != nil {
		t.Fatal(err)
	}
	res = importOrFail(t, s, []ImportRecord{importRecord("a", "EPN A", "1 rue A")}, false)
	if res.Created != 1 {
		t.Errorf("import after delete: %s; want a creation", counts(res))
	}
}

func TestImportOfTwoRecordsForOnePlace(t *testing.T) {
	s, _ := openTestStore(t)
	importOrFail(t, s, []ImportRecord{importRecord("a", "EPN A", "1 rue A")}, false)
	// b reaches the place of a through its address and takes it; then a
	// and b in one file cannot both be that place.
	b := importRecord("b", "EPN A", "1 rue A")
	b.Place.Telephone = "+33491000009"
	if res := importOrFail(t, s, []ImportRecord{b}, false); res.Updated != 1 {
		t.Fatalf("b: %s; want an update of a's place", counts(res))
	}
	res := importOrFail(t, s, []ImportRecord{importRecord("a", "EPN A", "1 rue A"), importRecord("b", "EPN A", "1 rue A")}, false)
	if res.Rejected != 1 || res.Outcomes[1].Err == nil {
		t.Errorf("a and b: %s, %+v; want b rejected", counts(res), res.Outcomes)
	}
}

func TestImportRejectsAMergedPlaceThatBreaksARule(t *testing.T) {
	s, _ := openTestStore(t)
	importOrFail(t, s, []ImportRecord{importRecord("a", "EPN A", "1 rue A")}, false)
	// The file gives a latitude but no longitude: the stored longitude
	// stays, fine; then it drops the coordinates but keeps a longitude
	// column out: the merged place has a longitude without latitude.
	rec := importRecord("a", "EPN A", "1 rue A")
	rec.Place.Latitude, rec.Place.Longitude = nil, nil
	rec.Fields = []string{"pivot", "nom", "adresse", "code_postal", "commune", "latitude", "date_maj", "source"}
	res := importOrFail(t, s, []ImportRecord{rec}, false)
	var verr *catalogue.ValidationError
	if res.Rejected != 1 || !errors.As(res.Outcomes[0].Err, &verr) || verr.Fields["latitude"] == "" {
		t.Errorf("import: %s, %v; want a rejection on latitude", counts(res), res.Outcomes[0].Err)
	}
}

func TestImportOfTheSameIDTwice(t *testing.T) {
	s, _ := openTestStore(t)
	res := importOrFail(t, s, []ImportRecord{importRecord("a", "EPN A", "1 rue A"), importRecord("a", "EPN B", "2 rue B")}, false)
	if got := counts(res); got != "1 created, 0 updated, 0 unchanged, 1 rejected" || res.Outcomes[1].Err == nil {
		t.Errorf("import: %s, %+v; want the second rejected", got, res.Outcomes)
	}
}

func TestImportOfOurOwnExportChangesNothing(t *testing.T) {
	s, _ := openTestStore(t)
	if err := s.SetSettings(Settings{Name: "Arsenic 13"}); err != nil {
		t.Fatal(err)
	}
	p := testPlace("EPN A")
	if err := s.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	// The exports give our network's name as source to a place that has
	// none: that is no change, whether the record is found by its id or
	// by its address.
	for _, id := range []string{p.ID, ""} {
		exported := *p
		exported.Source = "Arsenic 13"
		res := importOrFail(t, s, []ImportRecord{{SourceID: id, Place: &exported}}, false)
		if got := counts(res); got != "0 created, 0 updated, 1 unchanged, 0 rejected" || res.Outcomes[0].PlaceID != p.ID {
			t.Errorf("import of the exported place (id %q): %s, %+v; want it unchanged", id, got, res.Outcomes)
		}
	}
	// Another source is a change.
	other := *p
	other.Source = "Hubik"
	if res := importOrFail(t, s, []ImportRecord{{SourceID: p.ID, Place: &other}}, false); res.Updated != 1 {
		t.Errorf("import with source Hubik: %s; want an update", counts(res))
	}
	if got, err := s.Place(p.ID); err != nil || got.Source != "Hubik" {
		t.Errorf("place after the imports = %+v, %v; want source Hubik", got, err)
	}
}

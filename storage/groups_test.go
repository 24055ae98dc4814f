package storage

import (
	"encoding/binary"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

const unknownPivot = "00000000000000"

// Networks of the grouping tests; "" is this instance.
const (
	var83  = "https://arsenic83.example/network"
	paca   = "https://paca.example/network"
	var83b = "https://numerique83.example/network"
)

// rec is a record of a place as a network publishes it; lat 0 means no
// coordinates.
type rec struct {
	network, slug                               string
	pivot, nom, adresse, insee, postal, commune string
	lat, lon                                    float64
	updated                                     time.Time
}

func (r rec) place() *catalogue.Place {
	p := &catalogue.Place{
		Pivot: r.pivot, Nom: r.nom, Adresse: r.adresse, CodeINSEE: r.insee, CodePostal: r.postal, Commune: r.commune,
		DateMaj: "2026-02-01", Services: []string{"Aide aux démarches administratives"},
	}
	if r.lat != 0 {
		p.Latitude, p.Longitude = ptr(r.lat), ptr(r.lon)
	}
	p.Normalize()
	if r.network != "" {
		p.APID = r.network + "/lieux/" + r.slug
		p.Network = catalogue.Network{Name: r.network[8 : strings.Index(r.network[8:], "/")+8], Actor: r.network}
		p.Updated = r.updated
		if p.Updated.IsZero() {
			p.Updated = testNow
		}
	}
	return p
}

// put stores the records in order, local ones created here, and returns
// their ids.
func put(t *testing.T, s *Store, recs ...rec) []string {
	t.Helper()
	ids := make([]string, len(recs))
	for i, r := range recs {
		p := r.place()
		var err error
		if r.network == "" {
			err = s.CreatePlace(p)
		} else {
			err = s.PutRemotePlace("", p)
		}
		if err != nil {
			t.Fatalf("store %s: %v", r.nom, err)
		}
		ids[i] = p.ID
	}
	return ids
}

// shown lists the places as lists show them: merged place ids with the
// ids of their sources.
func shown(t *testing.T, s *Store, q catalogue.PlaceQuery) map[string][]string {
	t.Helper()
	q.Limit = catalogue.MaxLimit
	page, err := s.Places(q)
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != len(page.Items) {
		t.Fatalf("total %d for %d items", page.Total, len(page.Items))
	}
	out := map[string][]string{}
	for _, p := range page.Items {
		var src []string
		for _, s := range p.Sources {
			src = append(src, s.ID)
		}
		slices.Sort(src)
		out[p.ID] = src
	}
	return out
}

func has(m map[string][]string, id string) bool {
	_, ok := m[id]
	return ok
}

func TestGroupingHardCases(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		recs []rec
		// groups lists the records shown as one place, by position; the
		// others are shown alone.
		groups [][]int
	}{
		{"two networks, same SIRET, other names", []rec{
			{"", "", "21840007600013", "Médiathèque Ceccano", "2 bis rue Laboureur", "84007", "84000", "Avignon", 43.9463, 4.8059, time.Time{}},
			{paca, "ceccano", "21840007600013", "Bibliothèque Ceccano (Avignon)", "2bis, r. Laboureur", "84007", "84000", "Avignon", 43.9470, 4.8060, time.Time{}},
		}, [][]int{{0, 1}}},
		{"same name in Toulon and Fréjus", []rec{
			{var83, "toulon", unknownPivot, "Médiathèque municipale", "Place de la Liberté", "83137", "83000", "Toulon", 43.1242, 5.9280, time.Time{}},
			{paca, "frejus", unknownPivot, "Médiathèque municipale", "Place de la Liberté", "83061", "83600", "Fréjus", 43.4330, 6.7370, time.Time{}},
		}, nil},
		{"same building, two structures with their own SIRET", []rec{
			{"", "", "21130055300016", "France Services Marseille 3e", "20 rue Loubon", "13203", "13003", "Marseille", 43.3110, 5.3800, time.Time{}},
			{paca, "fs3", "78490112300025", "France Services Marseille 3e", "20 rue Loubon", "13203", "13003", "Marseille", 43.3110, 5.3800, time.Time{}},
		}, nil},
		{"same building, other names, no pivot", []rec{
			{var83, "ccas", unknownPivot, "CCAS de Marseille", "10 rue Sainte-Barbe", "13201", "13001", "Marseille", 43.3000, 5.3760, time.Time{}},
			{paca, "st-charles", unknownPivot, "Médiathèque Saint-Charles", "10 rue Sainte-Barbe", "13201", "13001", "Marseille", 43.3000, 5.3760, time.Time{}},
		}, nil},
		{"missing coordinates on one side, same street", []rec{
			{"", "", unknownPivot, "Tiers-lieu La Fabrique", "3 chemin des Vignes", "84031", "84200", "Carpentras", 44.0550, 5.0480, time.Time{}},
			{paca, "fabrique", unknownPivot, "La Fabrique (tiers-lieu)", "3 ch. des Vignes", "84031", "84200", "Carpentras", 0, 0, time.Time{}},
		}, [][]int{{0, 1}}},
		{"missing coordinates on both sides, other number", []rec{
			{var83, "fab3", unknownPivot, "Tiers-lieu La Fabrique", "3 chemin des Vignes", "84031", "84200", "Carpentras", 0, 0, time.Time{}},
			{paca, "fab30", unknownPivot, "Tiers-lieu La Fabrique", "30 chemin des Vignes", "84031", "84200", "Carpentras", 0, 0, time.Time{}},
		}, nil},
		{"a typo in the name, 15 m apart", []rec{
			{var83, "aragon", unknownPivot, "Médiathèque Louis Aragon", "Avenue Jean Jaurès", "13055", "13005", "Marseille", 43.3000, 5.4000, time.Time{}},
			{paca, "aragonn", unknownPivot, "Mediatheque Louis Aragonn", "av. Jean-Jaurès", "13055", "13005", "Marseille", 43.3001, 5.4001, time.Time{}},
		}, [][]int{{0, 1}}},
		{"the unknown pivot 000… is no evidence", []rec{
			{var83, "cyb1", unknownPivot, "Cyberbase", "1 rue de la Paix", "75056", "75002", "Paris", 48.8690, 2.3310, time.Time{}},
			{paca, "cyb2", unknownPivot, "Cyberbase", "30 rue de Rivoli", "75056", "75004", "Paris", 48.8650, 2.3280, time.Time{}},
		}, nil},
		{"a head office's SIRET reused by a branch in another commune", []rec{
			{var83, "toulon-siege", "21830137300019", "Médiathèque de Toulon", "1 place Besagne", "83137", "83000", "Toulon", 43.1226, 5.9336, time.Time{}},
			{paca, "pont-du-las", "21830137300019", "Médiathèque du Pont-du-Las", "5 rue Dumont d'Urville", "83126", "83500", "La Seyne-sur-Mer", 43.1300, 5.9000, time.Time{}},
		}, nil},
		{"one network's two records are not merged by matching", []rec{
			{var83, "a", "21840007600013", "Médiathèque Ceccano", "2 bis rue Laboureur", "84007", "84000", "Avignon", 43.9463, 4.8059, time.Time{}},
			{var83, "b", "21840007600013", "Médiathèque Ceccano", "2 bis rue Laboureur", "84007", "84000", "Avignon", 43.9463, 4.8059, time.Time{}},
		}, nil},
		{"three networks, one place, the pivot known to one only", []rec{
			{"", "", "21840007600013", "Médiathèque Ceccano", "2 bis rue Laboureur", "84007", "84000", "Avignon", 43.9463, 4.8059, time.Time{}},
			{var83, "ceccano", unknownPivot, "Mediatheque Ceccano", "2 bis rue Laboureur", "84007", "84000", "Avignon", 43.9464, 4.8058, time.Time{}},
			{paca, "ceccano", "", "Médiathèque Ceccano d'Avignon", "2 bis rue Laboureur", "84007", "84000", "Avignon", 0, 0, time.Time{}},
		}, [][]int{{0, 1, 2}}},
		{"a place and the next door one, side by side", []rec{
			{var83, "belsunce58", unknownPivot, "EPN Belsunce", "58 cours Belsunce", "13201", "13001", "Marseille", 43.2989, 5.3782, time.Time{}},
			{paca, "belsunce58", unknownPivot, "EPN Belsunce", "58, cours Belsunce", "13201", "13001", "Marseille", 43.2990, 5.3782, time.Time{}},
			{paca, "belsunce16", unknownPivot, "EPN Belsunce", "16 cours Belsunce", "13201", "13001", "Marseille", 43.2995, 5.3780, time.Time{}},
		}, [][]int{{0, 1}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s, _ := openTestStore(t)
			ids := put(t, s, c.recs...)
			want := map[string]bool{} // sorted source ids joined, "" for a place alone
			for _, g := range c.groups {
				var src []string
				for _, i := range g {
					src = append(src, ids[i])
				}
				slices.Sort(src)
				want[strings.Join(src, " ")] = true
			}
			got := shown(t, s, catalogue.PlaceQuery{})
			wantItems := len(c.recs)
			for _, g := range c.groups {
				wantItems -= len(g) - 1
			}
			if len(got) != wantItems {
				t.Errorf("%d places shown; want %d: %v", len(got), wantItems, got)
			}
			for id, src := range got {
				if len(src) == 0 {
					continue
				}
				if !want[strings.Join(src, " ")] {
					t.Errorf("place %s shown merged from %v; want groups %v of %v", id, src, c.groups, ids)
				}
				delete(want, strings.Join(src, " "))
			}
			if len(want) > 0 {
				t.Errorf("groups not shown: %v (records %v)", want, ids)
			}
			if recs := shown(t, s, catalogue.PlaceQuery{Records: true}); len(recs) != len(c.recs) {
				t.Errorf("%d records listed; want %d", len(recs), len(c.recs))
			}
			// Any record's id answers its merged place.
			for _, id := range ids {
				p, err := s.MergedPlace(id)
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := got[p.ID]; !ok {
					t.Errorf("MergedPlace(%s) = %s, not a place shown", id, p.ID)
				}
			}
		})
	}
}

func TestMergedPlace(t *testing.T) {
	s, _ := openTestStore(t)
	older, newer := testNow.Add(-48*time.Hour), testNow.Add(24*time.Hour)
	ids := put(t, s,
		rec{"", "", "21840007600013", "Médiathèque Ceccano", "2 bis rue Laboureur", "84007", "84000", "Avignon", 43.9463, 4.8059, time.Time{}},
		rec{var83, "ceccano", "21840007600013", "Bibliothèque Ceccano", "2bis r. Laboureur", "84007", "84000", "Avignon", 43.9470, 4.8060, older},
		rec{paca, "ceccano", "21840007600013", "Médiathèque Ceccano (Avignon)", "2 bis rue Laboureur", "84007", "84000", "Avignon", 43.9463, 4.8059, newer},
	)
	// A field only the oldest record has, a list to unite.
	p := rec{var83, "ceccano", "21840007600013", "Bibliothèque Ceccano", "2bis r. Laboureur", "84007", "84000", "Avignon", 43.9470, 4.8060, older.Add(time.Hour)}.place()
	p.Telephone, p.Services = "04 90 85 15 59", []string{"Accès internet et matériel informatique"}
	p.Normalize()
	if err := s.PutRemotePlace("", p); err != nil {
		t.Fatal(err)
	}

	for _, ref := range append(ids, var83+"/lieux/ceccano") {
		m, err := s.MergedPlace(ref)
		if err != nil {
			t.Fatal(err)
		}
		if m.ID != ids[0] || !m.Network.Local || m.Network.Actor == "" {
			t.Errorf("MergedPlace(%s): id %s, network %+v; want the local record %s, with its actor", ref, m.ID, m.Network, ids[0])
		}
		// The local record's name and contact, even empty, are what its
		// instance shows; other networks add services.
		if m.Nom != "Médiathèque Ceccano" || m.Telephone != "" || len(m.Services) != 2 {
			t.Errorf("MergedPlace(%s): nom %q, telephone %q, services %v; want the local name, no phone (the local record has none), both services", ref, m.Nom, m.Telephone, m.Services)
		}
		if src := m.FieldSources["nom"]; len(src) != 1 || src[0] != m.APID {
			t.Errorf("MergedPlace(%s).FieldSources[nom] = %v; want the local record %s", ref, src, m.APID)
		}
		if len(m.Sources) != 3 || m.Sources[0].Network.Actor != paca || m.Sources[0].Updated != newer.UTC().Format(time.RFC3339) {
			t.Errorf("MergedPlace(%s).Sources = %+v; want three, newest first", ref, m.Sources)
		}
	}
	// A filter finds the place through any of its records, once.
	for _, q := range []catalogue.PlaceQuery{
		{Network: var83}, {Network: paca}, {Network: "local"}, {Text: "bibliothèque ceccano"},
		{Services: []string{"Accès internet et matériel informatique"}}, {Departement: "84"},
		{Near: &catalogue.LatLon{Lat: 43.9463, Lon: 4.8059}, RadiusKm: 1},
	} {
		if got := shown(t, s, q); len(got) != 1 || len(got[ids[0]]) != 3 {
			t.Errorf("Places(%+v) = %v; want the merged place once", q, got)
		}
	}
	if got := shown(t, s, catalogue.PlaceQuery{Network: var83, Records: true}); !has(got, ids[1]) || len(got) != 1 {
		t.Errorf("records of %s = %v; want its own", var83, got)
	}
	n := 0
	if err := s.EachPlace(func(p *catalogue.Place) error { n++; return nil }); err != nil || n != 1 {
		t.Errorf("EachPlace walked %d places (%v); want 1", n, err)
	}
	// A client PUTs back the merged place it read: the record keeps no
	// sources, and the place is still shown merged.
	m, err := s.MergedPlace(ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpdatePlace(ids[0], m); err != nil {
		t.Fatal(err)
	}
	if r, err := s.Place(ids[0]); err != nil || r.Sources != nil {
		t.Errorf("record after a PUT of the merged place: sources %v, %v", r.Sources, err)
	}
	if m, err := s.MergedPlace(ids[1]); err != nil || len(m.Sources) != 3 {
		t.Errorf("after the PUT: %+v, %v; want three sources", m, err)
	}
	// Events at any record show on the merged place.
	e := testEvent(ids[0], testNow.Add(24*time.Hour))
	if err := s.CreateEvent(e); err != nil {
		t.Fatal(err)
	}
	if page, err := s.Events(catalogue.EventQuery{Place: ids[2], From: testNow}); err != nil || page.Total != 1 {
		t.Errorf("events at the merged place through another record: %d (%v); want 1", page.Total, err)
	}
}

func TestSplitAndLinkSurviveReopenAndUpdates(t *testing.T) {
	dir := t.TempDir()
	s := openUnchecked(t, dir)
	ids := put(t, s,
		// Matched wrongly: same name and street, but two places.
		rec{"", "", unknownPivot, "Espace numérique", "1 place de la Mairie", "13055", "13001", "Marseille", 43.2965, 5.3698, time.Time{}},
		rec{paca, "mairie", unknownPivot, "Espace numérique", "1 place de la Mairie", "13055", "13001", "Marseille", 43.2966, 5.3698, time.Time{}},
		// Missed: a renamed place, 300 m from where the other network put it.
		rec{var83, "gare", unknownPivot, "Cyber-espace de la gare", "Place de la Gare", "83137", "83000", "Toulon", 43.1281, 5.9290, time.Time{}},
		rec{paca, "gare", unknownPivot, "Point numérique SNCF", "Gare de Toulon", "83137", "83000", "Toulon", 43.1305, 5.9310, time.Time{}},
	)
	if got := shown(t, s, catalogue.PlaceQuery{}); len(got) != 3 {
		t.Fatalf("before the decisions: %v", got)
	}
	if err := s.SplitPlace(ids[1]); err != nil {
		t.Fatal(err)
	}
	if err := s.LinkPlaces(ids[2], paca+"/lieux/gare"); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		got := shown(t, s, catalogue.PlaceQuery{})
		if len(got) != 3 || !has(got, ids[0]) || len(got[ids[0]]) != 0 || !has(got, ids[1]) || len(got[ids[1]]) != 0 {
			t.Errorf("%s: %v; want %s and %s apart, %s and %s together", when, got, ids[0], ids[1], ids[2], ids[3])
		}
		m, err := s.MergedPlace(ids[3])
		if err != nil || len(m.Sources) != 2 {
			t.Errorf("%s: MergedPlace(%s) = %+v, %v; want two sources", when, ids[3], m, err)
		}
	}
	check("after split and link")
	if err := s.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	s.Close()
	s = openAt(t, dir)
	check("after reopening")

	// Later updates of either record keep the decisions.
	local := rec{"", "", unknownPivot, "Espace numérique", "1, place de la Mairie", "13055", "13001", "Marseille", 43.2965, 5.3698, time.Time{}}.place()
	if err := s.UpdatePlace(ids[0], local); err != nil {
		t.Fatal(err)
	}
	for _, r := range []rec{
		{paca, "mairie", unknownPivot, "Espace numérique", "1 pl. de la Mairie", "13055", "13001", "Marseille", 43.2966, 5.3698, testNow.Add(time.Hour)},
		{paca, "gare", unknownPivot, "Point numérique SNCF (gare)", "Gare de Toulon", "83137", "83000", "Toulon", 43.1305, 5.9310, testNow.Add(time.Hour)},
		{var83, "gare", unknownPivot, "Cyber-espace de la gare", "Place de la Gare", "83137", "83000", "Toulon", 43.1281, 5.9290, testNow.Add(2 * time.Hour)},
	} {
		if err := s.PutRemotePlace("", r.place()); err != nil {
			t.Fatal(err)
		}
	}
	check("after updates of every record")

	// Linking again what was split undoes the split.
	if err := s.LinkPlaces(ids[0], ids[1]); err != nil {
		t.Fatal(err)
	}
	if got := shown(t, s, catalogue.PlaceQuery{}); len(got) != 2 {
		t.Errorf("after linking the split records: %v", got)
	}
	if err := s.LinkPlaces(ids[0], ids[0]); err == nil {
		t.Error("a record linked with itself")
	}
	if err := s.SplitPlace("inconnu"); err == nil {
		t.Error("split of an unknown place")
	}
}

func TestDeletingAMemberRegroupsTheRest(t *testing.T) {
	s, _ := openTestStore(t)
	// The local record and Var's match on the SIRET, Var's and PACA's on
	// name and location; the local record, without coordinates and with
	// its street written otherwise, matches PACA's only through Var's.
	ids := put(t, s,
		rec{"", "", "21840007600013", "Médiathèque Ceccano", "Rue Laboureur", "84007", "84000", "Avignon", 0, 0, time.Time{}},
		rec{var83, "ceccano", "21840007600013", "Médiathèque Ceccano", "2 bis rue Laboureur", "84007", "84000", "Avignon", 43.9463, 4.8059, time.Time{}},
		rec{paca, "ceccano", unknownPivot, "Médiathèque Ceccano", "2 bis rue Laboureur", "84007", "84000", "Avignon", 43.9464, 4.8059, time.Time{}},
		rec{var83b, "ceccano", unknownPivot, "Médiathèque Ceccano", "2 bis rue Laboureur", "84007", "84000", "Avignon", 43.9465, 4.8059, time.Time{}},
	)
	if got := shown(t, s, catalogue.PlaceQuery{}); len(got) != 1 {
		t.Fatalf("before: %v; want one place", got)
	}
	if err := s.DeleteRemote("", var83, var83+"/lieux/ceccano"); err != nil {
		t.Fatal(err)
	}
	got := shown(t, s, catalogue.PlaceQuery{})
	if len(got) != 2 || !has(got, ids[0]) || len(got[ids[0]]) != 0 {
		t.Errorf("after deleting the record that joined them: %v; want %s alone and the other two together", got, ids[0])
	}
	if _, err := s.MergedPlace(ids[1]); err == nil {
		t.Error("the deleted record still answers")
	}
	if err := s.DeleteNetwork(paca); err != nil {
		t.Fatal(err)
	}
	if got := shown(t, s, catalogue.PlaceQuery{}); len(got) != 2 || !has(got, ids[3]) || len(got[ids[3]]) != 0 {
		t.Errorf("after unfollowing PACA: %v; want two places alone", got)
	}
	if err := s.DeletePlace(ids[0]); err != nil {
		t.Fatal(err)
	}
}

func TestImportGroupsWithRemotePlaces(t *testing.T) {
	s, _ := openTestStore(t)
	put(t, s, rec{paca, "ceccano", "21840007600013", "Bibliothèque Ceccano", "2bis r. Laboureur", "84007", "84000", "Avignon", 43.9470, 4.8060, time.Time{}})
	r := rec{"", "", "21840007600013", "Médiathèque Ceccano", "2 bis rue Laboureur", "84007", "84000", "Avignon", 43.9463, 4.8059, time.Time{}}
	res := importOrFail(t, s, []ImportRecord{{Place: r.place(), SourceID: "1"}}, false)
	if res.Created != 1 {
		t.Fatalf("import: %+v", res)
	}
	if got := shown(t, s, catalogue.PlaceQuery{}); len(got) != 1 {
		t.Errorf("after import: %v; want one place", got)
	}
}

func TestMigrationToVersion4GroupsExistingPlaces(t *testing.T) {
	dir := t.TempDir()
	s := openUnchecked(t, dir)
	ids := put(t, s,
		rec{"", "", "21840007600013", "Médiathèque Ceccano", "2 bis rue Laboureur", "84007", "84000", "Avignon", 43.9463, 4.8059, time.Time{}},
		rec{paca, "ceccano", "21840007600013", "Bibliothèque Ceccano (Avignon)", "2bis, r. Laboureur", "84007", "84000", "Avignon", 43.9470, 4.8060, time.Time{}},
		rec{var83, "toulon", unknownPivot, "Médiathèque municipale", "Place de la Liberté", "83137", "83000", "Toulon", 43.1242, 5.9280, time.Time{}},
	)
	s.Close()
	// Make it a version 3 file: no buckets of version 4, no index entries
	// of groups.
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range groupBuckets {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		if err := foldJournal(tx); err != nil {
			return err
		}
		// The snapshot now holds the groups' entries: drop them.
		var b snapshotBuilder
		for _, kind := range []byte{kindPlace, kindEvent} {
			err := forEachSnapshot(tx, kind, func(id, entry []byte) error { b.add(kind, id, entry); return nil })
			if err != nil {
				return err
			}
		}
		if err := b.store(tx); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, binary.BigEndian.AppendUint64(nil, 3))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	s = openAt(t, dir)
	got := shown(t, s, catalogue.PlaceQuery{})
	if len(got) != 2 || len(got[ids[0]]) != 2 {
		t.Errorf("after the migration: %v; want the médiathèque of Avignon once, with two sources", got)
	}
}

// TestConflictingDecisionsGiveOneResult: V split from the others, then
// linked to P again; L still may not be with V, so L stays alone, and
// writing any of the three again changes nothing.
func TestConflictingDecisionsGiveOneResult(t *testing.T) {
	s, _ := openTestStore(t)
	recs := []rec{
		{"", "", unknownPivot, "Espace numérique", "1 place de la Mairie", "13055", "13001", "Marseille", 43.2965, 5.3698, time.Time{}},
		{paca, "mairie", unknownPivot, "Espace numérique", "1 place de la Mairie", "13055", "13001", "Marseille", 43.2966, 5.3698, time.Time{}},
		{var83, "mairie", unknownPivot, "Espace numerique", "1 pl. de la Mairie", "13055", "13001", "Marseille", 43.2965, 5.3699, time.Time{}},
	}
	ids := put(t, s, recs...)
	if got := shown(t, s, catalogue.PlaceQuery{}); len(got) != 1 {
		t.Fatalf("before: %v; want one place", got)
	}
	if err := s.SplitPlace(ids[2]); err != nil {
		t.Fatal(err)
	}
	if err := s.LinkPlaces(ids[2], ids[1]); err != nil {
		t.Fatal(err)
	}
	want := func(when string) {
		t.Helper()
		got := shown(t, s, catalogue.PlaceQuery{})
		if len(got) != 2 || !has(got, ids[0]) || len(got[ids[0]]) != 0 {
			t.Errorf("%s: %v; want %s alone, %s and %s together", when, got, ids[0], ids[1], ids[2])
		}
	}
	want("after split and link")
	if err := s.UpdatePlace(ids[0], recs[0].place()); err != nil {
		t.Fatal(err)
	}
	want("after the local record is written again")
	for _, i := range []int{1, 2} {
		r := recs[i]
		r.updated = testNow.Add(time.Duration(i) * time.Hour)
		if err := s.PutRemotePlace("", r.place()); err != nil {
			t.Fatal(err)
		}
		want("after " + r.network + " writes again")
	}
}

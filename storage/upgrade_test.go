package storage

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// TestUpgradeFromEarlierVersions opens the database file each earlier
// schema version made (testdata/upgrade, see its README) with the current
// code, and finds every record again.
func TestUpgradeFromEarlierVersions(t *testing.T) {
	const base = "https://reseau.example"
	fixtureNow := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	for _, v := range []int{1, 2, 3, 4} {
		t.Run("v"+string(rune('0'+v)), func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "upgrade", "v"+string(rune('0'+v))+".db"))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, FileName), src, 0o600); err != nil {
				t.Fatal(err)
			}
			clock := &fakeClock{t: fixtureNow.Add(time.Hour)}
			s, err := Open(dir, Options{DefaultURL: "http://localhost:8080", Now: clock.now})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			if err := s.Check(); err != nil {
				t.Errorf("Check after the upgrade: %v", err)
			}
			if s.BaseURL() != base {
				t.Errorf("BaseURL = %q; want %s, that of its records", s.BaseURL(), base)
			}
			s.db.View(func(tx *bolt.Tx) error {
				if got := binary.BigEndian.Uint64(tx.Bucket(bucketMeta).Get(keySchemaVersion)); got != schemaVersion {
					t.Errorf("schema version %d; want %d", got, schemaVersion)
				}
				return nil
			})
			if st, _ := s.Settings(); st.Name != "Réseau fixture" || st.Handle != "fixture" {
				t.Errorf("settings = %+v", st)
			}

			local, err := s.Places(catalogue.PlaceQuery{Network: "local", Limit: 10, Records: true})
			if err != nil || local.Total != 4 {
				t.Fatalf("local places: %d, %v; want 4 (5 created, 1 deleted)", local.Total, err)
			}
			edited := false
			for _, p := range local.Items {
				if !strings.HasPrefix(p.APID, base+"/lieux/") || !p.Network.Local {
					t.Errorf("place %s: ap_id %s, network %+v", p.ID, p.APID, p.Network)
				}
				edited = edited || p.Horaires == "Mo-Sa 09:00-12:00" && p.Nom == "Espace numérique Marseille"
			}
			if !edited {
				t.Error("the edit of the Marseille place is lost")
			}
			found, err := s.Places(catalogue.PlaceQuery{Text: "Arles", Limit: 10})
			if err != nil || found.Total != 1 {
				t.Errorf("search « Arles »: %d, %v; want 1", found.Total, err)
			}
			events, err := s.Events(catalogue.EventQuery{From: fixtureNow, To: fixtureNow.AddDate(0, 1, 0), Limit: 50})
			names := map[string]bool{}
			for _, e := range events.Items {
				names[e.Nom] = true
			}
			wantNames := []string{"Atelier smartphone 1", "Atelier smartphone 2", "Atelier smartphone 3"}
			if v >= 2 {
				wantNames = append(wantNames, "Permanence France services") // the followed network's
			}
			if err != nil || len(names) != len(wantNames) {
				t.Errorf("events of the next month: %v, %v; want %v", names, err, wantNames)
			}
			for _, n := range wantNames {
				if !names[n] {
					t.Errorf("event %q lost", n)
				}
			}
			if _, err := s.Authenticate("admin@reseau.example", "un mot de passe solide"); err != nil {
				t.Errorf("admin login: %v", err)
			}
			if u, err := s.Authenticate("editeur@reseau.example", "un autre mot de passe"); err != nil || u.Role != RoleEditor {
				t.Errorf("editor login: %v, %v", u, err)
			}
			if v == 1 {
				return // no federation yet
			}

			if f, err := s.Followers(); err != nil || len(f) != 1 || f[0].State != FollowAccepted {
				t.Errorf("followers: %v, %v", f, err)
			}
			if f, err := s.Followings(); err != nil || len(f) != 1 || !f[0].Backfilled {
				t.Errorf("followings: %v, %v", f, err)
			}
			if p, err := s.Place("https://autre.example/lieux/a1"); err != nil || p.Network.Local || p.Commune != "Hyères" {
				t.Errorf("remote place: %v, %v", p, err)
			}
			var deleted string
			s.db.View(func(tx *bolt.Tx) error {
				k, _ := tx.Bucket(bucketTombstones).Cursor().First()
				deleted = string(k)
				return nil
			})
			if _, err := s.TombstoneOf(deleted); err != nil || !strings.HasPrefix(deleted, base+"/lieux/") {
				t.Errorf("tombstone %q: %v", deleted, err)
			}
			if err := s.MarkActivity("https://autre.example/activities/c1"); !errors.Is(err, ErrDuplicate) {
				t.Errorf("a processed activity is not known any more: %v", err)
			}
			// 5 place creations, an edit, 3 events, a deletion.
			if n := outboxTotal(t, s); n != 10 {
				t.Errorf("outbox: %d activities; want 10", n)
			}
			if n := s.QueueLength(); n == 0 {
				t.Error("the deliveries queued for the follower are lost")
			}
			// The migration indexed the outbox: a year later, pruning
			// leaves the latest activity of each current object.
			clock.advance(365 * 24 * time.Hour)
			if _, err := s.Prune(); err != nil {
				t.Fatal(err)
			}
			if n := outboxTotal(t, s); n != 7 {
				t.Errorf("outbox a year later: %d activities; want 7 (4 places, 3 events)", n)
			}
			if err := s.Check(); err != nil {
				t.Errorf("Check after pruning: %v", err)
			}
		})
	}
}

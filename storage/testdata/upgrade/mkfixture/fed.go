package main

import (
	"io"
	"log/slog"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/federation"
	"github.com/maillage/maillage/storage"
)

const other = "https://autre.example/actor"

// federate sets the federation's publisher and records a follower and a
// followed network.
func federate(st *storage.Store) error {
	fed, err := federation.New(federation.Config{Store: st, BaseURL: base, Now: func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	_ = fed // not started: nothing is delivered, the queue stays
	if err := st.PutFollower(storage.Follower{Actor: other, Inbox: "https://autre.example/actor/inbox",
		SharedInbox: "https://autre.example/inbox", FollowID: "https://autre.example/activities/1",
		State: storage.FollowAccepted, Since: now}); err != nil {
		return err
	}
	return st.PutFollowing(storage.Following{ID: base + "/activities/follow-1", Actor: other,
		Inbox: "https://autre.example/actor/inbox", State: storage.FollowAccepted, Created: now, Backfilled: true})
}

// remote stores a place and an event of the followed network.
func remote(st *storage.Store) error {
	p := &catalogue.Place{APID: "https://autre.example/lieux/a1", Network: catalogue.Network{Name: "Autre réseau", Actor: other},
		Updated: now, Pivot: "21830000000001", Nom: "Médiathèque de Hyères", Adresse: "Place Clemenceau",
		CodePostal: "83400", Commune: "Hyères", CodeINSEE: "83069", Latitude: fl(43.12), Longitude: fl(6.13),
		Services: []string{"aide-aux-demarches-administratives"}, DateMaj: "2026-01-02"}
	if err := st.PutRemotePlace("https://autre.example/activities/c1", p); err != nil {
		return err
	}
	e := &catalogue.Event{APID: "https://autre.example/evenements/e1", Network: p.Network, Updated: now,
		Nom: "Permanence France services", Debut: now.AddDate(0, 0, 3), Fin: now.AddDate(0, 0, 3).Add(3 * time.Hour),
		Lieu: p.APID, Statut: "confirme"}
	return st.PutRemoteEvent("https://autre.example/activities/c2", e)
}

package storage

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// schemaVersion is the version of the layout described in this file. Open
// migrates an older file up to it, one step at a time.
const schemaVersion = 5

// Bucket names. Every bucket is created at Open, in one transaction.
var (
	bucketMeta   = []byte("meta")   // key → value: schema version, instance settings, base URL (url.go)
	bucketPlaces = []byte("places") // place id → JSON catalogue.Place
	bucketEvents = []byte("events") // event id → JSON catalogue.Event

	// Indexes, written in the same transaction as their record.
	bucketPlacesByService = []byte("places_by_service") // service "/" place id → nil
	bucketPlacesByDept    = []byte("places_by_dept")    // département "/" code INSEE "/" place id → nil
	bucketEventsByStart   = []byte("events_by_start")   // eventStartKey → nil
	bucketEventsByPlace   = []byte("events_by_place")   // place id "/" event id → nil
	bucketObjects         = []byte("objects")           // ActivityPub id → kind byte + record id

	bucketUsers      = []byte("users")      // email → JSON user
	bucketTokens     = []byte("tokens")     // SHA-256 of the token → JSON token
	bucketDeliveries = []byte("deliveries") // due time + sequence → JSON Delivery

	// Federation, from schema version 2.
	bucketFollowers  = []byte("followers")  // actor IRI → JSON Follower
	bucketFollowing  = []byte("following")  // actor IRI → JSON Following
	bucketActors     = []byte("actors")     // actor or key IRI → JSON RemoteActor (a cache)
	bucketActivities = []byte("activities") // id of a processed incoming activity → Unix time
	bucketOutbox     = []byte("outbox")     // sequence (hex) → JSON activity sent
	bucketTombstones = []byte("tombstones") // ActivityPub id of a deleted local record → JSON Tombstone

	// The index entries of the records (what the search index needs of
	// each, see load.go), from schema version 3: a snapshot in large
	// chunks, and the entries written since, in the same transaction as
	// their record.
	bucketIndexSnapshot = []byte("index_snapshot") // kind byte + chunk number (uint32) → entries; 'n' + kind → their number
	bucketIndexJournal  = []byte("index_journal")  // kind byte + record id → entry; empty: removed

	// One place, several networks (groups.go), from schema version 4.
	bucketPlaceMatch     = []byte("place_match")     // catalogue.MatchKeys "/" place id → nil, with the record
	bucketPlaceGroups    = []byte("place_groups")    // 'm' + place id → group id; 'g' + group id → place ids joined by "\n"
	bucketPlaceDecisions = []byte("place_decisions") // 'l' or 's' (link, split) + ap_id + " " + ap_id → 1, both ways

	// What the outbox keeps (prune.go), from schema version 5.
	bucketOutboxObjects = []byte("outbox_objects") // object ap_id → sequence of its latest activity (uint64) + its Unix time (uint64)
	bucketOutboxStale   = []byte("outbox_stale")   // Unix time (uint64) + sequence (uint64) of a superseded activity → nil
)

var allBuckets = [][]byte{
	bucketMeta, bucketPlaces, bucketEvents,
	bucketPlacesByService, bucketPlacesByDept, bucketEventsByStart, bucketEventsByPlace, bucketObjects,
	bucketUsers, bucketTokens, bucketDeliveries,
}

// federationBuckets are created by the migration to version 2.
var federationBuckets = [][]byte{
	bucketFollowers, bucketFollowing, bucketActors, bucketActivities, bucketOutbox, bucketTombstones,
}

// groupBuckets are created by the migration to version 4.
var groupBuckets = [][]byte{bucketPlaceMatch, bucketPlaceGroups, bucketPlaceDecisions}

var keySchemaVersion = []byte("schema_version")

// migrations[v] upgrades a file from version v to v+1. Version 0 is an empty
// file: creating the buckets is all it needs.
var migrations = []func(tx *bolt.Tx) error{
	0: func(*bolt.Tx) error { return nil },
	1: func(tx *bolt.Tx) error {
		for _, name := range federationBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
	2: rebuildEntries,
	3: groupAll,
	4: indexOutbox,
}

// migrate creates the buckets and brings the schema up to schemaVersion.
func migrate(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	meta := tx.Bucket(bucketMeta)
	version := uint64(0)
	if v := meta.Get(keySchemaVersion); v != nil {
		version = binary.BigEndian.Uint64(v)
	}
	if version > schemaVersion {
		return fmt.Errorf("schema version %d is newer than this program's (%d): upgrade maillage", version, schemaVersion)
	}
	for ; version < schemaVersion; version++ {
		if err := migrations[version](tx); err != nil {
			return fmt.Errorf("migrate schema from version %d: %w", version, err)
		}
	}
	return meta.Put(keySchemaVersion, binary.BigEndian.AppendUint64(nil, schemaVersion))
}

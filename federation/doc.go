// Package federation is Maillage's ActivityPub side, with go-fed/activity
// and go-ap/jsonld: the network's actor (a Group) and its collections,
// WebFinger and NodeInfo (discovery.go), the inbox and its checks
// (inbox.go: signature, blocks, origin of every object), HTTP signatures
// and the keys of remote actors in every shape real servers use
// (httpsig.go, keys.go), the conversion of places and events to and from
// ActivityStreams (objects.go, vocabulary.go), following and backfill
// (follow.go), signed delivery from the persistent queue (delivery.go),
// relaying (relay.go), moderation and error reports sent as Flags.
// It is the only package allowed to import those libraries; it reaches
// the database only through storage.
package federation

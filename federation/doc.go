// Package federation will own ActivityPub for Maillage: the network actor,
// WebFinger, NodeInfo, inbox and outbox, HTTP signatures, delivery workers,
// backfill and relaying, with go-fed/activity and go-ap/jsonld. It is the
// only package allowed to import those libraries. It is empty until the
// federation issue lands; storage already has the delivery queue's bucket.
package federation

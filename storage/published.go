package storage

import "time"

// Publication dates. A local record's Published is set once, at its
// creation, in whole seconds, and its Updated is then the same instant:
// fediverse servers show a status whose updated differs from its
// published as edited, and refuse an Update whose published moved
// (GoToSocial's enrichStatus, Mastodon's status updates). Each later edit
// sets Updated to a time strictly after Published.

// publishedAt is the publication time of a record created at now.
func publishedAt(now time.Time) time.Time { return now.UTC().Truncate(time.Second) }

// keptPublished is the publication time of an edited record: the stored
// one, or, for a record from before it was kept, its last update time
// (what it was published with until then).
func keptPublished(published, updated time.Time) time.Time {
	if !published.IsZero() {
		return published
	}
	return publishedAt(updated)
}

// editedAt is the update time of an edit at now of a record published at
// published: now, or just after published when the clock has not moved
// past it (an edit within the second of the creation, or a fixed clock).
func editedAt(published, now time.Time) time.Time {
	now = now.UTC()
	if !now.After(published) {
		return published.Add(time.Millisecond)
	}
	return now
}

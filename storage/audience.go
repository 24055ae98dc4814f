package storage

// Who gets what. A network's followers are of two kinds: other networks
// (Maillage's Groups, Mobilizon's and Gancio's instance actors, relays),
// which keep a catalogue and want every change; and people following it
// from Mastodon, GoToSocial and the like (Person), whose servers make a
// status of every object they receive. A person wants the ateliers, not
// a status for every place created or every change of opening hours: a
// place's Create, Update and Delete go to every follower but people.
// Events, with their place embedded, go to everyone.

// Wants says whether the follower should receive the activity of c.
func (f Follower) Wants(c Change) bool {
	if c.Event == nil && f.Type == "Person" {
		return false
	}
	return true
}

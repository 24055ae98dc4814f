package storage

import (
	"maps"
	"testing"
)

// TestGauges: the snapshot /metrics reads counts the delivery queue by
// destination host and the keys of each bucket.
func TestGauges(t *testing.T) {
	st, _ := openTestStore(t)
	for _, inbox := range []string{"https://a.example/inbox", "https://a.example/users/x/inbox", "https://b.example:8443/inbox"} {
		if err := st.Enqueue(inbox, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
	}
	g, err := st.Gauges()
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"a.example": 2, "b.example:8443": 1}; !maps.Equal(g.QueueByHost, want) {
		t.Errorf("QueueByHost = %v; want %v", g.QueueByHost, want)
	}
	if g.BucketKeys["deliveries"] != 3 || g.DatabaseBytes <= 0 || g.InboxBacklog != 0 {
		t.Errorf("Gauges() = %+v; want 3 deliveries, a size, no backlog", g)
	}
}

package uitest

import (
	"context"
	"testing"
	"time"

	"github.com/maillage/maillage/federation"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui"
)

// Peer is an instance with its federation service, as cmd/maillage
// wires it but without the delivery workers: a test runs the deliveries
// with Deliver, so that two peers federate in step.
type Peer struct {
	*Instance
	Fed *federation.Service
}

// NewPeer starts an instance named name, with the handle handle, that
// federates with other instances on loopback.
func NewPeer(t *testing.T, name, handle string) *Peer {
	t.Helper()
	in := NewInstance(t)
	if err := in.Store.SetSettings(storage.Settings{Name: name, Handle: handle}); err != nil {
		t.Fatal(err)
	}
	fed, err := federation.New(federation.Config{Store: in.Store, BaseURL: in.Srv.URL, Logger: QuietLog,
		Now: func() time.Time { return in.Now }, AllowPrivate: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fed.Close) // before the store closes
	in.Srv.Config.Handler = ui.New(ui.Config{Store: in.Store, Logger: QuietLog, Now: func() time.Time { return in.Now }, Federation: fed})
	return &Peer{Instance: in, Fed: fed}
}

// Follow makes p follow other and runs the handshake: the Follow, then
// the Accept; other's catalogue then reaches p by backfill, in the
// background (see WaitFor).
func (p *Peer) Follow(other *Peer) {
	p.T.Helper()
	if _, err := p.Fed.Follow(context.Background(), other.Srv.URL+"/actor"); err != nil {
		p.T.Fatalf("follow %s: %v", other.Srv.URL, err)
	}
	p.Deliver()
	other.Deliver()
	p.Store.Settle()
}

// Deliver sends p's due deliveries, once p has applied what its inbox
// accepted.
func (p *Peer) Deliver() {
	p.Store.Settle()
	p.Fed.DeliverDue(context.Background())
}

// WaitFor polls cond for up to 10 s (backfills run in the background).
func WaitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

package federation

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
	"github.com/maillage/maillage/storage"
)

// The benchmarks of issue 4. Run them with
//
//	go test ./federation -run '^$' -bench . -benchtime 1x
//
// (BenchmarkInbox wants more iterations: -benchtime 5000x). Each reports
// its target's unit; docs/BENCHMARKS.md records the figures.

// BenchmarkRSA2048 is the raw cost of the cryptography the others are
// compared with.
func BenchmarkRSA2048(b *testing.B) {
	key, err := GenerateKey()
	if err != nil {
		b.Fatal(err)
	}
	sum := sha256.Sum256([]byte("(request-target): post /inbox\nhost: example.org\ndate: x\ndigest: y"))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	b.Run("sign", func(b *testing.B) {
		for b.Loop() {
			rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
		}
	})
	b.Run("verify", func(b *testing.B) {
		for b.Loop() {
			if err := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, sum[:], sig); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkInbox: signed Create{Event} from 20 remote networks, each
// verified and durably stored by the receiving instance. Requests are
// signed beforehand (that is the senders' work) and posted by 16
// concurrent connections, as peers' delivery workers do.
func BenchmarkInbox(b *testing.B) {
	c := newClock()
	var senders []*instance
	region := newInstance(b, c, "Région Sud", "paca")
	for i := range 20 {
		s := newInstance(b, c, fmt.Sprintf("Réseau %d", i), fmt.Sprintf("reseau%d", i))
		region.follow(s)
		senders = append(senders, s)
	}
	reqs := make([]signed, b.N)
	for n := range b.N {
		r, err := signedCreate(c, senders[n%len(senders)], region, n)
		if err != nil {
			b.Fatal(err)
		}
		reqs[n] = r
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	var next atomic.Int64
	var failed atomic.Int64
	var ru0 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	b.ResetTimer()
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := int(next.Add(1)) - 1
				if n >= len(reqs) {
					return
				}
				req, _ := http.NewRequest(http.MethodPost, region.base+"/inbox", bytes.NewReader(reqs[n].body))
				req.Header = reqs[n].header
				resp, err := client.Do(req)
				if err != nil || resp.StatusCode != http.StatusAccepted {
					failed.Add(1)
				}
				if resp != nil {
					resp.Body.Close()
				}
			}
		}()
	}
	wg.Wait()
	region.store.Settle() // counted: applied, not only accepted
	b.StopTimer()
	var ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := time.Duration(ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano())
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-us/act")
	b.ReportMetric(float64(ru1.Stime.Nano()-ru0.Stime.Nano())/1e3/float64(b.N), "sys-us/act")
	if f := failed.Load(); f > 0 {
		b.Fatalf("%d activities refused", f)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "activities/s")
	res, _ := region.store.Events(catalogue.EventQuery{From: c.Now().Add(-time.Hour), To: c.Now().AddDate(1, 0, 0), Limit: 1})
	if res.Total != b.N {
		b.Fatalf("%d events stored; want %d", res.Total, b.N)
	}
}

// BenchmarkFanOut: one new event for 1,000 followers (Mastodon-like
// accounts, ten per host) on 100 hosts with shared inboxes: 100 signed
// deliveries. It reports the time against that of 100 RSA signatures.
func BenchmarkFanOut(b *testing.B) {
	c := newClock()
	a13 := newInstance(b, c, "Arsenic 13", "arsenic13")
	var received atomic.Int64
	for range 100 {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			received.Add(1)
			w.WriteHeader(http.StatusAccepted)
		}))
		b.Cleanup(srv.Close)
		for u := range 10 {
			actor := fmt.Sprintf("%s/users/u%d", srv.URL, u)
			err := a13.store.PutFollower(storage.Follower{Actor: actor, Inbox: actor + "/inbox",
				SharedInbox: srv.URL + "/inbox", FollowID: actor + "#follow", State: storage.FollowAccepted, Since: c.Now()})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	p := a13.place("Médiathèque", "Marseille")
	a13.deliver()
	received.Store(0)

	sum := sha256.Sum256([]byte("x"))
	t0 := time.Now()
	for range 100 {
		rsa.SignPKCS1v15(rand.Reader, a13.fed.key, crypto.SHA256, sum[:])
	}
	signatures := time.Since(t0)

	b.ResetTimer()
	var creating time.Duration
	for n := range b.N {
		t0 := time.Now()
		a13.event(fmt.Sprintf("Atelier %d", n), p, c.Now().Add(24*time.Hour))
		creating += time.Since(t0)
		a13.deliver()
	}
	b.Logf("creating %v per event", creating/time.Duration(b.N))
	b.StopTimer()
	if got := received.Load(); got != int64(100*b.N) {
		b.Fatalf("%d deliveries received; want %d", got, 100*b.N)
	}
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(per.Milliseconds()), "ms/event")
	b.ReportMetric(float64(signatures.Milliseconds()), "ms/100-signatures")
	b.ReportMetric(float64(per)/float64(signatures), "x-signatures")
}

// BenchmarkBackfill: a new follower of an instance holding 2,000 places
// and 8,000 events has them all.
func BenchmarkBackfill(b *testing.B) {
	c := newClock()
	a13 := newInstance(b, c, "Arsenic 13", "arsenic13")
	places := sample.Places(2000, 1)
	if err := a13.store.CreatePlaces(places); err != nil {
		b.Fatal(err)
	}
	ids := make([]string, len(places))
	for i, p := range places {
		ids[i] = p.ID
	}
	events := sample.Events(ids, 8000, c.Now(), 2)
	if err := a13.store.CreateEvents(events); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for n := range b.N {
		region := newInstance(b, c, "Région", fmt.Sprintf("region%d", n))
		region.follow(a13)
		for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
			if f, _ := region.store.FollowingActor(a13.fed.Actor()); f.Backfilled {
				break
			}
			if time.Now().After(deadline) {
				pl, ev := region.count(a13.fed.Actor())
				b.Fatalf("backfill unfinished after 2 minutes: %d places, %d events", pl, ev)
			}
		}
		b.StopTimer()
		pl, ev := region.count(a13.fed.Actor())
		if pl != 2000 || ev < 8000 {
			b.Fatalf("the follower has %d places and %d events; want 2000 and at least 8000 occurrences", pl, ev)
		}
		b.StartTimer()
	}
}

// BenchmarkNationalConvergence (issue 5): a national instance follows 13
// relaying regions, each following 8 départements of 200 places (20,800
// places); it reports how long until the nation has them all. Setting up
// the 118 instances (keys, 20,800 places) is not timed.
//
//	go test ./federation -run '^$' -bench NationalConvergence -benchtime 1x -timeout 30m
func BenchmarkNationalConvergence(b *testing.B) {
	const regions, depts, perDept = 13, 8, 200
	c := newClock()
	all := sample.Places(regions*depts*perDept, 7)
	var regionInstances []*instance
	for r := range regions {
		region := newRelay(b, c, fmt.Sprintf("Région %d", r+1), fmt.Sprintf("region%d", r+1))
		for d := range depts {
			dept := newInstance(b, c, fmt.Sprintf("Département %d-%d", r+1, d+1), fmt.Sprintf("dept%d_%d", r+1, d+1))
			start := (r*depts + d) * perDept
			if err := dept.store.CreatePlaces(all[start : start+perDept]); err != nil {
				b.Fatal(err)
			}
			region.follow(dept)
		}
		waitBackfilled(b, region)
		regionInstances = append(regionInstances, region)
	}
	b.ResetTimer()
	for n := range b.N {
		nation := newInstance(b, c, "France", fmt.Sprintf("france%d", n))
		start := time.Now()
		for _, region := range regionInstances {
			nation.follow(region)
		}
		for {
			res, err := nation.store.Places(catalogue.PlaceQuery{Limit: 1})
			if err != nil {
				b.Fatal(err)
			}
			if res.Total == regions*depts*perDept {
				break
			}
			if time.Since(start) > 10*time.Minute {
				b.Fatalf("after 10 minutes the nation has %d places of %d", res.Total, regions*depts*perDept)
			}
			time.Sleep(20 * time.Millisecond)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s-to-converge")
	}
}

// waitBackfilled waits until every follow of in has been backfilled.
func waitBackfilled(b *testing.B, in *instance) {
	for deadline := time.Now().Add(5 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
		fs, _ := in.store.Followings()
		done := true
		for _, f := range fs {
			done = done && f.Backfilled
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%s: backfills unfinished after 5 minutes", in.name)
		}
	}
}

// signed is an activity signed by its sender beforehand, ready to post.
type signed struct {
	body   []byte
	header http.Header
}

// signedCreate is the n-th Create of an event at one of seven places of
// sender s, signed for region's inbox: the inbox benchmarks' traffic.
func signedCreate(c *clock, s, region *instance, n int) (signed, error) {
	p := s.remotePlace(fmt.Sprintf("p%d", n%7), fmt.Sprintf("EPN %d", n%7))
	start := c.Now().Add(time.Duration(n%500) * time.Hour)
	e := &catalogue.Event{APID: fmt.Sprintf("%s/evenements/e%d", s.base, n), Network: p.Network,
		Nom: "Atelier numérique", Description: "<p>Découvrir sa messagerie.</p>",
		Debut: start, Fin: start.Add(2 * time.Hour), Updated: c.Now()}
	body := s.activity("Create", fmt.Sprintf("c%d", n), EventObject(e, p))
	req, err := http.NewRequest(http.MethodPost, region.base+"/inbox", bytes.NewReader(body))
	if err != nil {
		return signed{}, err
	}
	req.Header.Set("Content-Type", ContentType)
	if err := Sign(req, s.fed.keyID, s.fed.key, body, c.Now()); err != nil {
		return signed{}, err
	}
	return signed{body, req.Header}, nil
}

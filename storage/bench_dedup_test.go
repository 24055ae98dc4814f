package storage_test

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
	"github.com/maillage/maillage/storage"
)

// BenchmarkDuplicates measures what deduplication costs where it works:
// a coordinator's store with the 25,000 places of the dataset as its own,
// then another network publishing 5,000 of the same places again (one in
// five, named otherwise and 20 m away), in batches of 100 as a backfill
// stores them. It reports the time to store the other network's records,
// how many places lists show (25,000 when every copy was merged), the
// start-up time of the store with its 5,000 groups, and the latencies of a
// list, a text search and a search near a point.
func BenchmarkDuplicates(b *testing.B) {
	const remoteActor = "https://autre.example/actor"
	var remote, startup time.Duration
	shown := 0
	var lat [3]latencies // list, text, near
	for range b.N {
		b.StopTimer()
		dir := b.TempDir()
		s := openBench(b, dir)
		places := sample.Places(benchPlaces, benchSeed)
		for _, p := range places {
			p.Normalize()
		}
		for i := 0; i < len(places); i += placeBatch {
			if err := s.CreatePlaces(places[i:min(i+placeBatch, len(places))]); err != nil {
				b.Fatal(err)
			}
		}
		var objs []storage.Remote
		for i := 0; i < len(places); i += 5 {
			c := *places[i]
			c.ID, c.APID = "", fmt.Sprintf("https://autre.example/lieux/%d", i)
			c.Network = catalogue.Network{Name: "Autre réseau", Actor: remoteActor}
			c.Updated = benchNow.Add(time.Hour)
			c.Nom += " (" + c.Commune + ")"
			if c.Latitude != nil {
				la, lo := *c.Latitude+0.00018, *c.Longitude
				c.Latitude, c.Longitude = &la, &lo
			}
			objs = append(objs, storage.Remote{Place: &c})
		}
		b.StartTimer()

		t0 := time.Now()
		for i := 0; i < len(objs); i += 100 {
			if err := s.PutRemote("", objs[i:min(i+100, len(objs))]...); err != nil {
				b.Fatal(err)
			}
		}
		remote += time.Since(t0)

		b.StopTimer()
		page, err := s.Places(catalogue.PlaceQuery{Limit: 1})
		if err != nil {
			b.Fatal(err)
		}
		shown += page.Total
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		openBench(b, dir).Close() // the first open folds the journal
		b.StartTimer()
		t1 := time.Now()
		s = openBench(b, dir)
		startup += time.Since(t1)
		b.StopTimer()
		for i := range 300 {
			for k, q := range []catalogue.PlaceQuery{
				{},
				{Text: benchTexts[i%len(benchTexts)]},
				{Near: &benchNear[i%len(benchNear)], RadiusKm: 20},
			} {
				lat[k].start()
				if _, err := s.Places(q); err != nil {
					b.Fatal(err)
				}
				lat[k].stop()
			}
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(remote.Seconds()/n, "remote-s")
	b.ReportMetric(float64(shown)/n, "shown")
	b.ReportMetric(float64(startup.Milliseconds())/n, "startup-ms")
	for k, name := range []string{"list", "text", "near"} {
		slices.Sort(lat[k].wall)
		slices.Sort(lat[k].cpu)
		p99 := func(d []time.Duration) float64 {
			return float64(d[int(math.Ceil(0.99*float64(len(d))))-1].Nanoseconds()) / 1000
		}
		b.ReportMetric(p99(lat[k].wall), name+"-p99-µs")
		if len(lat[k].cpu) > 0 {
			b.ReportMetric(p99(lat[k].cpu), name+"-cpu-p99-µs")
		}
	}
}

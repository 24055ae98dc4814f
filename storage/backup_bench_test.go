package storage_test

import (
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

// BenchmarkBackupWhileServing (issue 16): a backup of the national-scale
// store (Store.Backup to a file, as GET /api/v1/admin/backup streams it)
// while one goroutine searches without pause, as a busy site would. It
// reports the backup's time and size, and the p99 of the searches
// without a backup (3 s of them) and during it. Run it with
//
//	go test ./storage -run '^$' -bench BackupWhileServing -benchtime 1x
func BenchmarkBackupWhileServing(b *testing.B) {
	s := openBench(b, benchData(b))
	defer s.Close()
	var queries []catalogue.PlaceQuery
	for _, t := range benchTexts {
		queries = append(queries, catalogue.PlaceQuery{Text: t})
	}
	for _, p := range benchNear {
		queries = append(queries, catalogue.PlaceQuery{Near: &p, RadiusKm: 10})
	}
	search := func(l *latencies, stop func() bool) {
		for i := 0; !stop(); i++ {
			l.start()
			_, err := s.Places(queries[i%len(queries)])
			l.stop()
			if err != nil {
				b.Error(err)
				return
			}
		}
	}
	for b.Loop() {
		var quiet latencies
		end := time.Now().Add(3 * time.Second)
		search(&quiet, func() bool { return time.Now().After(end) })

		path := filepath.Join(b.TempDir(), "backup.db")
		var done atomic.Bool
		var during latencies
		searched := make(chan struct{})
		go func() {
			defer close(searched)
			search(&during, done.Load)
		}()
		start := time.Now()
		n, err := s.BackupFile(path)
		took := time.Since(start)
		done.Store(true)
		<-searched
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		r, err := storage.CheckFile(path)
		if err != nil || len(r.Problems) > 0 {
			b.Fatalf("backup check: %v %v", r.Problems, err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "check-s")
		os.Remove(path)

		b.ReportMetric(took.Seconds(), "backup-s")
		b.ReportMetric(float64(n)/1e6, "backup-MB")
		q, d := p99(quiet.wall), p99(during.wall)
		b.ReportMetric(q, "search-p99-quiet-µs")
		b.ReportMetric(d, "search-p99-backup-µs")
		b.ReportMetric(d/q, "p99-ratio")
		if len(quiet.cpu) > 0 && len(during.cpu) > 0 {
			// CPU time leaves out the waits for CPUs other processes hold.
			qc, dc := p99(quiet.cpu), p99(during.cpu)
			b.ReportMetric(qc, "search-cpu-p99-quiet-µs")
			b.ReportMetric(dc, "search-cpu-p99-backup-µs")
		}
		b.ReportMetric(float64(len(during.wall)), "searches-during")
	}
}

// p99 is the 99th percentile of d, in microseconds.
func p99(d []time.Duration) float64 {
	if len(d) == 0 {
		return 0
	}
	sorted := slices.Sorted(slices.Values(d))
	return float64(sorted[min(len(sorted)-1, len(sorted)*99/100)].Nanoseconds()) / 1000
}

package storage_test

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue/sample"
	"github.com/maillage/maillage/federation"
	"github.com/maillage/maillage/storage"
)

// BenchmarkEditsCompact: 1,000 places imported, then 100,000 edits
// spread over them (100 daily imports of the same file, each changing
// every place, as a network's scheduled sync does), with the federation's
// real publisher filling the outbox. It reports the file's size right
// after the first import, and after pruning and compaction: at the end of
// the edits (the outbox then still holds every activity of the last 7
// days) and once the retention period has passed. See docs/BENCHMARKS.md.
func BenchmarkEditsCompact(b *testing.B) {
	const places, rounds = 1000, 100
	for range b.N {
		dir := b.TempDir()
		var clock atomic.Int64
		clock.Store(benchNow.UnixNano())
		now := func() time.Time { return time.Unix(0, clock.Load()) }
		var s *storage.Store
		var fed *federation.Service
		open := func() {
			var err error
			if s, err = storage.Open(dir, storage.Options{BaseURL: "http://bench.example", Now: now}); err != nil {
				b.Fatal(err)
			}
			fed, err = federation.New(federation.Config{Store: s, BaseURL: "http://bench.example", Now: now,
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				b.Fatal(err)
			}
		}
		closeStore := func() {
			fed.Close()
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
		}
		compact := func() int64 {
			if _, after, err := storage.Compact(dir); err != nil {
				b.Fatal(err)
			} else {
				return after
			}
			return 0
		}
		prune := func() {
			open()
			if _, err := s.Prune(); err != nil {
				b.Fatal(err)
			}
			closeStore()
		}
		ps := sample.Places(places, benchSeed)
		importRound := func(round int) {
			recs := make([]storage.ImportRecord, len(ps))
			for i, p := range ps {
				c := *p
				c.ID, c.APID = "", ""
				c.PresentationResume = fmt.Sprintf("Mis à jour le jour %d.", round)
				recs[i] = storage.ImportRecord{SourceID: fmt.Sprintf("lieu-%d", i), Place: &c}
			}
			res, err := s.ImportPlaces(recs, storage.ImportOptions{})
			if err != nil {
				b.Fatal(err)
			}
			if round > 0 && res.Updated != len(ps) {
				b.Fatalf("round %d: %d updated; want %d", round, res.Updated, len(ps))
			}
		}
		open()
		importRound(0)
		closeStore()
		imported := fileSize(b, dir)
		importedCompact := compactCopy(b, dir)
		open()
		began := time.Now()
		for round := 1; round <= rounds; round++ {
			clock.Add(int64(24 * time.Hour))
			importRound(round)
		}
		editTime := time.Since(began)
		closeStore()
		edited := fileSize(b, dir)
		prune()
		atEnd := compact()
		clock.Add(int64(storage.OutboxRetention + time.Hour))
		prune()
		later := compact()
		mb := func(n int64) float64 { return float64(n) / (1 << 20) }
		b.ReportMetric(mb(imported), "imported-MB")
		b.ReportMetric(mb(importedCompact), "imported-compacted-MB")
		b.ReportMetric(mb(edited), "edited-MB")
		b.ReportMetric(mb(atEnd), "end-compacted-MB")
		b.ReportMetric(mb(later), "after-retention-compacted-MB")
		b.ReportMetric(float64(atEnd)/float64(imported), "end-ratio")
		b.ReportMetric(float64(later)/float64(imported), "after-retention-ratio")
		b.ReportMetric(editTime.Seconds(), "s/100k-edits")
	}
}

func fileSize(b *testing.B, dir string) int64 {
	b.Helper()
	fi, err := os.Stat(filepath.Join(dir, storage.FileName))
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

// compactCopy compacts a copy of the closed store's file and returns the
// copy's size.
func compactCopy(b *testing.B, dir string) int64 {
	b.Helper()
	data, err := os.ReadFile(filepath.Join(dir, storage.FileName))
	if err != nil {
		b.Fatal(err)
	}
	cp := b.TempDir()
	if err := os.WriteFile(filepath.Join(cp, storage.FileName), data, 0o600); err != nil {
		b.Fatal(err)
	}
	if _, _, err := storage.Compact(cp); err != nil {
		b.Fatal(err)
	}
	return fileSize(b, cp)
}

package communes

import (
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkResolve resolves, as "Où ?" does, every commune of France by
// its name, its label "Nom (13)" and its first postal code, and reports
// the 99th percentile of one lookup (p99-ns) besides the mean.
func BenchmarkResolve(b *testing.B) {
	l := France()
	var texts []string
	l.All(func(c *Commune) bool {
		texts = append(texts, c.Name, c.Label())
		if len(c.Postals) > 0 {
			texts = append(texts, c.Postals[0])
		}
		return true
	})
	durs := make([]time.Duration, 0, len(texts))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		l.Resolve(texts[i%len(texts)])
		if len(durs) < cap(durs) {
			durs = append(durs, time.Since(t0))
		}
	}
	reportP99(b, durs)
}

// BenchmarkSuggest suggests eight communes for the first two to six
// letters of every commune's name, as the "Où ?" field does while typing.
func BenchmarkSuggest(b *testing.B) {
	l := France()
	var prefixes []string
	l.All(func(c *Commune) bool {
		r := []rune(c.Name)
		prefixes = append(prefixes, string(r[:min(len(r), 2+len(prefixes)%5)]))
		return true
	})
	durs := make([]time.Duration, 0, len(prefixes))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		l.Suggest(prefixes[i%len(prefixes)], 8)
		if len(durs) < cap(durs) {
			durs = append(durs, time.Since(t0))
		}
	}
	reportP99(b, durs)
}

func reportP99(b *testing.B, durs []time.Duration) {
	b.Helper()
	if len(durs) == 0 {
		return
	}
	slices.Sort(durs)
	b.ReportMetric(float64(durs[len(durs)*99/100]), "p99-ns")
}

// BenchmarkListMemory reports the memory the commune list adds: the Go
// heap it keeps (heap-MB) and the growth of the process's resident set
// (rss-MB) from before reading the embedded file to after.
func BenchmarkListMemory(b *testing.B) {
	var heap, rss float64
	for b.Loop() {
		runtime.GC()
		debug.FreeOSMemory()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		rss0 := residentMB(b)
		l, err := parse(embedded)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		debug.FreeOSMemory()
		runtime.ReadMemStats(&after)
		heap = float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
		rss = residentMB(b) - rss0
		runtime.KeepAlive(l)
	}
	b.ReportMetric(heap, "heap-MB")
	b.ReportMetric(rss, "rss-MB")
}

// residentMB reads the resident set size from /proc (Linux); 0 elsewhere.
func residentMB(b *testing.B) float64 {
	b.Helper()
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	pages, err := strconv.Atoi(f[1])
	if err != nil {
		b.Fatal(err)
	}
	return float64(pages*os.Getpagesize()) / (1 << 20)
}

// BenchmarkParse reads the embedded file and builds the indexes, as the
// first use of France does.
func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := parse(embedded); err != nil {
			b.Fatal(err)
		}
	}
}

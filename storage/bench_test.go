package storage_test

// Benchmarks of the store at national scale: 25,000 places and 100,000
// events from catalogue/sample, in a real bbolt file. See
// docs/BENCHMARKS.md for the commands, the targets and the figures.
//
// The dataset is built once per test process, in a temporary directory
// removed when the process ends. Set MAILLAGE_BENCH_DATA to a directory
// to build it there once and reuse it across runs.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
	"github.com/maillage/maillage/storage"
)

// The national-scale dataset.
const (
	benchPlaces = 25000
	benchEvents = 100000
	benchSeed   = 2026
	placeBatch  = 1000
	eventBatch  = 5000
)

// benchNow is the store's fixed clock: a Monday morning. Events cover the
// year from it.
var benchNow = time.Date(2026, 3, 2, 10, 0, 0, 0, catalogue.Paris)

func benchOptions() storage.Options {
	return storage.Options{BaseURL: "http://bench.example", Now: func() time.Time { return benchNow }}
}

// memoryChildEnv names the variable that makes the test binary measure
// the memory of an open store and exit (see BenchmarkMemory).
const memoryChildEnv = "MAILLAGE_BENCH_MEMORY_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(memoryChildEnv); dir != "" {
		os.Exit(memoryChild(dir))
	}
	code := m.Run()
	if dataset.temporary && dataset.dir != "" {
		os.RemoveAll(dataset.dir)
	}
	os.Exit(code)
}

var dataset struct {
	once      sync.Once
	dir       string
	temporary bool
	err       error
}

// benchData returns the directory of a store holding the national-scale
// dataset, building it the first time.
func benchData(b *testing.B) string {
	b.Helper()
	dataset.once.Do(func() {
		dir := os.Getenv("MAILLAGE_BENCH_DATA")
		if dir == "" {
			dir, dataset.err = os.MkdirTemp("", "maillage-bench-")
			if dataset.err != nil {
				return
			}
			dataset.temporary = true
		} else if _, err := os.Stat(filepath.Join(dir, storage.FileName)); err == nil {
			dataset.dir = dir
			b.Logf("reusing the dataset in %s", dir)
			return
		}
		dataset.dir = dir
		dataset.err = buildDataset(b, dir)
	})
	if dataset.err != nil {
		b.Fatalf("build dataset: %v", dataset.err)
	}
	return dataset.dir
}

func buildDataset(b *testing.B, dir string) error {
	began := time.Now()
	s, err := storage.Open(dir, benchOptions())
	if err != nil {
		return err
	}
	defer s.Close()
	places := sample.Places(benchPlaces, benchSeed)
	ids := make([]string, 0, len(places))
	for i := 0; i < len(places); i += placeBatch {
		batch := places[i:min(i+placeBatch, len(places))]
		if err := s.CreatePlaces(batch); err != nil {
			return err
		}
		for _, p := range batch {
			ids = append(ids, p.ID)
		}
	}
	b.Logf("dataset: %d places stored in %v", len(ids), time.Since(began).Round(time.Millisecond))
	events := sample.Events(ids, benchEvents, benchNow, benchSeed)
	for i := 0; i < len(events); i += eventBatch {
		if err := s.CreateEvents(events[i:min(i+eventBatch, len(events))]); err != nil {
			return err
		}
		if done := i + eventBatch; done%25000 == 0 {
			b.Logf("dataset: %d events stored, %v", done, time.Since(began).Round(time.Millisecond))
		}
	}
	b.Logf("dataset: %d places and %d events in %s, built in %v", len(ids), len(events), dir, time.Since(began).Round(time.Millisecond))
	return nil
}

func openBench(b *testing.B, dir string) *storage.Store {
	b.Helper()
	s, err := storage.Open(dir, benchOptions())
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkBulkLoadPlaces loads 25,000 places into an empty store the way
// an import does: normalise and validate each, then store them through
// CreatePlaces in batches of 1,000 (one bbolt transaction each, which
// also updates the search index).
func BenchmarkBulkLoadPlaces(b *testing.B) {
	places := sample.Places(benchPlaces, benchSeed)
	var validate, store time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		s := openBench(b, b.TempDir())
		b.StartTimer()

		t0 := time.Now()
		for _, p := range places {
			p.Normalize()
			if err := p.Validate(); err != nil {
				b.Fatal(err)
			}
		}
		t1 := time.Now()
		for i := 0; i < len(places); i += placeBatch {
			if err := s.CreatePlaces(places[i:min(i+placeBatch, len(places))]); err != nil {
				b.Fatal(err)
			}
		}
		t2 := time.Now()
		validate += t1.Sub(t0)
		store += t2.Sub(t1)

		b.StopTimer()
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric((validate+store).Seconds()/n, "s/load")
	b.ReportMetric(validate.Seconds()/n, "validate-s/load")
	b.ReportMetric(store.Seconds()/n, "store-s/load")
}

// Query inputs, rotated so that no benchmark repeats one query.
var (
	benchTexts = []string{
		"mediatheque", "numérique", "france services", "tiers-lieu", "fablab",
		"maison de quartier", "démarches administratives", "marseille",
	}
	benchDepts = []string{"13", "75", "59", "69", "33", "2A", "974", "48", "31", "44", "67", "93", "29", "971", "23", "06"}
	benchNear  = []catalogue.LatLon{
		{Lat: 43.2965, Lon: 5.3698},   // Marseille
		{Lat: 48.8566, Lon: 2.3522},   // Paris
		{Lat: 45.7640, Lon: 4.8357},   // Lyon
		{Lat: 50.6292, Lon: 3.0573},   // Lille
		{Lat: 43.6047, Lon: 1.4442},   // Toulouse
		{Lat: 44.8378, Lon: -0.5792},  // Bordeaux
		{Lat: 48.1173, Lon: -1.6778},  // Rennes
		{Lat: 44.5181, Lon: 3.5006},   // Mende
		{Lat: -20.8823, Lon: 55.4504}, // Saint-Denis de La Réunion
	}
	// benchOpenAt is a Tuesday, 10:30 in Paris.
	benchOpenAt = time.Date(2026, 3, 3, 10, 30, 0, 0, catalogue.Paris)
)

// BenchmarkQuery measures the calls the HTTP API makes for a search, with
// the default page of 50, and reports the median and 99th percentile of
// their durations.
func BenchmarkQuery(b *testing.B) {
	s := openBench(b, benchData(b))
	defer s.Close()

	var textQueries, broadText, serviceDept, near, openNow, list []catalogue.PlaceQuery
	for _, t := range benchTexts {
		textQueries = append(textQueries, catalogue.PlaceQuery{Text: t})
	}
	broadText = []catalogue.PlaceQuery{{Text: "numérique"}}
	for i, d := range benchDepts {
		for j := range catalogue.Services.Values {
			// Rotate the services so that consecutive queries differ in both.
			svc := catalogue.Services.Values[(i+j)%len(catalogue.Services.Values)]
			serviceDept = append(serviceDept, catalogue.PlaceQuery{Services: []string{svc}, Departement: d})
		}
	}
	for _, p := range benchNear {
		near = append(near, catalogue.PlaceQuery{Near: &p, RadiusKm: 10})
	}
	for _, svc := range catalogue.Services.Values {
		openNow = append(openNow, catalogue.PlaceQuery{Services: []string{svc}, OpenAt: benchOpenAt})
	}
	list = []catalogue.PlaceQuery{{}}

	places := func(name string, queries []catalogue.PlaceQuery) {
		b.Run(name, func(b *testing.B) {
			var l latencies
			matches := 0
			for i := range b.N {
				q := queries[i%len(queries)]
				l.start()
				page, err := s.Places(q)
				l.stop()
				if err != nil {
					b.Fatal(err)
				}
				matches += page.Total
			}
			l.report(b, matches)
		})
	}
	places("text", textQueries)
	places("text_mediatheque", []catalogue.PlaceQuery{{Text: "mediatheque"}})
	places("text_numerique", broadText)
	places("service_departement", serviceDept)
	places("near_10km", near)
	// "Qui sait faire ?": the structures offering a skill (or any), nearest
	// first, however far: every match is ranked by distance.
	var skillNear []catalogue.PlaceQuery
	for i, p := range benchNear {
		skill := []string{"impression-3d"}
		if i%2 == 1 {
			skill = []string{catalogue.AnySkill}
		}
		skillNear = append(skillNear, catalogue.PlaceQuery{Competences: skill, Near: &p, Limit: 20})
	}
	places("skill_near", skillNear)
	places("open_now_service", openNow)
	places("list_all", list)

	// The floor of every page: reading and decoding 50 place records,
	// one at a time, without searching.
	page, err := s.Places(catalogue.PlaceQuery{Limit: catalogue.MaxLimit})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("read_50_places", func(b *testing.B) {
		var l latencies
		for i := range b.N {
			l.start()
			for j := range catalogue.DefaultLimit {
				if _, err := s.Place(page.Items[(i+j)%len(page.Items)].ID); err != nil {
					b.Fatal(err)
				}
			}
			l.stop()
		}
		l.report(b, b.N*catalogue.DefaultLimit)
	})

	b.Run("events_7days_departement", func(b *testing.B) {
		var l latencies
		matches := 0
		for i := range b.N {
			from := benchNow.AddDate(0, 0, i%7)
			q := catalogue.EventQuery{From: from, To: from.AddDate(0, 0, 7), Departement: benchDepts[i%len(benchDepts)]}
			l.start()
			page, err := s.Events(q)
			l.stop()
			if err != nil {
				b.Fatal(err)
			}
			matches += page.Total
		}
		l.report(b, matches)
	})
}

// latencies records how long each query takes: the wall-clock time, and
// the CPU time of the benchmark's thread (on Linux), which leaves out the
// time spent waiting for a CPU that other processes hold.
type latencies struct {
	wall, cpu []time.Duration
	t0        time.Time
	c0        time.Duration
	locked    bool
}

func (l *latencies) start() {
	if !l.locked {
		runtime.LockOSThread() // for threadCPU; released when the benchmark's goroutine ends
		l.locked = true
	}
	l.c0, _ = threadCPU()
	l.t0 = time.Now()
}

func (l *latencies) stop() {
	l.wall = append(l.wall, time.Since(l.t0))
	if c, ok := threadCPU(); ok {
		l.cpu = append(l.cpu, c-l.c0)
	}
}

// report reports the median and 99th percentile of the wall-clock times,
// and of the CPU times, in microseconds, and the mean number of matches
// per query.
func (l *latencies) report(b *testing.B, matches int) {
	if len(l.wall) == 0 {
		return
	}
	at := func(d []time.Duration, p float64) float64 {
		slices.Sort(d)
		i := int(math.Ceil(p*float64(len(d)))) - 1
		return float64(d[max(i, 0)].Nanoseconds()) / 1000
	}
	b.ReportMetric(at(l.wall, 0.50), "p50-µs")
	b.ReportMetric(at(l.wall, 0.99), "p99-µs")
	if len(l.cpu) == len(l.wall) {
		b.ReportMetric(at(l.cpu, 0.50), "cpu-p50-µs")
		b.ReportMetric(at(l.cpu, 0.99), "cpu-p99-µs")
	}
	b.ReportMetric(float64(matches)/float64(len(l.wall)), "matches/op")
}

// BenchmarkStartup opens the national-scale store, which reads every
// record and builds the search index, then closes it.
func BenchmarkStartup(b *testing.B) {
	dir := benchData(b)
	// One open first, so that every measured one finds the file in the
	// page cache, as a restarted server does.
	openBench(b, dir).Close()
	b.ResetTimer()
	began := time.Now()
	for range b.N {
		s := openBench(b, dir)
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(began).Milliseconds())/float64(b.N), "ms/open")
}

// BenchmarkMemory measures the memory of a process that holds the
// national-scale store open. It runs in a fresh copy of the test binary,
// so that nothing else this process did (building the dataset, other
// benchmarks) is counted. RSS includes the pages of the bbolt file mapped
// in memory that were read.
func BenchmarkMemory(b *testing.B) {
	dir := benchData(b)
	info, err := os.Stat(filepath.Join(dir, storage.FileName))
	if err != nil {
		b.Fatal(err)
	}
	var sum map[string]float64
	for range b.N {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), memoryChildEnv+"="+dir)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			b.Fatalf("memory child: %v\n%s", err, out.String())
		}
		m, err := parseMetrics(out.Bytes())
		if err != nil {
			b.Fatalf("memory child: %v\n%s", err, out.String())
		}
		if sum == nil {
			sum = map[string]float64{}
		}
		for k, v := range m {
			sum[k] += v
		}
	}
	for _, k := range []string{"RSS-MB", "heap-MB", "RSS-scavenged-MB", "RSS-anon-MB", "RSS-file-MB"} {
		b.ReportMetric(sum[k]/float64(b.N), k)
	}
	b.ReportMetric(float64(info.Size())/(1<<20), "db-MB")
}

// memoryChild opens the store in dir, collects the garbage of loading it,
// prints its memory figures and returns the exit code.
func memoryChild(dir string) int {
	s, err := storage.Open(dir, benchOptions())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	// A few queries, as a server answers before anyone looks at its RSS.
	for _, t := range benchTexts {
		if _, err := s.Places(catalogue.PlaceQuery{Text: t}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss, err := procStatus("VmRSS")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// What the runtime keeps after giving freed pages back, as its
	// background scavenger does within minutes; then how much of it is
	// the process's own memory and how much the mapped bbolt file.
	debug.FreeOSMemory()
	after := map[string]int64{}
	for _, field := range []string{"VmRSS", "RssAnon", "RssFile"} {
		if after[field], err = procStatus(field); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	fmt.Printf("RSS-MB=%.1f\nheap-MB=%.1f\nRSS-scavenged-MB=%.1f\nRSS-anon-MB=%.1f\nRSS-file-MB=%.1f\n",
		float64(rss)/(1<<20), float64(ms.HeapInuse)/(1<<20), float64(after["VmRSS"])/(1<<20),
		float64(after["RssAnon"])/(1<<20), float64(after["RssFile"])/(1<<20))
	return 0
}

// procStatus reads a size field of /proc/self/status ("VmRSS",
// "RssFile"), in bytes.
func procStatus(field string) (int64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(rest) // "123456 kB"
			if len(f) != 2 || f[1] != "kB" {
				break
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no " + field + " in /proc/self/status")
}

func parseMetrics(out []byte) (map[string]float64, error) {
	m := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sc.Text(), err)
		}
		m[k] = f
	}
	if _, ok := m["RSS-MB"]; !ok {
		return nil, errors.New("no RSS-MB line")
	}
	return m, nil
}

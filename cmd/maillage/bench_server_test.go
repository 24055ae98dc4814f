//go:build linux

package main

// BenchmarkServer measures a whole instance (store, federation, pages) as
// serve runs it: the start-up of Server.Open and the process's memory
// once it has served pages and federation requests. Each measure runs in
// a fresh copy of the test binary, so that building the dataset is not
// counted. See docs/BENCHMARKS.md.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
	"github.com/maillage/maillage/federation"
	"github.com/maillage/maillage/storage"
)

// serverChildEnv names the variable that makes the test binary start an
// instance on the data directory it names, measure it and exit.
const serverChildEnv = "MAILLAGE_BENCH_SERVER_CHILD"

const benchBaseURL = "http://maillage.bench"

func TestMain(m *testing.M) {
	if dir := os.Getenv(serverChildEnv); dir != "" {
		os.Exit(serverChild(dir))
	}
	os.Exit(m.Run())
}

// BenchmarkServer: a département's instance (2,000 places, 5,000 events)
// and a national one (25,000 places, 100,000 events). Set
// MAILLAGE_BENCH_SERVER_DATA to a directory to keep the datasets.
func BenchmarkServer(b *testing.B) {
	for _, size := range []struct {
		name           string
		places, events int
	}{{"department", 2000, 5000}, {"national", 25000, 100000}} {
		b.Run(size.name, func(b *testing.B) {
			dir := benchServerData(b, size.name, size.places, size.events)
			info, err := os.Stat(filepath.Join(dir, storage.FileName))
			if err != nil {
				b.Fatal(err)
			}
			sum := map[string]float64{}
			for range b.N {
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), serverChildEnv+"="+dir)
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &out
				if err := cmd.Run(); err != nil {
					b.Fatalf("server child: %v\n%s", err, out.String())
				}
				for line := range strings.Lines(out.String()) {
					k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
					if f, err := strconv.ParseFloat(v, 64); ok && err == nil {
						sum[k] += f
					}
				}
			}
			for _, k := range []string{"before-file-MB", "before-anon-MB", "open-file-MB", "open-anon-MB", "pages-file-MB", "pages-anon-MB", "startup-cpu-ms", "startup-ms", "RSS-MB", "RSS-peak-MB", "RSS-db-MB", "RSS-scavenged-MB", "RSS-anon-MB", "RSS-file-MB", "heap-MB", "requests"} {
				b.ReportMetric(sum[k]/float64(b.N), k)
			}
			b.ReportMetric(float64(info.Size())/(1<<20), "db-MB")
		})
	}
}

// buildServerData builds (or finds) an instance's data directory: places
// and events stored as local records, each published to the outbox by the
// federation's publisher, as an import and the editors' pages do.
func buildServerData(b *testing.B, name string, places, events int) string {
	b.Helper()
	root := os.Getenv("MAILLAGE_BENCH_SERVER_DATA")
	if root == "" {
		root = b.TempDir()
	}
	dir := filepath.Join(root, name)
	if _, err := os.Stat(filepath.Join(dir, storage.FileName)); err == nil {
		return dir
	}
	began := time.Now()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, catalogue.Paris)
	st, err := storage.Open(dir, storage.Options{BaseURL: benchBaseURL, Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.SetSettings(storage.Settings{Name: "Banc d'essai", Handle: "banc"}); err != nil {
		b.Fatal(err)
	}
	fed, err := federation.New(federation.Config{Store: st, BaseURL: benchBaseURL, Now: func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	defer fed.Close()
	ps := sample.Places(places, 2026)
	ids := make([]string, 0, len(ps))
	for i := 0; i < len(ps); i += 1000 {
		batch := ps[i:min(i+1000, len(ps))]
		if err := st.CreatePlaces(batch); err != nil {
			b.Fatal(err)
		}
		for _, p := range batch {
			ids = append(ids, p.ID)
		}
	}
	es := sample.Events(ids, events, now, 2026)
	for i := 0; i < len(es); i += 5000 {
		if err := st.CreateEvents(es[i:min(i+5000, len(es))]); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%s: %d places, %d events in %v", name, places, events, time.Since(began).Round(time.Millisecond))
	return dir
}

// benchServerData builds (or finds) an instance's data directory, and
// opens it once more, as the first serve after an import does: the index
// entries written by the import are folded into the snapshot then
// (storage/load.go), and each measure starts from that state.
func benchServerData(b *testing.B, name string, places, events int) string {
	b.Helper()
	dir := buildServerData(b, name, places, events)
	again, err := storage.Open(dir, storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := again.Close(); err != nil {
		b.Fatal(err)
	}
	return dir
}

// serverChild starts the instance of dir, serves pages and federation
// requests, prints its figures and returns the exit code.
func serverChild(dir string) int {
	if err := measureServer(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func measureServer(dir string) error {
	stage := func(name string) error { // RSS after each stage, to see what dominates
		rss, err := procStatusField("RssFile")
		if err != nil {
			return err
		}
		anon, err := procStatusField("RssAnon")
		if err != nil {
			return err
		}
		db, err := mappedDBRSS()
		fmt.Printf("%s-file-MB=%.1f\n%s-anon-MB=%.1f\n%s-db-MB=%.1f\n", name, float64(rss)/(1<<20), name, float64(anon)/(1<<20), name, float64(db)/(1<<20))
		return err
	}
	if err := stage("before"); err != nil { // the test binary's own pages
		return err
	}
	began, cpuBefore := time.Now(), cpuTime()
	srv := &Server{Config: Config{Data: dir, Listen: "127.0.0.1:0", Name: "Banc d'essai", Handle: "banc"},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := srv.Open(context.Background()); err != nil {
		return err
	}
	startup, startupCPU := time.Since(began), cpuTime()-cpuBefore
	defer srv.Close()
	defer followHeap()() // as serve does
	if err := stage("open"); err != nil {
		return err
	}
	local := "http://" + srv.Addr()
	requests := 0
	// MAILLAGE_BENCH_SERVER_TRACE=1 prints, on stderr, how much each
	// request grew the RSS.
	trace := os.Getenv("MAILLAGE_BENCH_SERVER_TRACE") != ""
	lastFile, _ := procStatusField("RssFile")
	lastAnon, _ := procStatusField("RssAnon")
	lastDB, _ := mappedDBRSS()
	get := func(path string, activityPub bool) ([]byte, error) {
		req, err := http.NewRequest("GET", local+strings.TrimPrefix(path, benchBaseURL), nil)
		if err != nil {
			return nil, err
		}
		if activityPub {
			req.Header.Set("Accept", federation.ContentType)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET %s = %d", path, resp.StatusCode)
		}
		requests++
		if trace {
			file, _ := procStatusField("RssFile")
			anon, _ := procStatusField("RssAnon")
			db, _ := mappedDBRSS()
			peak, _ := procStatusField("VmHWM")
			fmt.Fprintf(os.Stderr, "trace %-60.60s file %+7.1f (db %+7.1f) anon %+7.1f MB, peak %.1f MB\n", path, float64(file-lastFile)/(1<<20), float64(db-lastDB)/(1<<20), float64(anon-lastAnon)/(1<<20), float64(peak)/(1<<20))
			lastFile, lastAnon, lastDB = file, anon, db
		}
		return body, err
	}
	// The pages people open.
	page, err := srv.Store().Places(catalogue.PlaceQuery{Limit: 50})
	if err != nil {
		return err
	}
	paths := []string{"/", "/lieux", "/lieux?q=mediatheque", "/lieux?q=numerique&ou=Marseille", "/evenements", "/statistiques"}
	for _, p := range page.Items {
		paths = append(paths, "/lieux/"+p.ID)
	}
	for _, p := range paths {
		if _, err := get(p, false); err != nil {
			return err
		}
	}
	if err := stage("pages"); err != nil {
		return err
	}
	// What a remote instance asks: the actor, its outbox, its places
	// (a backfill walks every page), records one by one.
	for _, p := range []string{"/actor", "/.well-known/webfinger?resource=acct:banc@" + strings.TrimPrefix(benchBaseURL, "http://"), "/actor/outbox?page=1"} {
		if _, err := get(p, true); err != nil {
			return err
		}
	}
	for next := benchBaseURL + "/actor/places?page=1"; next != ""; {
		body, err := get(next, true)
		if err != nil {
			return err
		}
		var doc struct {
			Next string `json:"next"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			return err
		}
		next = doc.Next
	}
	for _, p := range page.Items {
		if _, err := get(p.APID, true); err != nil {
			return err
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if path := os.Getenv("MAILLAGE_BENCH_SERVER_HEAPPROFILE"); path != "" { // the heap, for go tool pprof
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		err = errors.Join(pprof.Lookup("heap").WriteTo(f, 0), f.Close())
		if err != nil {
			return err
		}
	}
	rss, err := procStatusField("VmRSS")
	if err != nil {
		return err
	}
	peak, err := procStatusField("VmHWM") // the most it held at any time
	if err != nil {
		return err
	}
	db, err := mappedDBRSS()
	if err != nil {
		return err
	}
	fmt.Printf("RSS-db-MB=%.1f\n", float64(db)/(1<<20))
	debug.FreeOSMemory()
	after := map[string]int64{}
	for _, field := range []string{"VmRSS", "RssAnon", "RssFile"} {
		if after[field], err = procStatusField(field); err != nil {
			return err
		}
	}
	fmt.Printf("RSS-peak-MB=%.1f\n", float64(peak)/(1<<20))
	fmt.Printf("startup-cpu-ms=%d\nstartup-ms=%d\nrequests=%d\nRSS-MB=%.1f\nheap-MB=%.1f\nRSS-scavenged-MB=%.1f\nRSS-anon-MB=%.1f\nRSS-file-MB=%.1f\n",
		startupCPU.Milliseconds(), startup.Milliseconds(), requests, float64(rss)/(1<<20), float64(ms.HeapInuse)/(1<<20),
		float64(after["VmRSS"])/(1<<20), float64(after["RssAnon"])/(1<<20), float64(after["RssFile"])/(1<<20))
	return nil
}

// mappedDBRSS is how much of the database's memory map is resident in
// the process (from /proc/self/smaps), in bytes: the part of RssFile that
// is not the program's own code and data.
func mappedDBRSS() (int64, error) {
	data, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0, err
	}
	var total int64
	inDB := false
	for line := range strings.Lines(string(data)) {
		f := strings.Fields(line)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-"): // a mapping's first line
			inDB = len(f) == 6 && strings.HasSuffix(f[5], "/"+storage.FileName)
		case inDB && len(f) == 3 && f[0] == "Rss:" && f[2] == "kB":
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				return 0, err
			}
			total += kb << 10
		}
	}
	return total, nil
}

// procStatusField reads a size field of /proc/self/status, in bytes.
func procStatusField(field string) (int64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(rest)
			if len(f) == 2 && f[1] == "kB" {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				return kb << 10, err
			}
		}
	}
	return 0, fmt.Errorf("no %s in /proc/self/status", field)
}

// cpuTime is the CPU time (user and system) the process used so far: on
// a machine shared with other work, the wall-clock start-up measures the
// neighbours too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

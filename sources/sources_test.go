package sources

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

// fileServer serves one file that the test edits, with an ETag and a
// Last-Modified date, answering 304 to a conditional request when the file
// has not changed, as a real web server does.
type fileServer struct {
	mu       sync.Mutex
	body     string
	modified time.Time
	hits     int
	notMod   int
}

func (f *fileServer) set(body string, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.body, f.modified = body, at
}

func (f *fileServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hits++
	etag := fmt.Sprintf(`"%x"`, sha256.Sum256([]byte(f.body)))
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", f.modified.UTC().Format(http.TimeFormat))
	if r.Header.Get("If-None-Match") == etag {
		f.notMod++
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	fmt.Fprint(w, f.body)
}

// csvFile writes places p1..pn in the national standard, skipping those in
// skip; renamed gives some of them another name. Every third place has no
// coordinates.
func csvFile(n int, skip map[int]bool, renamed map[int]string) string {
	var b strings.Builder
	b.WriteString("id,nom,adresse,code_postal,commune,latitude,longitude,services,source,date_maj\n")
	for i := 1; i <= n; i++ {
		if skip[i] {
			continue
		}
		name := fmt.Sprintf("EPN numéro %d", i)
		if r, ok := renamed[i]; ok {
			name = r
		}
		lat, lon := fmt.Sprintf("43.3%02d", i), "5.48"
		if i%3 == 0 {
			lat, lon = "", ""
		}
		fmt.Fprintf(&b, "p%d,%s,%d rue de la Source,13190,Allauch,%s,%s,Aide aux démarches administratives,Réseau test,2026-01-05\n",
			i, name, i, lat, lon)
	}
	return b.String()
}

type env struct {
	store  *storage.Store
	runner *Runner
	file   *fileServer
	src    storage.Source
	now    time.Time
}

func newEnv(t *testing.T, body string) *env {
	t.Helper()
	e := &env{file: &fileServer{}, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	e.file.set(body, e.now)
	srv := httptest.NewServer(e.file)
	t.Cleanup(srv.Close)
	st, err := storage.Open(t.TempDir(), storage.Options{BaseURL: "http://maillage.test", Now: func() time.Time { return e.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Check(); err != nil {
			t.Errorf("Check: %v", err)
		}
		st.Close()
	})
	e.store = st
	e.runner = New(Config{Store: st, AllowPrivate: true, Now: func() time.Time { return e.now }})
	if e.src, err = st.AddSource(storage.Source{URL: srv.URL + "/lieux.csv", Every: 24 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	return e
}

// runDue advances the clock by d and runs the due sources.
func (e *env) runDue(t *testing.T, d time.Duration) []storage.SourceRun {
	t.Helper()
	e.now = e.now.Add(d)
	return e.runner.RunDue(context.Background())
}

func (e *env) placeNamed(t *testing.T, name string) *catalogue.Place {
	t.Helper()
	page, err := e.store.Places(catalogue.PlaceQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Items {
		if p.Nom == name {
			return p
		}
	}
	return nil
}

func (e *env) count(t *testing.T) int {
	t.Helper()
	page, err := e.store.Places(catalogue.PlaceQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

func TestSourcePicksUpAnEditToItsFile(t *testing.T) {
	e := newEnv(t, csvFile(10, nil, nil))
	runs := e.runDue(t, 0)
	if len(runs) != 1 || runs[0].Status != StatusImported || runs[0].Created != 10 {
		t.Fatalf("first run = %+v; want 10 places created", runs)
	}
	if n := e.count(t); n != 10 {
		t.Fatalf("%d places stored; want 10", n)
	}
	if p := e.placeNamed(t, "EPN numéro 3"); p == nil || !p.PositionApproximative || p.Latitude == nil {
		t.Errorf("a place without coordinates in the file: %+v; want it at Allauch's centre, flagged", p)
	}

	// Not due yet: nothing is fetched.
	if runs := e.runDue(t, time.Hour); len(runs) != 0 || e.file.hits != 1 {
		t.Fatalf("an hour later: %d runs, %d requests; want none before the period", len(runs), e.file.hits)
	}
	// Due, the file unchanged: a conditional request, 304, nothing imported.
	runs = e.runDue(t, 24*time.Hour)
	if len(runs) != 1 || runs[0].Status != StatusUnchanged || runs[0].HTTPStatus != http.StatusNotModified || e.file.notMod != 1 {
		t.Fatalf("unchanged file: %+v, %d answers 304; want one 304", runs, e.file.notMod)
	}

	// The network edits its file: the next run picks the edit up.
	e.file.set(csvFile(10, nil, map[int]string{4: "Espace numérique d'Allauch"}), e.now)
	runs = e.runDue(t, 24*time.Hour)
	if len(runs) != 1 || runs[0].Status != StatusImported || runs[0].Updated != 1 || runs[0].Unchanged != 9 {
		t.Fatalf("edited file: %+v; want 1 updated, 9 unchanged", runs)
	}
	if e.placeNamed(t, "Espace numérique d'Allauch") == nil || e.placeNamed(t, "EPN numéro 4") != nil {
		t.Errorf("the edit did not reach the catalogue")
	}

	kept, err := e.store.SourceRuns(e.src.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) != 3 || kept[0].Updated != 1 || kept[1].Status != StatusUnchanged || kept[2].Created != 10 {
		t.Errorf("kept runs = %+v; want the three runs, newest first, with their counts", kept)
	}
}

func TestSourceDeletesAFewVanishedRecordsButAlertsOnMany(t *testing.T) {
	e := newEnv(t, csvFile(10, nil, nil))
	if runs := e.runDue(t, 0); len(runs) != 1 || runs[0].Created != 10 {
		t.Fatalf("first run = %+v", runs)
	}

	// One record of ten (10 %) vanishes: it is deleted.
	e.file.set(csvFile(10, map[int]bool{7: true}, nil), e.now)
	runs := e.runDue(t, 24*time.Hour)
	if len(runs) != 1 || runs[0].Vanished != 1 || runs[0].Deleted != 1 || runs[0].Status != StatusImported {
		t.Fatalf("one vanished: %+v; want it deleted", runs)
	}
	if e.placeNamed(t, "EPN numéro 7") != nil || e.count(t) != 9 {
		t.Errorf("the vanished place is still there (%d places)", e.count(t))
	}

	// Three of the nine (33 %) vanish at once: nothing is deleted, the
	// editors are alerted.
	e.file.set(csvFile(10, map[int]bool{7: true, 1: true, 2: true, 5: true}, nil), e.now)
	runs = e.runDue(t, 24*time.Hour)
	if len(runs) != 1 || runs[0].Status != StatusAlert || runs[0].Vanished != 3 || runs[0].Deleted != 0 {
		t.Fatalf("three vanished: %+v; want an alert and nothing deleted", runs)
	}
	if n := e.count(t); n != 9 {
		t.Errorf("%d places after the alert; want the 9 kept", n)
	}
	alerts, err := e.store.Alerts(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 || alerts[0].Source != e.src.ID || !strings.Contains(alerts[0].Message, "3 lieux sur 9") {
		t.Errorf("alerts = %+v; want one saying 3 of 9 vanished", alerts)
	}

	// The file comes back whole: nothing to delete, no new alert.
	e.file.set(csvFile(10, map[int]bool{7: true}, nil), e.now)
	runs = e.runDue(t, 24*time.Hour)
	if len(runs) != 1 || runs[0].Status != StatusImported || runs[0].Vanished != 0 {
		t.Errorf("file whole again: %+v", runs)
	}
}

func TestSourceWithAMapping(t *testing.T) {
	e := newEnv(t, strings.Replace(csvFile(3, nil, nil), "id,nom,", "identifiant,Nom de la structure,", 1))
	e.src.Mapping = map[string]string{"id": "identifiant", "nom": "Nom de la structure"}
	if err := e.store.SaveSource(e.src); err != nil {
		t.Fatal(err)
	}
	runs := e.runDue(t, 0)
	if len(runs) != 1 || runs[0].Created != 3 || e.placeNamed(t, "EPN numéro 2") == nil {
		t.Fatalf("mapped file: %+v; want 3 places created", runs)
	}
}

func TestSourceRefusesPrivateAddresses(t *testing.T) {
	e := newEnv(t, csvFile(2, nil, nil))
	e.runner = New(Config{Store: e.store, Now: func() time.Time { return e.now }}) // no AllowPrivate
	runs := e.runDue(t, 0)
	if len(runs) != 1 || runs[0].Status != StatusError || !strings.Contains(runs[0].Error, "adresse privée") || e.file.hits != 0 {
		t.Fatalf("run on 127.0.0.1 = %+v, %d requests; want refused before any request", runs, e.file.hits)
	}
	for _, raw := range []string{"http://127.0.0.1/x.csv", "http://10.0.0.5/x.csv", "http://[::1]/x.csv", "http://localhost:8080/x.csv"} {
		if _, err := CheckURL(raw, false); err == nil || !strings.Contains(err.Error(), "adresse privée") {
			t.Errorf("CheckURL(%s) = %v; want refused", raw, err)
		}
		if _, err := CheckURL(raw, true); err != nil {
			t.Errorf("CheckURL(%s, allowPrivate) = %v", raw, err)
		}
	}
	for _, raw := range []string{"ftp://exemple.fr/x.csv", "exemple.fr/x.csv", ""} {
		if _, err := CheckURL(raw, false); err == nil || !strings.HasPrefix(err.Error(), "url :") {
			t.Errorf("CheckURL(%q) = %v; want an error naming url", raw, err)
		}
	}
}

func TestRunnerStopsOnClose(t *testing.T) {
	e := newEnv(t, csvFile(2, nil, nil))
	e.runner = New(Config{Store: e.store, AllowPrivate: true, Poll: time.Hour, Now: func() time.Time { return e.now }})
	e.runner.Start(context.Background())
	done := make(chan struct{})
	go func() { e.runner.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Close did not stop the runner")
	}
}

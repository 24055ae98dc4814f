package federation

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/storage"
)

// A real GoToSocial 0.20 (built from source, on loopback) followed, read,
// replied to, liked, boosted and unfollowed a Maillage instance; its
// requests were recorded with their real headers and signatures
// (testdata/gotosocial, see its README). These tests replay them, byte
// for byte, through a real instance whose clock is set to each request's
// Date, with GoToSocial's documents (its key document and actor) served at
// its own address, http://localhost:8081.

const gtsDir = "testdata/gotosocial"

// recorded is one request as the recording proxy saved it.
type recorded struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Host    string            `json:"host"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
	Status  int               `json:"status"`
}

func loadRecorded(t *testing.T, name string) recorded {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(gtsDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var r recorded
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return r
}

// fakeGoToSocial serves the recorded documents of GoToSocial at
// localhost:8081 and keeps what is posted to it.
type fakeGoToSocial struct {
	mu  sync.Mutex
	got []string // bodies posted
}

func startFakeGoToSocial(t *testing.T) *fakeGoToSocial {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:8081")
	if err != nil {
		t.Skipf("GoToSocial's recorded address, 127.0.0.1:8081, is taken (a real GoToSocial running?): %v", err)
	}
	docs := map[string]recorded{}
	for _, name := range []string{"main-key.json", "actor.json"} {
		r := loadRecorded(t, name)
		docs[strings.TrimPrefix(r.Path, "http://localhost:8081")] = r
	}
	g := &fakeGoToSocial{}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			body, _ := io.ReadAll(r.Body)
			g.mu.Lock()
			g.got = append(g.got, string(body))
			g.mu.Unlock()
			w.WriteHeader(http.StatusAccepted)
			return
		}
		d, ok := docs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", d.Headers["Content-Type"])
		io.WriteString(w, d.Body)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return g
}

func (g *fakeGoToSocial) received() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.got...)
}

// replayInstance is a Maillage instance at the recorded address,
// http://127.0.0.1:8090, opened on dir, its clock at *now.
type replayInstance struct {
	store *storage.Store
	fed   *Service
	h     http.Handler
	now   *time.Time
}

func openReplay(t *testing.T, dir string, now *time.Time) *replayInstance {
	t.Helper()
	clock := func() time.Time { return *now }
	log := slog.New(slog.NewTextHandler(testLog, nil))
	st, err := storage.Open(dir, storage.Options{BaseURL: "http://127.0.0.1:8090", Now: clock, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	st.SetSettings(storage.Settings{Name: "Arsenic 13", Handle: "arsenic13"})
	fed, err := New(Config{Store: st, BaseURL: "http://127.0.0.1:8090", Now: clock, AllowPrivate: true, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	r := mux.NewRouter()
	fed.Register(r)
	t.Cleanup(func() {
		fed.Close()
		if err := st.Check(); err != nil {
			t.Errorf("Check: %v", err)
		}
		st.Close()
	})
	return &replayInstance{store: st, fed: fed, h: r, now: now}
}

// replay posts a recorded request, at its Date, and returns the status.
func (in *replayInstance) replay(t *testing.T, r recorded) int {
	t.Helper()
	date, err := http.ParseTime(r.Headers["Date"])
	if err != nil {
		t.Fatalf("recorded Date %q: %v", r.Headers["Date"], err)
	}
	*in.now = date
	req := httptest.NewRequest(r.Method, r.Path, strings.NewReader(r.Body))
	req.Host = r.Host
	for k, v := range r.Headers {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	in.h.ServeHTTP(w, req)
	in.store.Settle()
	return w.Code
}

// TestGoToSocialFollowReplayed: GoToSocial's Follow is accepted (its key
// is a document of its own, {actor}/main-key), its user is a Person
// follower who gets the Accept, and its Undo removes them.
func TestGoToSocialFollowReplayed(t *testing.T) {
	gts := startFakeGoToSocial(t)
	now := time.Time{}
	in := openReplay(t, t.TempDir(), &now)
	follow, undo := loadRecorded(t, "follow.json"), loadRecorded(t, "undo-follow.json")
	var f struct{ ID, Actor string }
	json.Unmarshal([]byte(follow.Body), &f)
	if st := in.replay(t, follow); st != http.StatusAccepted {
		t.Fatalf("GoToSocial's Follow: %d; want 202", st)
	}
	got, err := in.store.Follower(f.Actor)
	if err != nil || got.State != storage.FollowAccepted || got.Type != "Person" {
		t.Fatalf("follower %+v, %v; want an accepted Person", got, err)
	}
	in.fed.DeliverDue(context.Background())
	bodies := gts.received()
	if len(bodies) != 1 || !strings.Contains(bodies[0], `"Accept"`) || !strings.Contains(bodies[0], f.ID) {
		t.Fatalf("GoToSocial received %q; want the Accept of %s", bodies, f.ID)
	}
	if st := in.replay(t, undo); st != http.StatusAccepted {
		t.Fatalf("GoToSocial's Undo: %d; want 202", st)
	}
	if _, err := in.store.Follower(f.Actor); err == nil {
		t.Error("still a follower after GoToSocial's Undo")
	}
}

// TestGoToSocialFeedbackReplayed: on the recorded instance's database
// (its event, before anyone replied), GoToSocial's reply becomes a
// message, its like and boost are counted, and the editors' answer goes
// back to the asker's inbox as a Note in reply.
func TestGoToSocialFeedbackReplayed(t *testing.T) {
	gts := startFakeGoToSocial(t)
	dir := t.TempDir()
	gz, err := os.Open(filepath.Join(gtsDir, "maillage.db.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer gz.Close()
	zr, err := gzip.NewReader(gz)
	if err != nil {
		t.Fatal(err)
	}
	db, err := os.Create(filepath.Join(dir, storage.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(db, zr); err != nil {
		t.Fatal(err)
	}
	db.Close()
	now := time.Time{}
	in := openReplay(t, dir, &now)

	reply, like, boost := loadRecorded(t, "reply.json"), loadRecorded(t, "like.json"), loadRecorded(t, "announce.json")
	var note struct {
		Actor  string
		Object struct{ ID, InReplyTo string }
	}
	json.Unmarshal([]byte(reply.Body), &note)
	event, err := in.store.Event(note.Object.InReplyTo)
	if err != nil {
		t.Fatalf("the recorded event %s: %v", note.Object.InReplyTo, err)
	}
	for name, r := range map[string]recorded{"reply": reply, "like": like, "boost": boost} {
		if st := in.replay(t, r); st != http.StatusAccepted {
			t.Fatalf("GoToSocial's %s: %d; want 202", name, st)
		}
	}
	msgs, err := in.store.Messages()
	if err != nil || len(msgs) != 1 || msgs[0].Actor != note.Actor || msgs[0].InReplyTo != event.APID || msgs[0].Handle == "" {
		t.Fatalf("messages %+v, %v; want GoToSocial's reply", msgs, err)
	}
	if likes, boosts, err := in.store.Reactions(event.APID); err != nil || likes != 1 || boosts != 1 {
		t.Errorf("likes %d, boosts %d, %v; want 1 and 1", likes, boosts, err)
	}
	if _, err := in.fed.AnswerMessage(msgs[0].ID, "Oui, venez avec votre téléphone."); err != nil {
		t.Fatal(err)
	}
	in.fed.DeliverDue(context.Background())
	var answer struct {
		Type   string
		Object struct{ Type, InReplyTo string }
	}
	bodies := gts.received()
	if len(bodies) > 0 {
		json.Unmarshal([]byte(bodies[len(bodies)-1]), &answer)
	}
	if answer.Type != "Create" || answer.Object.Type != "Note" || answer.Object.InReplyTo != note.Object.ID {
		t.Errorf("GoToSocial received %q; want the answer in reply to %s", bodies, note.Object.ID)
	}
}

package federation

import (
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/federation/safehttp"
	"github.com/maillage/maillage/storage"
)

// Config is what the federation needs. Store and BaseURL are required.
type Config struct {
	Store   *storage.Store
	BaseURL string // the instance's public URL, without a trailing slash
	Logger  *slog.Logger
	Now     func() time.Time
	// AllowPrivate lets the instance fetch and deliver to loopback and
	// private addresses (tests, the demo, a LAN); also, handles
	// "name@host" are then resolved over plain http.
	AllowPrivate bool
	// Relay re-shares (Announce) to our followers what the networks we
	// follow publish, and lists it in our collections.
	Relay bool
	// ManualApproval keeps incoming follows pending until accepted
	// through the API; by default they are accepted at once.
	ManualApproval bool
	// Workers is the number of concurrent deliveries; 8 when zero.
	Workers int
	// MaxBody bounds incoming activities; 1 MiB when zero.
	MaxBody int64
	// Observer is told the outcome of each incoming activity and each
	// delivery attempt, for monitoring; none when nil.
	Observer Observer
}

// Observer receives what monitoring counts. Its methods must be cheap and
// safe for concurrent use.
type Observer interface {
	// Inbox reports an incoming activity: accepted is false when it was
	// refused; reason is a short fixed word (new, duplicate, too_large,
	// unreadable, blocked, signature, busy, or the refusal's HTTP status).
	Inbox(accepted bool, reason string)
	// Delivery reports one delivery attempt to host: outcome is
	// delivered, refused (dropped on a 4xx), retried or given_up.
	Delivery(host, outcome string)
}

// nopObserver is the Observer of a Config without one.
type nopObserver struct{}

func (nopObserver) Inbox(bool, string)      {}
func (nopObserver) Delivery(string, string) {}

// Service is the ActivityPub side of one instance.
type Service struct {
	cfg    Config
	store  *storage.Store
	log    *slog.Logger
	now    func() time.Time
	client *safehttp.Client
	key    *rsa.PrivateKey
	actor  string // our actor's IRI
	keyID  string
	host   string // our host, with port

	// actors caches remote actors (and their parsed keys) in memory in
	// front of the store's cache: every incoming activity needs its
	// sender's key and name.
	actors sync.Map // IRI → cachedActor
	// keys caches the keys of incoming signatures, and limits fetches
	// (see keys.go).
	keys keyCache

	// pushedBack is when the inbox last logged a refusal for a busy
	// store (Unix ns): under a flood, one line every 10 s.
	pushedBack atomic.Int64
	// inboxSlots bounds the activities verified and stored at once (two
	// per CPU, as each waits for the inbox log's write part of the
	// time): a flood of signed activities waits its turn rather than
	// taking every CPU from the API and the pages. See BenchmarkFlood.
	inboxSlots chan struct{}

	wake     chan struct{}
	stop     chan struct{}
	wg       sync.WaitGroup
	stopOnce sync.Once
}

// New loads or creates the actor's key and makes every local change of
// the store publish its activity. Call Start to deliver, Close when done.
func New(cfg Config) (*Service, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("federation: invalid base URL %q", cfg.BaseURL)
	}
	s := &Service{
		cfg: cfg, store: cfg.Store, log: cfg.Logger, now: cfg.Now,
		actor: strings.TrimSuffix(cfg.BaseURL, "/") + "/actor", host: u.Host,
		wake: make(chan struct{}, 1), stop: make(chan struct{}),
		inboxSlots: make(chan struct{}, 2*runtime.GOMAXPROCS(0)),
	}
	s.keyID = s.actor + "#main-key"
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.cfg.Workers == 0 {
		s.cfg.Workers = 16
	}
	if s.cfg.MaxBody == 0 {
		s.cfg.MaxBody = 1 << 20
	}
	if s.cfg.Observer == nil {
		s.cfg.Observer = nopObserver{}
	}
	s.client = safehttp.New(safehttp.Options{AllowPrivate: cfg.AllowPrivate})
	pem, err := s.store.ActorKey(func() (string, error) {
		k, err := GenerateKey()
		if err != nil {
			return "", err
		}
		return EncodePrivateKey(k), nil
	})
	if err != nil {
		return nil, fmt.Errorf("federation: actor key: %w", err)
	}
	if s.key, err = DecodePrivateKey(pem); err != nil {
		return nil, fmt.Errorf("federation: actor key: %w", err)
	}
	s.store.SetPublisher(s.activityOf)
	s.store.SetRelay(cfg.Relay)
	s.store.SetDeliveryNotify(s.poke)
	return s, nil
}

// Actor is the IRI of this instance's network actor.
func (s *Service) Actor() string { return s.actor }

// Start runs the delivery workers until Close, and resumes the backfills
// a previous run left unfinished.
func (s *Service) Start() {
	s.wg.Add(1)
	go s.deliverLoop()
	s.ResumeBackfills()
}

// ResumeBackfills restarts, in the background, the backfill of every
// accepted follow whose backfill did not finish.
func (s *Service) ResumeBackfills() { s.backfillFollowed(false) }

// backfillFollowed backfills, in the background, every accepted follow,
// or only the unfinished ones.
func (s *Service) backfillFollowed(all bool) {
	fs, err := s.store.Followings()
	if err != nil {
		s.log.Error("backfill of followed networks", "err", err)
		return
	}
	for _, f := range fs {
		if f.State == storage.FollowAccepted && (all || !f.Backfilled) {
			s.startBackfill(f.Actor)
		}
	}
}

// Close stops the workers; queued deliveries stay queued.
func (s *Service) Close() {
	s.stopOnce.Do(func() { close(s.stop) })
	s.wg.Wait()
}

func (s *Service) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Register adds the ActivityPub routes to r. Object ids (/lieux/{id},
// /evenements/{id}) answer JSON-LD only to requests that ask for it;
// register the web pages after this.
func (s *Service) Register(r *mux.Router) {
	r.HandleFunc("/.well-known/webfinger", s.webfinger).Methods(http.MethodGet)
	r.HandleFunc("/.well-known/nodeinfo", s.nodeinfoLinks).Methods(http.MethodGet)
	r.HandleFunc("/nodeinfo/2.1", s.nodeinfo).Methods(http.MethodGet)
	r.HandleFunc("/actor", s.actorDoc).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/actor/inbox", s.inbox).Methods(http.MethodPost)
	r.HandleFunc("/inbox", s.inbox).Methods(http.MethodPost)
	r.HandleFunc("/actor/outbox", s.outbox).Methods(http.MethodGet)
	r.HandleFunc("/actor/followers", s.followers).Methods(http.MethodGet)
	r.HandleFunc("/actor/following", s.following).Methods(http.MethodGet)
	r.HandleFunc("/actor/places", s.placesCollection).Methods(http.MethodGet)
	r.HandleFunc("/actor/events", s.eventsCollection).Methods(http.MethodGet)
	ap := r.MatcherFunc(func(r *http.Request, _ *mux.RouteMatch) bool { return WantsActivityPub(r) }).Subrouter()
	ap.HandleFunc("/lieux/{id}", s.placeDoc).Methods(http.MethodGet, http.MethodHead)
	ap.HandleFunc("/evenements/{id}", s.eventDoc).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/notes/{id}", s.noteDoc).Methods(http.MethodGet)
	r.HandleFunc("/actor/featured", s.featured).Methods(http.MethodGet)
	r.HandleFunc("/actor/icon.png", s.icon).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/actor/header.png", s.header).Methods(http.MethodGet, http.MethodHead)
}

// writeAP answers an ActivityPub document.
func writeAP(w http.ResponseWriter, status int, doc map[string]any) {
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Vary", "Accept")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(withContext(doc))
}

func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// newActivityID is a fresh IRI for an activity of ours.
func (s *Service) newActivityID() string {
	return strings.TrimSuffix(s.cfg.BaseURL, "/") + "/activities/" + randomID()
}

// activity builds an activity of our actor, addressed like its object.
func (s *Service) activity(kind, id string, object any, to ...string) map[string]any {
	a := map[string]any{"id": id, "type": kind, "actor": s.actor, "object": object}
	if len(to) > 0 {
		a["to"] = to
	}
	return a
}

// activityOf is the store's Publisher: the Create, Update or Delete of a
// local place or event, for the followers.
func (s *Service) activityOf(c storage.Change) ([]byte, error) {
	if c.Remote {
		return s.announceOf(c)
	}
	var obj map[string]any
	var apID, kind string
	if c.Event != nil {
		obj, apID, kind = EventObject(c.Event, c.Place), c.Event.APID, "Event"
	} else {
		obj, apID, kind = PlaceObject(c.Place), c.Place.APID, "Place"
	}
	var object any = obj
	if c.Verb == storage.VerbDelete {
		object = tombstone(apID, kind, c.Time)
	}
	a := s.activity(c.Verb, apID+"#"+strings.ToLower(c.Verb)+"-"+fmt.Sprint(c.Time.UnixNano()), object)
	a["to"] = []string{Public}
	a["cc"] = []string{s.actor + "/followers"}
	a["published"] = c.Time.UTC().Format(time.RFC3339)
	return json.Marshal(withContext(a))
}

// announceOf is what a relay sends for a change of a remote record: an
// Announce of the object's IRI, which receivers fetch from its origin
// (a deletion answers 410 there).
func (s *Service) announceOf(c storage.Change) ([]byte, error) {
	apID := ""
	if c.Event != nil {
		apID = c.Event.APID
	} else {
		apID = c.Place.APID
	}
	sum := sha256.Sum256([]byte(apID + " " + c.Verb + " " + c.Time.String()))
	a := s.activity("Announce", s.actor+"/relais/"+hex.EncodeToString(sum[:12]), apID)
	a["to"] = []string{Public}
	a["cc"] = []string{s.actor + "/followers"}
	a["published"] = c.Time.UTC().Format(time.RFC3339)
	return json.Marshal(withContext(a))
}

// hostOf is the host (with port) of an IRI, or "".
func hostOf(iri string) string {
	u, err := url.Parse(iri)
	if err != nil || u.Scheme != "https" && u.Scheme != "http" {
		return ""
	}
	return u.Host
}

// errHTTP carries a status for the inbox to answer.
type errHTTP struct {
	status int
	msg    string
}

func (e *errHTTP) Error() string { return e.msg }

func httpError(status int, format string, args ...any) error {
	return &errHTTP{status: status, msg: fmt.Sprintf(format, args...)}
}

func statusOf(err error) int {
	var he *errHTTP
	var se *SignatureError
	switch {
	case errors.As(err, &he):
		return he.status
	case errors.As(err, &se):
		return http.StatusUnauthorized
	case errors.Is(err, storage.ErrForbidden):
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// localPlace reads one of our places for the collections and objects.
func (s *Service) localPlace(id string) (*catalogue.Place, error) {
	p, err := s.store.Place(id)
	if err != nil {
		return nil, err
	}
	if !p.Network.Local || p.Draft() {
		return nil, storage.ErrNotFound // a draft is not published
	}
	return p, nil
}

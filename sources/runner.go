package sources

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/maillage/maillage/federation/safehttp"
	"github.com/maillage/maillage/storage"
)

// MinEvery is the shortest period a source may have.
const MinEvery = 5 * time.Minute

// Config is what a Runner needs.
type Config struct {
	Store *storage.Store
	// AllowPrivate lets sources be fetched from loopback and private
	// addresses (tests, a LAN); off, such a fetch fails.
	AllowPrivate bool
	Logger       *slog.Logger
	Now          func() time.Time // time.Now when nil
	// Poll is how often the goroutine looks for due sources (1 minute
	// when zero).
	Poll time.Duration
	// MaxBody is the largest file fetched (64 MiB when zero).
	MaxBody int64
}

// Runner fetches and imports the due sources.
type Runner struct {
	cfg    Config
	client *safehttp.Client

	mu      sync.Mutex // one run at a time
	stop    context.CancelFunc
	stopped chan struct{}
}

// New returns a Runner; Start starts its goroutine.
func New(cfg Config) *Runner {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Poll == 0 {
		cfg.Poll = time.Minute
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 64 << 20
	}
	return &Runner{cfg: cfg, client: safehttp.New(safehttp.Options{
		AllowPrivate: cfg.AllowPrivate, Timeout: 2 * time.Minute, MaxBody: cfg.MaxBody})}
}

// Start runs the due sources every Poll until ctx ends or Close is
// called.
func (r *Runner) Start(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	r.stop, r.stopped = cancel, make(chan struct{})
	go func() {
		defer close(r.stopped)
		t := time.NewTicker(r.cfg.Poll)
		defer t.Stop()
		for {
			r.RunDue(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// Close stops the goroutine and waits for the run under way.
func (r *Runner) Close() {
	if r.stop != nil {
		r.stop()
		<-r.stopped
	}
}

// RunDue runs every source whose next run is due, one after the other,
// and returns their runs.
func (r *Runner) RunDue(ctx context.Context) []storage.SourceRun {
	srcs, err := r.cfg.Store.Sources()
	if err != nil {
		r.cfg.Logger.Error("sources: list", "err", err)
		return nil
	}
	var runs []storage.SourceRun
	for _, src := range srcs {
		if ctx.Err() != nil {
			break
		}
		if r.cfg.Now().Before(src.NextRun) {
			continue
		}
		run, err := r.Run(ctx, src.ID)
		if err != nil {
			r.cfg.Logger.Error("sources: run", "source", src.ID, "err", err)
			continue
		}
		runs = append(runs, run)
	}
	return runs
}

// Run fetches and imports the source id now, keeps the run and schedules
// the next one. The error is for what could not be stored; a failed
// fetch or import is the run's Error.
func (r *Runner) Run(ctx context.Context, id string) (storage.SourceRun, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	src, err := r.cfg.Store.Source(id)
	if err != nil {
		return storage.SourceRun{}, err
	}
	run := storage.SourceRun{Source: src.ID, Started: r.cfg.Now().UTC()}
	func() {
		defer func() {
			if p := recover(); p != nil {
				r.cfg.Logger.Error("sources: panic", "source", src.ID, "panic", p)
				run.Status, run.Error = "error", "panne interne pendant l'import"
			}
		}()
		r.fetchAndImport(ctx, &src, &run)
	}()
	run.Finished = r.cfg.Now().UTC()
	src.NextRun = run.Started.Add(src.Every)
	// Only the state of the fetch is written back: an editor may have
	// changed the mapping meanwhile (the file is then read again next
	// time), or removed the source (nothing is kept).
	err = r.cfg.Store.UpdateSource(src.ID, func(cur *storage.Source) {
		cur.NextRun, cur.Records = src.NextRun, src.Records
		cur.ETag, cur.LastModified, cur.Digest = src.ETag, src.LastModified, src.Digest
		if !maps.Equal(cur.Mapping, src.Mapping) {
			cur.ETag, cur.LastModified, cur.Digest = "", "", ""
		}
	})
	if errors.Is(err, storage.ErrNotFound) {
		return run, nil
	}
	if err != nil {
		return run, err
	}
	if err := r.cfg.Store.AddSourceRun(run); err != nil {
		return run, err
	}
	level := slog.LevelInfo
	if run.Status == "error" || run.Status == "alert" {
		level = slog.LevelWarn
	}
	r.cfg.Logger.Log(ctx, level, "sources: run", "source", src.ID, "url", src.URL, "status", run.Status,
		"created", run.Created, "updated", run.Updated, "unchanged", run.Unchanged, "rejected", run.Rejected,
		"vanished", run.Vanished, "deleted", run.Deleted, "err", run.Error)
	return run, nil
}

// CheckURL reads the URL of a source: http or https, with a host; a
// literal private address is refused unless allowPrivate (a name that
// resolves to one is refused when fetched). Errors are in French.
func CheckURL(raw string, allowPrivate bool) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("url : adresse http(s) complète attendue, par exemple https://exemple.fr/lieux.csv")
	}
	host := u.Hostname()
	if a, err := netip.ParseAddr(host); err == nil && !allowPrivate && safehttp.IsPrivateIP(a) {
		return nil, fmt.Errorf("url : %w (%s) ; l'instance ne télécharge pas d'adresse locale ou privée sauf avec --allow-private", safehttp.ErrPrivateAddress, host)
	}
	if !allowPrivate && (strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost")) {
		return nil, fmt.Errorf("url : %w (%s) ; l'instance ne télécharge pas d'adresse locale ou privée sauf avec --allow-private", safehttp.ErrPrivateAddress, host)
	}
	if _, _, err := net.SplitHostPort(u.Host); err != nil && strings.Contains(u.Host, ":") && !strings.HasPrefix(u.Host, "[") {
		return nil, errors.New("url : port invalide")
	}
	return u, nil
}

package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"golang.org/x/crypto/acme"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/communes"
	"github.com/maillage/maillage/federation"
	"github.com/maillage/maillage/metrics"
	"github.com/maillage/maillage/sources"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui"
)

// Server is one running instance: its store, its HTTP server and, later,
// its workers. Tests build the same thing. Open it, then Close it.
type Server struct {
	Config Config
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Listener, when set, is used instead of listening on Config.Listen
	// (Config.HTTPSListen with TLS).
	Listener net.Listener
	// HTTPListener, when set, is used instead of listening on
	// Config.HTTPListen with TLS.
	HTTPListener net.Listener
	// ACMEClient, when set, replaces the client autocert builds from
	// Config.ACMEDirectory: tests point it at Pebble and trust its CA.
	ACMEClient *acme.Client

	base  string
	store *storage.Store
	fed   *federation.Service
	srcs  *sources.Runner
	http  *http.Server
	ln    net.Listener
	done  chan error

	backupStop chan struct{} // closed by Close: the backup loop returns
	backupDone chan struct{}
	// backupEvery is the period of the backups to Config.BackupDir;
	// backupEvery (a day) when zero.
	backupEvery time.Duration

	metrics     *metrics.Metrics
	metricsSrv  *http.Server // --metrics-listen
	metricsLn   net.Listener
	metricsDone chan error

	plain     *http.Server // with TLS: redirect and ACME challenges
	plainLn   net.Listener
	plainDone chan error

	closeOnce sync.Once
	connMu    sync.Mutex
	fresh     map[net.Conn]bool // connections that have not sent a request yet
}

// trackConn keeps the connections on which no request has arrived yet:
// peers' HTTP clients open some ahead of need, and Shutdown would wait
// for each of them for 5 seconds.
func (s *Server) trackConn(c net.Conn, state http.ConnState) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	if s.fresh == nil {
		s.fresh = map[net.Conn]bool{}
	}
	if state == http.StateNew {
		s.fresh[c] = true
	} else {
		delete(s.fresh, c)
	}
}

// Open opens the store, records the network's identity and starts serving.
// It fails at once when another process holds the data directory.
func (s *Server) Open(ctx context.Context) error {
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	ln := s.Listener
	if ln == nil {
		addr := s.Config.Listen
		if s.Config.TLS() {
			addr = s.Config.HTTPSListen
		}
		var err error
		ln, err = (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
		if err != nil {
			return fmt.Errorf("écouter sur %s : %w", addr, err)
		}
	}
	s.ln = ln
	// The public URL is the one stored at first use; --url, when given,
	// must be it (storage/url.go).
	st, err := storage.Open(s.Config.Data, storage.Options{BaseURL: s.Config.URL,
		DefaultURL: "http://" + defaultHost(s.Config.Listen, ln.Addr()),
		Now:        s.Now, Logger: s.Logger, PruneEvery: time.Hour, ReleaseEvery: storage.ReleaseEvery})
	if errors.Is(err, storage.ErrLocked) {
		ln.Close()
		return fmt.Errorf("la base de données de %s est déjà utilisée par un autre processus (une autre instance de maillage serve ?)", s.Config.Data)
	}
	if err != nil {
		ln.Close()
		return urlError(err, s.Config.Data, "--url")
	}
	s.store, s.base = st, st.BaseURL()
	if st.URLFixed() {
		s.Logger.Info("adresse publique de l'instance fixée à la première utilisation", "url", s.base, "data", s.Config.Data)
	}
	if err := s.storeIdentity(); err != nil {
		s.Close()
		return err
	}
	ver, rev, goVersion := buildInfo()
	s.metrics = metrics.New(metrics.Options{Store: st, Version: ver, Commit: rev, GoVersion: goVersion})
	s.fed, err = federation.New(federation.Config{Store: st, BaseURL: s.base, Logger: s.Logger, Now: s.Now,
		AllowPrivate: s.Config.AllowPrivate, ManualApproval: s.Config.ManualApproval, Relay: s.Config.Relay,
		Observer: s.metrics})
	if err != nil {
		s.Close()
		return err
	}
	s.fed.Start()
	communes.France() // read the embedded list now, not at the first request
	s.srcs = sources.New(sources.Config{Store: st, AllowPrivate: s.Config.AllowPrivate, Logger: s.Logger, Now: s.Now})
	s.srcs.Start(context.Background()) // stopped by Close
	if s.Config.DemoSeed {
		if err := s.seedDemo(); err != nil {
			s.Close()
			return err
		}
	}
	for _, target := range s.Config.Follow {
		go s.followAtStart(target)
	}
	var h http.Handler = ui.New(ui.Config{Store: st, Logger: s.Logger, Now: s.Now, Federation: s.fed, Reports: reportSink{s.fed},
		TileURL: s.Config.Tiles, TrustedProxies: s.Config.TrustedProxies, RouteMatched: metrics.SetRoute,
		AllowPrivate: s.Config.AllowPrivate, Sample: s.loadSample})
	if s.Config.BackupDir != "" {
		if err := os.MkdirAll(s.Config.BackupDir, 0o750); err != nil {
			s.Close()
			return fmt.Errorf("--backup-dir : %w", err)
		}
		period := s.backupEvery
		if period == 0 {
			period = backupEvery
		}
		s.backupStop, s.backupDone = make(chan struct{}), make(chan struct{})
		go func() {
			defer close(s.backupDone)
			backupLoop(st, s.Config.BackupDir, s.Config.BackupKeep, period, s.Now, s.Logger, s.metrics.SetLastBackup, s.backupStop)
		}()
	}
	h = withMetrics(s.metrics, st, h)
	if s.Config.MetricsListen != "" {
		if err := s.listenMetrics(ctx); err != nil {
			s.Close()
			return err
		}
	}
	serveLn := ln
	if s.Config.TLS() {
		tc, m, err := s.tlsConfig()
		if err != nil {
			s.Close()
			return err
		}
		if err := s.listenPlain(ctx, redirectHandler(s.base, m, h)); err != nil {
			s.Close()
			return err
		}
		h, serveLn = hsts(h), tls.NewListener(ln, tc)
	}
	s.http = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
		ConnState:         s.trackConn,
	}
	s.done = make(chan error, 1)
	go func() { s.done <- s.http.Serve(serveLn) }()
	return nil
}

// listenPlain starts the plain HTTP server of a TLS instance, unless
// --http-listen is off.
func (s *Server) listenPlain(ctx context.Context, h http.Handler) error {
	ln := s.HTTPListener
	if ln == nil {
		if s.Config.HTTPListen == "off" {
			return nil
		}
		var err error
		if ln, err = (&net.ListenConfig{}).Listen(ctx, "tcp", s.Config.HTTPListen); err != nil {
			return fmt.Errorf("écouter sur %s (--http-listen) : %w", s.Config.HTTPListen, err)
		}
	}
	s.plainLn = ln
	s.plain = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: time.Minute,
		IdleTimeout: time.Minute, ErrorLog: slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn)}
	s.plainDone = make(chan error, 1)
	go func() { s.plainDone <- s.plain.Serve(ln) }()
	return nil
}

// HTTPAddr is the address of the plain HTTP listener of a TLS instance,
// empty without one.
func (s *Server) HTTPAddr() string {
	if s.plainLn == nil {
		return ""
	}
	return s.plainLn.Addr().String()
}

// reportSink takes the pages' error reports to the federation side, which
// keeps them and tells the network owning a remote place.
type reportSink struct{ fed *federation.Service }

func (r reportSink) AddReport(rep ui.Report) error {
	return r.fed.Report(storage.Report{Place: rep.Place, PlaceAP: rep.PlaceAP, Message: rep.Message, Contact: rep.Contact, Created: rep.Created})
}

// followAtStart follows target, retrying while it does not answer (its
// container may still be starting), for at most ten minutes.
func (s *Server) followAtStart(target string) {
	for deadline := time.Now().Add(10 * time.Minute); ; {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		f, err := s.fed.Follow(ctx, target)
		cancel()
		if err == nil {
			s.Logger.Info("following", "target", target, "actor", f.Actor, "state", f.State)
			return
		}
		if time.Now().After(deadline) {
			s.Logger.Error("cannot follow", "target", target, "err", err)
			return
		}
		s.Logger.Info("follow: target not ready, retrying", "target", target, "err", err)
		time.Sleep(2 * time.Second)
	}
}

// seedDemo fills an empty catalogue with the demo's places for this
// network's handle.
func (s *Server) seedDemo() error {
	res, err := s.store.Places(catalogue.PlaceQuery{Network: "local", Limit: 1})
	if err != nil || res.Total > 0 {
		return err
	}
	st, _ := s.store.Settings()
	for i, n := range demoTerritory {
		if n.handle == st.Handle {
			_, err := seedDemo(s.store, n, i)
			return err
		}
	}
	return fmt.Errorf("--demo-seed : aucun jeu d'exemple pour « %s » (réseaux de la démo : arsenic13, arsenic83, arsenic84, paca, numerique34, occitanie, france)", st.Handle)
}

// storeIdentity writes the name and handle at first start, and when they
// were given explicitly afterwards.
func (s *Server) storeIdentity() error {
	cur, err := s.store.Settings()
	if err != nil {
		return err
	}
	var next storage.Settings
	if cur.Name == "" || s.Config.NameSet {
		next.Name = s.Config.Name
	}
	if cur.Handle == "" || s.Config.HandleSet {
		next.Handle = s.Config.Handle
	}
	if s.Config.Contact != "" || s.Config.Territory != "" {
		p, err := s.store.Profile()
		if err != nil {
			return err
		}
		if s.Config.Contact != "" {
			p.Contact = s.Config.Contact
		}
		if s.Config.Territory != "" {
			p.Territory = s.Config.Territory
		}
		if err := s.store.SetProfile(p); err != nil {
			return err
		}
	}
	return s.store.SetSettings(next)
}

// defaultHost is the host of the default base URL: the listen address as
// written, unless it names no host or lets the system choose the port.
func defaultHost(listen string, addr net.Addr) string {
	host, port, err := net.SplitHostPort(listen)
	switch {
	case err != nil || port == "0" || port == "":
		return addr.String()
	case host == "" || host == "0.0.0.0" || host == "::":
		return net.JoinHostPort("localhost", port)
	}
	return listen
}

// BaseURL is the instance's public URL, without a trailing slash.
func (s *Server) BaseURL() string { return s.base }

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Store is the instance's store, for tests and commands in this process.
func (s *Server) Store() *storage.Store { return s.store }

// Close stops accepting requests, lets in-flight ones finish (for up to
// 20 seconds), then closes the database.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() { err = s.close() })
	return err
}

func (s *Server) close() error {
	var errs []error
	if s.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		shut := make(chan error, 1)
		go func() { shut <- s.http.Shutdown(ctx) }()
		time.Sleep(20 * time.Millisecond) // Shutdown closes the listener first
		s.connMu.Lock()
		for c := range s.fresh { // then drop the connections that never asked anything
			c.Close()
		}
		s.connMu.Unlock()
		if err := <-shut; err != nil {
			errs = append(errs, fmt.Errorf("shutdown: %w", err))
		}
		if err := <-s.done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	} else if s.ln != nil {
		s.ln.Close()
	}
	if s.backupStop != nil {
		close(s.backupStop)
		<-s.backupDone
	}
	if s.metricsSrv != nil {
		if err := s.metricsSrv.Close(); err != nil {
			errs = append(errs, err)
		}
		if err := <-s.metricsDone; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	if s.plain != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.plain.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown http: %w", err))
		}
		if err := <-s.plainDone; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	} else if s.HTTPListener != nil {
		s.HTTPListener.Close()
	}
	if s.srcs != nil {
		s.srcs.Close()
	}
	if s.fed != nil {
		s.fed.Close()
	}
	if s.store != nil {
		if err := s.store.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/maillage/maillage/federation"
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
	// Listener, when set, is used instead of listening on Config.Listen.
	Listener net.Listener

	base  string
	store *storage.Store
	fed   *federation.Service
	http  *http.Server
	ln    net.Listener
	done  chan error
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
		var err error
		ln, err = (&net.ListenConfig{}).Listen(ctx, "tcp", s.Config.Listen)
		if err != nil {
			return fmt.Errorf("écouter sur %s : %w", s.Config.Listen, err)
		}
	}
	s.ln = ln
	s.base = s.Config.URL
	if s.base == "" {
		s.base = "http://" + defaultHost(s.Config.Listen, ln.Addr())
	}
	st, err := storage.Open(s.Config.Data, storage.Options{BaseURL: s.base, Now: s.Now})
	if errors.Is(err, storage.ErrLocked) {
		ln.Close()
		return fmt.Errorf("la base de données de %s est déjà utilisée par un autre processus (une autre instance de maillage serve ?)", s.Config.Data)
	}
	if err != nil {
		ln.Close()
		return err
	}
	s.store = st
	if err := s.storeIdentity(); err != nil {
		s.Close()
		return err
	}
	s.fed, err = federation.New(federation.Config{Store: st, BaseURL: s.base, Logger: s.Logger, Now: s.Now,
		AllowPrivate: s.Config.AllowPrivate, ManualApproval: s.Config.ManualApproval, Relay: s.Config.Relay})
	if err != nil {
		s.Close()
		return err
	}
	s.fed.Start()
	s.http = &http.Server{
		Handler:           ui.New(ui.Config{Store: st, Logger: s.Logger, Now: s.Now, Federation: s.fed}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
	s.done = make(chan error, 1)
	go func() { s.done <- s.http.Serve(ln) }()
	return nil
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
	var errs []error
	if s.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := s.http.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown: %w", err))
		}
		if err := <-s.done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	} else if s.ln != nil {
		s.ln.Close()
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

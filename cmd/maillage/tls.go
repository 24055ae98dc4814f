package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// hstsValue is the Strict-Transport-Security header of a TLS instance:
// one year, this host only (the domain's other hosts are not ours).
const hstsValue = "max-age=31536000"

// tlsFlags declares serve's TLS flags. --acme-directory, for tests
// (Pebble) or Let's Encrypt's staging, has no usage so that serve's help
// leaves it out (see newFlagSet); MAILLAGE_ACME_DIRECTORY is named in
// --acme-domain's.
func tlsFlags(fs *flag.FlagSet, cfg *Config, getenv func(string) string) {
	fs.StringVar(&cfg.ACMEDomain, "acme-domain", getenv("MAILLAGE_ACME_DOMAIN"), "obtient et renouvelle un certificat Let's Encrypt pour ce `DOMAINE`, sert en HTTPS (MAILLAGE_ACME_DOMAIN ; un autre serveur ACME, de test par exemple : MAILLAGE_ACME_DIRECTORY)")
	fs.StringVar(&cfg.ACMEEmail, "acme-email", getenv("MAILLAGE_ACME_EMAIL"), "adresse `EMAIL` de contact donnée à Let's Encrypt (MAILLAGE_ACME_EMAIL)")
	fs.StringVar(&cfg.ACMEDirectory, "acme-directory", envOr(getenv, "MAILLAGE_ACME_DIRECTORY", autocert.DefaultACMEDirectory), "")
	fs.StringVar(&cfg.TLSCert, "tls-cert", getenv("MAILLAGE_TLS_CERT"), "`FICHIER` du certificat (PEM, chaîne complète) géré ailleurs ; sert en HTTPS (MAILLAGE_TLS_CERT)")
	fs.StringVar(&cfg.TLSKey, "tls-key", getenv("MAILLAGE_TLS_KEY"), "`FICHIER` de la clé privée (PEM) de --tls-cert (MAILLAGE_TLS_KEY)")
	fs.StringVar(&cfg.HTTPSListen, "https-listen", envOr(getenv, "MAILLAGE_HTTPS_LISTEN", ":443"), "adresse d'écoute HTTPS `HOTE:PORT` avec --acme-domain ou --tls-cert (MAILLAGE_HTTPS_LISTEN)")
	fs.StringVar(&cfg.HTTPListen, "http-listen", envOr(getenv, "MAILLAGE_HTTP_LISTEN", ":80"), "adresse d'écoute HTTP `HOTE:PORT` avec TLS : redirection vers https et défis ACME ; off pour la couper (MAILLAGE_HTTP_LISTEN)")
}

// TLS reports whether serve terminates TLS itself.
func (cfg *Config) TLS() bool { return cfg.ACMEDomain != "" || cfg.TLSCert != "" }

// validateTLS checks the TLS flags and, with --acme-domain, defaults the
// public URL to https://DOMAIN.
func (cfg *Config) validateTLS() error {
	if cfg.ACMEDomain != "" && cfg.TLSCert != "" {
		return fmt.Errorf("--acme-domain et --tls-cert s'excluent : certificat obtenu par Maillage ou fourni, pas les deux")
	}
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return fmt.Errorf("--tls-cert et --tls-key vont ensemble : le certificat et sa clé privée")
	}
	if !cfg.TLS() {
		return nil
	}
	if _, port, err := net.SplitHostPort(cfg.HTTPSListen); err != nil {
		return fmt.Errorf("--https-listen : adresse HOTE:PORT attendue (%q)", cfg.HTTPSListen)
	} else if cfg.URL == "" && cfg.ACMEDomain != "" {
		cfg.URL = "https://" + cfg.ACMEDomain
		if port != "443" {
			cfg.URL = "https://" + net.JoinHostPort(cfg.ACMEDomain, port)
		}
	}
	if cfg.HTTPListen != "off" {
		if _, _, err := net.SplitHostPort(cfg.HTTPListen); err != nil {
			return fmt.Errorf("--http-listen : adresse HOTE:PORT ou off attendue (%q)", cfg.HTTPListen)
		}
	}
	if d := cfg.ACMEDomain; d != "" {
		if strings.Contains(d, "/") || strings.Contains(d, ":") || !strings.Contains(strings.Trim(d, "."), ".") || net.ParseIP(d) != nil {
			return fmt.Errorf("--acme-domain : nom de domaine attendu, sans https:// ni port, par exemple maillage.example.fr (%q)", d)
		}
		if cfg.HTTPListen == "off" {
			return fmt.Errorf("--http-listen off : --acme-domain a besoin du port 80 pour le défi HTTP de Let's Encrypt et la redirection")
		}
		if u := cfg.URL; !strings.HasPrefix(u, "https://"+d) {
			return fmt.Errorf("--url : avec --acme-domain %s, l'adresse publique est https://%s (%q)", d, d, u)
		}
	}
	if cfg.TLSCert != "" && !strings.HasPrefix(cfg.URL, "https://") {
		return fmt.Errorf("--url : avec --tls-cert, l'adresse publique https://… de l'instance est obligatoire (%q)", cfg.URL)
	}
	return nil
}

// tlsConfig is the HTTPS listener's configuration: autocert's, with its
// cache in the data directory, or the given certificate, reloaded when
// its files change.
func (s *Server) tlsConfig() (*tls.Config, *autocert.Manager, error) {
	cfg := s.Config
	if cfg.ACMEDomain != "" {
		client := s.ACMEClient
		if client == nil {
			client = &acme.Client{DirectoryURL: cfg.ACMEDirectory}
		}
		m := &autocert.Manager{
			Prompt:     autocert.AcceptTOS,
			Cache:      autocert.DirCache(filepath.Join(cfg.Data, "acme")),
			HostPolicy: autocert.HostWhitelist(cfg.ACMEDomain),
			Email:      cfg.ACMEEmail,
			Client:     client,
		}
		tc := m.TLSConfig()
		tc.MinVersion = tls.VersionTLS12
		return tc, m, nil
	}
	r := &certReloader{cert: cfg.TLSCert, key: cfg.TLSKey, now: s.Now}
	if err := r.load(); err != nil {
		return nil, nil, err
	}
	return &tls.Config{MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"}, GetCertificate: r.get}, nil, nil
}

// certReloader serves a certificate managed elsewhere (certbot, a
// company PKI) and reads it again, at most once a minute, when its files
// change.
type certReloader struct {
	cert, key string
	now       func() time.Time

	mu      sync.Mutex
	current *tls.Certificate
	modTime time.Time
	checked time.Time
}

func (r *certReloader) load() error {
	c, err := tls.LoadX509KeyPair(r.cert, r.key)
	if err != nil {
		return fmt.Errorf("--tls-cert %s, --tls-key %s : %w", r.cert, r.key, err)
	}
	r.current, r.modTime, r.checked = &c, r.lastChange(), r.now()
	return nil
}

func (r *certReloader) lastChange() time.Time {
	var last time.Time
	for _, f := range []string{r.cert, r.key} {
		if fi, err := os.Stat(f); err == nil && fi.ModTime().After(last) {
			last = fi.ModTime()
		}
	}
	return last
}

func (r *certReloader) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if now := r.now(); now.Sub(r.checked) >= time.Minute {
		r.checked = now
		if r.lastChange().After(r.modTime) {
			old := r.current
			if err := r.load(); err != nil {
				r.current = old // keep serving the certificate that works
			}
		}
	}
	return r.current, nil
}

// hsts sends Strict-Transport-Security on every HTTPS answer.
func hsts(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", hstsValue)
		h.ServeHTTP(w, r)
	})
}

// redirectHandler is the plain HTTP side of a TLS instance: ACME
// challenges (when m is set), /healthz for container health checks, and a
// permanent redirect of everything else to the same path on the public
// https URL (never to the Host header, which the client chooses).
func redirectHandler(base string, m *autocert.Manager, health http.Handler) http.Handler {
	redirect := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			health.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "utilisez https : "+base, http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, base+r.URL.RequestURI(), http.StatusMovedPermanently)
	})
	if m == nil {
		return redirect
	}
	return m.HTTPHandler(redirect)
}

package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Config is the configuration of serve: flags, each with an environment
// variable.
type Config struct {
	Data         string
	Listen       string
	URL          string // public base URL; "http://" + Listen when empty
	Name         string // stored at first start, or when set explicitly
	Handle       string
	NameSet      bool // Name came from a flag or the environment
	HandleSet    bool
	Relay        bool
	AllowPrivate bool
	// ManualApproval keeps incoming follows pending until an editor
	// accepts them (/api/v1/followers/{id}/accept).
	ManualApproval bool
	// Follow lists networks (handle@host or actor URLs) to follow at start,
	// retried until they answer: for docker-compose and scripted setups.
	Follow []string
	// Tiles is the map tile URL template of the pages; OpenStreetMap's
	// when empty.
	Tiles string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (see ui.Config); none by default.
	TrustedProxies []netip.Prefix
	// Contact and Territory, when set, are stored in the network's
	// profile (its fediverse profile fields) at start.
	Contact   string
	Territory string
	// DemoSeed fills an empty catalogue with the demo's sample places
	// for the handle (see demo.go), for the docker-compose topology.
	DemoSeed bool
	// BackupDir, when set, receives a backup of the database every day
	// (maillage-TIME.db); the BackupKeep newest are kept.
	BackupDir  string
	BackupKeep int
	// LogFormat is "text" (logfmt-like, the default) or "json", one
	// object a line for log collectors.
	LogFormat string
	// TLS: see tls.go.
	ACMEDomain, ACMEEmail string
	TLSCert, TLSKey       string
	HTTPSListen           string // :443 by default when TLS is on
	HTTPListen            string // :80 by default with --acme-domain (redirect and ACME challenge)
	ACMEDirectory         string // Let's Encrypt's by default; Pebble's in tests
	// MetricsListen, when set, serves /metrics there without a token.
	MetricsListen string
}

// listFlag is a repeatable flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	*l = append(*l, strings.TrimSpace(v))
	return nil
}

var handlePattern = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

// parseServeFlags reads serve's flags, with defaults from getenv.
func parseServeFlags(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	var cfg Config
	fs := newFlagSet("serve", "lance l'instance : pages publiques, /admin, API et fédération.")
	fs.StringVar(&cfg.Data, "data", envOr(getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	fs.StringVar(&cfg.Listen, "listen", envOr(getenv, "MAILLAGE_LISTEN", "localhost:8080"), "adresse d'écoute `HOTE:PORT` (MAILLAGE_LISTEN)")
	fs.StringVar(&cfg.URL, "url", getenv("MAILLAGE_URL"), "`URL` publique de base, par exemple https://reseau.example (MAILLAGE_URL)")
	fs.StringVar(&cfg.Tiles, "tiles", getenv("MAILLAGE_TILES"), "modèle d'`URL` des tuiles de la carte, avec {z}/{x}/{y} (MAILLAGE_TILES ; OpenStreetMap par défaut)")
	fs.StringVar(&cfg.Name, "name", envOr(getenv, "MAILLAGE_NAME", "Mon réseau"), "`NOM` du réseau (MAILLAGE_NAME)")
	fs.StringVar(&cfg.Handle, "handle", envOr(getenv, "MAILLAGE_HANDLE", "reseau"), "`IDENTIFIANT` du réseau dans la fédération (MAILLAGE_HANDLE)")
	fs.StringVar(&cfg.Contact, "contact", getenv("MAILLAGE_CONTACT"), "adresse `EMAIL` de contact affichée sur le profil fédéré du réseau (MAILLAGE_CONTACT)")
	fs.StringVar(&cfg.Territory, "territory", getenv("MAILLAGE_TERRITORY"), "`TERRITOIRE` affiché sur le profil fédéré du réseau, par exemple Bouches-du-Rhône (MAILLAGE_TERRITORY)")
	trusted := fs.String("trusted-proxies", getenv("MAILLAGE_TRUSTED_PROXIES"), "`LISTE` des proxys inverses dont on croit X-Forwarded-For et X-Forwarded-Proto, IP ou CIDR séparés par des virgules, par exemple 127.0.0.1/32,10.0.0.0/8 (MAILLAGE_TRUSTED_PROXIES ; aucun par défaut)")
	relay, err := envBool(getenv, "MAILLAGE_RELAY")
	if err != nil {
		return cfg, err
	}
	private, err := envBool(getenv, "MAILLAGE_ALLOW_PRIVATE")
	if err != nil {
		return cfg, err
	}
	fs.BoolVar(&cfg.Relay, "relay", relay, "republie ce que publient les réseaux suivis (MAILLAGE_RELAY)")
	fs.BoolVar(&cfg.AllowPrivate, "allow-private", private, "autorise les adresses locales et privées (MAILLAGE_ALLOW_PRIVATE)")
	manual, err := envBool(getenv, "MAILLAGE_MANUAL_APPROVAL")
	if err != nil {
		return cfg, err
	}
	fs.BoolVar(&cfg.ManualApproval, "manual-approval", manual, "approuve à la main les demandes de suivi (MAILLAGE_MANUAL_APPROVAL)")
	var follow listFlag
	for _, f := range strings.Split(getenv("MAILLAGE_FOLLOW"), ",") {
		if strings.TrimSpace(f) != "" {
			follow = append(follow, strings.TrimSpace(f))
		}
	}
	fs.Var(&follow, "follow", "réseau à suivre au démarrage, `IDENTIFIANT@HOTE` ou URL d'acteur ; répétable (MAILLAGE_FOLLOW, séparés par des virgules)")
	seed, err := envBool(getenv, "MAILLAGE_DEMO_SEED")
	if err != nil {
		return cfg, err
	}
	fs.BoolVar(&cfg.DemoSeed, "demo-seed", seed, "remplit un catalogue vide avec les lieux d'exemple de la démo (MAILLAGE_DEMO_SEED)")
	fs.StringVar(&cfg.BackupDir, "backup-dir", getenv("MAILLAGE_BACKUP_DIR"), "répertoire `DIR` des sauvegardes quotidiennes (MAILLAGE_BACKUP_DIR ; aucune par défaut)")
	keep, err := strconv.Atoi(envOr(getenv, "MAILLAGE_BACKUP_KEEP", "7"))
	if err != nil {
		return cfg, fmt.Errorf("MAILLAGE_BACKUP_KEEP : nombre entier attendu")
	}
	fs.IntVar(&cfg.BackupKeep, "backup-keep", keep, "nombre `N` de sauvegardes quotidiennes gardées (MAILLAGE_BACKUP_KEEP)")
	fs.StringVar(&cfg.LogFormat, "log-format", envOr(getenv, "MAILLAGE_LOG_FORMAT", "text"), "`FORMAT` du journal, text ou json (MAILLAGE_LOG_FORMAT)")
	tlsFlags(fs, &cfg, getenv)
	fs.StringVar(&cfg.MetricsListen, "metrics-listen", getenv("MAILLAGE_METRICS_LISTEN"), "adresse `HOTE:PORT` servant /metrics sans jeton, par exemple 127.0.0.1:9100 (MAILLAGE_METRICS_LISTEN ; sinon /metrics demande un jeton admin)")
	if err := parseFlags(fs, args); err != nil {
		return cfg, err
	}
	cfg.Follow = follow
	if cfg.TrustedProxies, err = parseTrustedProxies(*trusted); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("argument inattendu « %s »", fs.Arg(0))
	}
	cfg.NameSet = getenv("MAILLAGE_NAME") != ""
	cfg.HandleSet = getenv("MAILLAGE_HANDLE") != ""
	fs.Visit(func(f *flag.Flag) {
		cfg.NameSet = cfg.NameSet || f.Name == "name"
		cfg.HandleSet = cfg.HandleSet || f.Name == "handle"
	})
	return cfg, cfg.validate()
}

func (cfg *Config) validate() error {
	if _, _, err := net.SplitHostPort(cfg.Listen); err != nil {
		return fmt.Errorf("--listen : adresse HOTE:PORT attendue (%q)", cfg.Listen)
	}
	if cfg.URL != "" {
		u, err := url.Parse(cfg.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return fmt.Errorf("--url : URL de base http(s) sans chemin attendue, par exemple https://reseau.example (%q)", cfg.URL)
		}
		cfg.URL = strings.TrimSuffix(cfg.URL, "/")
	}
	if strings.TrimSpace(cfg.Name) == "" {
		return fmt.Errorf("--name ne peut pas être vide")
	}
	if cfg.Contact != "" {
		if a, err := mail.ParseAddress(cfg.Contact); err != nil || a.Address != cfg.Contact {
			return fmt.Errorf("--contact : adresse électronique invalide (%q)", cfg.Contact)
		}
	}
	if !handlePattern.MatchString(cfg.Handle) {
		return fmt.Errorf("--handle : lettres minuscules, chiffres et _ seulement (%q)", cfg.Handle)
	}
	if cfg.BackupDir != "" && cfg.BackupKeep < 1 {
		return fmt.Errorf("--backup-keep : au moins 1 sauvegarde à garder (%d)", cfg.BackupKeep)
	}
	if cfg.LogFormat != "" && cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return fmt.Errorf("--log-format : text ou json attendu (%q)", cfg.LogFormat)
	}
	if cfg.MetricsListen != "" {
		if _, _, err := net.SplitHostPort(cfg.MetricsListen); err != nil {
			return fmt.Errorf("--metrics-listen : adresse HOTE:PORT attendue (%q)", cfg.MetricsListen)
		}
	}
	return cfg.validateTLS()
}

// parseTrustedProxies reads a comma-separated list of IP addresses and
// CIDR networks; empty entries are skipped.
func parseTrustedProxies(s string) ([]netip.Prefix, error) {
	var ps []netip.Prefix
	for _, e := range strings.Split(s, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		var p netip.Prefix
		if a, err := netip.ParseAddr(e); err == nil && a.Zone() == "" {
			p = netip.PrefixFrom(a, a.BitLen())
		} else if p, err = netip.ParsePrefix(e); err != nil {
			return nil, fmt.Errorf("--trusted-proxies : adresse IP ou réseau CIDR attendu, par exemple 127.0.0.1/32,10.0.0.0/8 (%q)", e)
		}
		if p.Addr().Is4In6() && p.Bits() >= 96 { // ::ffff:10.0.0.0/104 is 10.0.0.0/8
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		ps = append(ps, p.Masked())
	}
	return ps, nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

func envBool(getenv func(string) string, key string) (bool, error) {
	v := getenv(key)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s : true ou false attendu (%q)", key, v)
	}
	return b, nil
}

package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/maillage/maillage/storage"
)

// The instance's public URL is fixed by the first command that opens a
// new data directory (see storage/url.go); this file holds what every
// command needs for it, and the offline commands move-url and compact.

// openStore opens the store of a maintenance command, failing at once with
// a clear message when serve holds it. url is the URL asked for (--url,
// MAILLAGE_URL), empty for the stored one; a new data directory gets it,
// or the default one (MAILLAGE_URL, else serve's from MAILLAGE_LISTEN),
// and stderr says so.
func openStore(dir, url string, stderr io.Writer) (*storage.Store, error) {
	def, err := importBaseURL(os.Getenv("MAILLAGE_URL"), os.Getenv)
	if err != nil {
		return nil, err
	}
	st, err := storage.Open(dir, storage.Options{BaseURL: url, DefaultURL: def})
	if errors.Is(err, storage.ErrLocked) {
		return nil, fmt.Errorf("la base de données de %s est utilisée par un autre processus (maillage serve est-il lancé ?) : arrêtez-le d'abord", dir)
	}
	if err != nil {
		return nil, urlError(err, dir, "--url")
	}
	sayURLFixed(st, dir, stderr)
	return st, nil
}

// sayURLFixed states, in one line, the URL a new data directory was just
// bound to.
func sayURLFixed(st *storage.Store, dir string, stderr io.Writer) {
	if st.URLFixed() {
		fmt.Fprintf(stderr, "maillage : adresse publique de l'instance fixée à %s (première utilisation de %s ; pour une autre adresse avant toute fédération : maillage move-url)\n", st.BaseURL(), dir)
	}
}

// urlError explains, in French, a URL other than the stored one; other
// errors pass through.
func urlError(err error, dir, flagName string) error {
	var m *storage.URLMismatchError
	if !errors.As(err, &m) {
		return err
	}
	return fmt.Errorf("%s %s refusée : l'adresse publique de cette instance est %s, fixée à sa première utilisation. "+
		"Les identifiants ActivityPub de ses lieux, de ses événements et de son acteur sont construits sur cette adresse "+
		"et les autres instances les gardent : ils ne peuvent pas déménager. Relancez sans %s (l'adresse enregistrée est reprise). "+
		"Si l'instance n'a encore jamais été suivie ni rien envoyé, maillage move-url --data %s --url %s change son adresse",
		flagName, m.Asked, m.Stored, flagName, dir, m.Asked)
}

// moveURL is "maillage move-url --data DIR --url URL": it changes the
// instance's public URL and rewrites its local ids, before the instance
// ever federated.
func moveURL(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("move-url", "change l'adresse publique de l'instance et réécrit ses identifiants, tant qu'elle n'a jamais fédéré ; instance arrêtée.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	next := fs.String("url", "", "nouvelle `URL` publique de base")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("argument inattendu « %s » : maillage move-url --data DIR --url URL", fs.Arg(0))
	}
	if *next == "" {
		return errors.New("--url est obligatoire : maillage move-url --data DIR --url URL")
	}
	to, err := flagURL(*next)
	if err != nil {
		return err
	}
	st, err := openStore(*data, "", stderr)
	if err != nil {
		return err
	}
	old, err := st.MoveURL(to)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, storage.ErrFederated) {
		return fmt.Errorf("l'adresse %s ne peut plus changer : l'instance a déjà été suivie, a suivi un réseau ou a envoyé des activités, "+
			"et les autres instances gardent ses identifiants ActivityPub. Pour une autre adresse, créez une nouvelle instance "+
			"(maillage export puis maillage import dans un nouveau dossier de données)", old)
	}
	if err != nil {
		return err
	}
	if old == to {
		fmt.Fprintf(stdout, "l'adresse publique est déjà %s\n", old)
		return nil
	}
	fmt.Fprintf(stdout, "adresse publique changée : %s → %s (identifiants des lieux, événements et de l'acteur réécrits)\n", old, to)
	return nil
}

// compactData is "maillage compact --data DIR": it gives back the space
// of what was deleted or pruned, offline.
func compactData(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("compact", "rend l'espace de ce qui a été supprimé ou purgé, instance arrêtée.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("argument inattendu « %s » : maillage compact --data DIR", fs.Arg(0))
	}
	before, after, err := storage.Compact(*data)
	if errors.Is(err, storage.ErrLocked) {
		return fmt.Errorf("la base de données de %s est utilisée par un autre processus (maillage serve est-il lancé ?) : le compactage se fait instance arrêtée", *data)
	}
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("aucune base de données dans %s", *data)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "base compactée : %s → %s\n", megabytes(before), megabytes(after))
	return nil
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f Mo", float64(n)/(1<<20)) }

// flagURL checks a --url given to a command: a base http(s) URL without
// a path, returned without its trailing slash; "" stays "".
func flagURL(u string) (string, error) {
	if u == "" {
		return "", nil
	}
	cfg := Config{URL: u, Listen: "localhost:8080", Name: "x", Handle: "x"}
	if err := cfg.validate(); err != nil {
		return "", err
	}
	return cfg.URL, nil
}

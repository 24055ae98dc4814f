package main

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/feeds"
)

// exportRecords is "maillage export --data DIR --format FORMAT [--out
// FILE] [--query QUERY] [--url URL]": it writes the catalogue's places
// (csv, geojson, data-inclusion, pdf) or events (ics, atom), local and
// of the networks followed, to FILE or the standard output. QUERY holds
// the filters of the matching API list, as in an export URL
// ("service=Aide aux démarches administratives&departement=13"; groupe=
// champ or commune for the PDF).
func exportRecords(args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlagSet("export", "écrit les lieux (csv, geojson, data-inclusion, pdf) ou les événements (ics, atom), locaux et des réseaux suivis.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	format := fs.String("format", "", "`FORMAT` : "+strings.Join(feeds.ExportFormats, ", "))
	out := fs.String("out", "", "`FICHIER` à écrire ; la sortie standard si vide ou -")
	query := fs.String("query", "", "`FILTRES`, comme dans la requête des listes de l'API : service=…&departement=13&groupe=commune")
	base := fs.String("url", os.Getenv("MAILLAGE_URL"), "l'`URL` publique de base donnée à serve (MAILLAGE_URL), pour les liens des flux")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("argument inattendu « %s » : maillage export --data DIR --format FORMAT [--out FICHIER]", fs.Arg(0))
	}
	if !validFormat(*format) {
		return fmt.Errorf("--format : %s attendu", strings.Join(feeds.ExportFormats, ", "))
	}
	q, err := url.ParseQuery(strings.TrimPrefix(*query, "?"))
	if err != nil {
		return fmt.Errorf("--query : %v", err)
	}
	asked, err := flagURL(*base)
	if err != nil {
		return err
	}
	def, err := importBaseURL("", os.Getenv)
	if err != nil {
		return err
	}

	st, err := storage.Open(*data, storage.Options{BaseURL: asked, DefaultURL: def})
	if errors.Is(err, storage.ErrLocked) {
		return fmt.Errorf("la base de données de %s est utilisée par un autre processus (maillage serve est-il lancé ?) : "+
			"téléchargez l'export depuis le serveur (par exemple /export/lieux.csv, /catalogue.pdf), ou arrêtez-le d'abord", *data)
	}
	if err != nil {
		return urlError(err, *data, "--url")
	}
	defer func() {
		if cerr := st.Close(); err == nil {
			err = cerr
		}
	}()
	sayURLFixed(st, *data, stderr)

	if *out == "" || *out == "-" {
		return feeds.Export(stdout, st, *format, q, time.Now())
	}
	// Write beside the target, then rename: a failed export leaves no
	// half-written file behind.
	tmp, err := os.CreateTemp(filepath.Dir(*out), "."+filepath.Base(*out)+".*")
	if err != nil {
		return fmt.Errorf("créer %s : %w", *out, err)
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing left to remove
	if err := feeds.Export(tmp, st, *format, q, time.Now()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("écrire %s : %w", *out, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("écrire %s : %w", *out, err)
	}
	return nil
}

func validFormat(f string) bool {
	for _, v := range feeds.ExportFormats {
		if f == v {
			return true
		}
	}
	return false
}

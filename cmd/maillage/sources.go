package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/maillage/maillage/catalogue/standard"
	"github.com/maillage/maillage/federation"
	"github.com/maillage/maillage/sources"
	"github.com/maillage/maillage/storage"
)

// sourceCommand runs "maillage source add|list|remove|run".
func sourceCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return group("source", args)
	}
	switch args[0] {
	case "add":
		return sourceAdd(args[1:], stdout, stderr)
	case "list":
		return sourceList(args[1:], stdout, stderr)
	case "remove":
		return sourceRemove(args[1:], stdout, stderr)
	case "run":
		return sourceRun(ctx, args[1:], stdout, stderr)
	}
	return group("source", args)
}

func sourceAdd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("source add", "ajoute une source de lieux, un fichier en ligne que serve télécharge et importe à intervalle régulier.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	rawURL := fs.String("url", "", "`URL` du fichier CSV, JSON, XLSX ou ODS")
	mappingFile := fs.String("mapping", "", "`FICHIER` JSON : champ du standard → colonne du fichier")
	every := fs.Duration("every", 24*time.Hour, "`DURÉE` entre deux téléchargements")
	maxVanished := fs.Float64("max-vanished", storage.DefaultMaxVanished*100, "`POURCENTAGE` des fiches qui peuvent disparaître d'un coup et être supprimées")
	allowPrivate := fs.Bool("allow-private", false, "autorise une adresse locale ou privée (un réseau local)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	u, err := sources.CheckURL(*rawURL, *allowPrivate)
	if err != nil {
		return fmt.Errorf("--%w", err)
	}
	if *every < sources.MinEvery {
		return fmt.Errorf("--every : au moins %s entre deux téléchargements (%s donné)", sources.MinEvery, *every)
	}
	if *maxVanished <= 0 || *maxVanished > 100 {
		return fmt.Errorf("--max-vanished : un pourcentage entre 0 et 100 est attendu (%g donné)", *maxVanished)
	}
	src := storage.Source{URL: u.String(), Every: *every, MaxVanished: *maxVanished / 100}
	if *mappingFile != "" {
		if src.Mapping, err = readMapping(*mappingFile); err != nil {
			return err
		}
	}
	st, err := openStore(*data, "", stderr)
	if err != nil {
		return err
	}
	src, err = st.AddSource(src)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "source %s ajoutée : %s, tous les %s (téléchargée au prochain démarrage de maillage serve, puis à chaque période)\n", src.ID, src.URL, src.Every)
	return nil
}

// readMapping reads a mapping file: a JSON object from a field of the
// standard to a column of the file.
func readMapping(path string) (map[string]string, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--mapping : %w", err)
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("--mapping : un objet JSON {\"champ du standard\": \"colonne du fichier\"} est attendu : %v", err)
	}
	for field, column := range m {
		if !standard.MappingField(field) {
			return nil, fmt.Errorf("--mapping : « %s » n'est pas un champ du standard", field)
		}
		if strings.TrimSpace(column) == "" {
			return nil, fmt.Errorf("--mapping : colonne vide pour le champ « %s »", field)
		}
	}
	return m, nil
}

func sourceList(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("source list", "liste les sources de lieux et leur dernier passage.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := openStore(*data, "", stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	srcs, err := st.Sources()
	if err != nil {
		return err
	}
	if len(srcs) == 0 {
		fmt.Fprintln(stdout, "aucune source")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tURL\tPÉRIODE\tLIEUX\tDERNIER PASSAGE")
	for _, src := range srcs {
		last := "jamais"
		if runs, err := st.SourceRuns(src.ID, 1); err != nil {
			return err
		} else if len(runs) == 1 {
			r := runs[0]
			last = fmt.Sprintf("%s %s : %d créés, %d modifiés, %d inchangés, %d refusés, %d supprimés", r.Started.Format("2006-01-02 15:04"), r.Status, r.Created, r.Updated, r.Unchanged, r.Rejected, r.Deleted)
			if r.Error != "" {
				last += " — " + r.Error
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", src.ID, src.URL, src.Every, len(src.Records), last)
	}
	return tw.Flush()
}

func sourceRemove(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("source remove", "retire la source ID ; les lieux qu'elle a importés restent.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	id, err := parseWithOneArg(fs, args)
	if err != nil {
		return err
	}
	if id == "" {
		return errors.New("identifiant manquant : maillage source remove --data DIR ID")
	}
	st, err := openStore(*data, "", stderr)
	if err != nil {
		return err
	}
	err = st.RemoveSource(id)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("source « %s » inconnue (voir maillage source list)", id)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "source %s retirée ; les lieux qu'elle a importés restent\n", id)
	return nil
}

// sourceRun fetches and imports one source now, while serve is stopped.
func sourceRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("source run", "télécharge et importe la source ID maintenant, serve arrêté.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	baseURL := fs.String("url", os.Getenv("MAILLAGE_URL"), "l'`URL` publique de base donnée à serve (MAILLAGE_URL)")
	allowPrivate := fs.Bool("allow-private", false, "autorise une adresse locale ou privée (un réseau local)")
	id, err := parseWithOneArg(fs, args)
	if err != nil {
		return err
	}
	if id == "" {
		return errors.New("identifiant manquant : maillage source run --data DIR [--url URL] ID")
	}
	st, err := openStore(*data, *baseURL, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	base := st.BaseURL()
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	fed, err := federation.New(federation.Config{Store: st, BaseURL: base, Logger: logger})
	if err != nil {
		return err
	}
	defer fed.Close()
	r := sources.New(sources.Config{Store: st, AllowPrivate: *allowPrivate, Logger: logger})
	run, err := r.Run(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("source « %s » inconnue (voir maillage source list)", id)
	}
	if err != nil {
		return err
	}
	for _, w := range run.Warnings {
		fmt.Fprintln(stdout, w)
	}
	fmt.Fprintf(stdout, "%s : %d créés, %d modifiés, %d inchangés, %d refusés, %d disparus, %d supprimés\n",
		run.Status, run.Created, run.Updated, run.Unchanged, run.Rejected, run.Vanished, run.Deleted)
	if run.Status == sources.StatusError {
		return errors.New(run.Error)
	}
	return nil
}

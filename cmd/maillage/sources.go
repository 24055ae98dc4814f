package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"text/tabwriter"
	"time"

	"github.com/maillage/maillage/federation"
	"github.com/maillage/maillage/sources"
	"github.com/maillage/maillage/storage"
)

// sourceCommand runs "maillage source add|list|remove|mapping|run".
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
	case "mapping":
		return sourceMapping(args[1:], stdout, stderr)
	case "run":
		return sourceRun(ctx, args[1:], stdout, stderr)
	}
	return group("source", args)
}

func sourceAdd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("source add", "ajoute une source de lieux, un fichier en ligne que serve télécharge et importe à intervalle régulier.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	rawURL := fs.String("url", "", "`URL` du fichier CSV, JSON, XLSX ou ODS")
	name := fs.String("name", "", "`NOM` de la source, montré dans /admin/sources (facultatif)")
	mappingFile := fs.String("mapping", "", "`FICHIER` JSON : champ du standard → colonne du fichier")
	every := fs.Duration("every", 24*time.Hour, "`DURÉE` entre deux téléchargements")
	maxVanished := fs.Float64("max-vanished", storage.DefaultMaxVanished*100, "`POURCENTAGE` des fiches qui peuvent disparaître d'un coup et être supprimées")
	allowPrivate := fs.Bool("allow-private", false, "autorise une adresse locale ou privée (un réseau local)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *maxVanished <= 0 {
		return fmt.Errorf("--max-vanished : un pourcentage entre 0 et 100 est attendu (%g donné)", *maxVanished)
	}
	mapping, err := readMapping(*mappingFile)
	if err != nil {
		return err
	}
	src, problems := sources.Check(sources.Input{URL: *rawURL, Name: *name, Every: *every, MaxVanished: *maxVanished, Mapping: mapping}, *allowPrivate)
	for _, f := range []string{sources.FieldURL, sources.FieldName, sources.FieldEvery, sources.FieldMaxVanished} {
		if msg, bad := problems[f]; bad {
			flag := map[string]string{sources.FieldURL: "url", sources.FieldName: "name", sources.FieldEvery: "every", sources.FieldMaxVanished: "max-vanished"}[f]
			return fmt.Errorf("--%s : %s", flag, msg)
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
// standard to a column of the file ("" for none), as
// sources.ParseMapping reads it.
func readMapping(path string) (map[string]string, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--mapping : %w", err)
	}
	m, err := sources.ParseMapping(data)
	if err != nil {
		return nil, fmt.Errorf("--mapping : %w", err)
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
	fmt.Fprintln(tw, "ID\tNOM — URL\tPÉRIODE\tLIEUX\tDERNIER PASSAGE")
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
		name := src.URL
		if src.Name != "" {
			name = src.Name + " — " + src.URL
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", src.ID, name, src.Every, len(src.Records), last)
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

// sourceMapping prints the mapping of the source ID, in the format of
// --mapping, or replaces it with the one of --mapping FILE (an empty
// object {} goes back to detection); the next run then reads the file
// again, even unchanged.
func sourceMapping(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("source mapping", "montre la correspondance des colonnes de la source ID, ou la remplace par celle de --mapping ; le prochain passage relit alors le fichier.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	mappingFile := fs.String("mapping", "", "`FICHIER` JSON : champ du standard → colonne du fichier (\"\" : aucune colonne ; {} : colonnes reconnues automatiquement)")
	id, err := parseWithOneArg(fs, args)
	if err != nil {
		return err
	}
	if id == "" {
		return errors.New("identifiant manquant : maillage source mapping --data DIR [--mapping FICHIER] ID")
	}
	var mapping map[string]string
	if *mappingFile != "" {
		if mapping, err = readMapping(*mappingFile); err != nil {
			return err
		}
	}
	st, err := openStore(*data, "", stderr)
	if err != nil {
		return err
	}
	if *mappingFile == "" {
		src, err := st.Source(id)
		if cerr := st.Close(); err == nil {
			err = cerr
		}
		if errors.Is(err, storage.ErrNotFound) {
			return fmt.Errorf("source « %s » inconnue (voir maillage source list)", id)
		}
		if err != nil {
			return err
		}
		if len(src.Mapping) == 0 {
			fmt.Fprintln(stdout, "aucune correspondance : les colonnes sont reconnues automatiquement")
			return nil
		}
		out, err := json.MarshalIndent(src.Mapping, "", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s\n", out)
		return nil
	}
	if len(mapping) == 0 {
		mapping = nil
	}
	err = st.UpdateSource(id, func(src *storage.Source) {
		src.Mapping, src.Digest, src.ETag, src.LastModified = mapping, "", "", ""
	})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("source « %s » inconnue (voir maillage source list)", id)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "correspondance de la source %s remplacée (%d champs) ; le prochain passage relit le fichier\n", id, len(mapping))
	return nil
}

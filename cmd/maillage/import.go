package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sort"
	"strings"

	"github.com/maillage/maillage/catalogue/standard"
	"github.com/maillage/maillage/federation"
	"github.com/maillage/maillage/storage"
)

// progressEvery is how often progress is shown on stderr, in records;
// files with fewer records show none.
const progressEvery = 5000

// importPlaces is "maillage import --data DIR [--url URL] [--mapping
// FILE] [--dry-run] FILE": it reads a CSV, JSON, XLSX or ODS file, in the
// national standard or a producer's own shape, and creates or updates
// the local places, in one transaction, publishing them to the followers
// like any local change. FILE "-" is the standard input.
//
// The exit status is 0 when no record was rejected, 2 when some were
// (the others are imported), and 1 when none could be imported or the
// file could not be read.
func importPlaces(args []string, stdin io.Reader, stdout, stderr io.Writer) (err error) {
	fs := newFlagSet("import", "crée ou met à jour les lieux locaux depuis un fichier CSV, JSON, XLSX ou ODS, du standard national (v0.1 ou v1) ou d'une autre forme avec --mapping ; FICHIER - est l'entrée standard ; statut 0 : tout importé, 2 : des rejets, 1 : rien d'importé.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	baseURL := fs.String("url", os.Getenv("MAILLAGE_URL"), "l'`URL` publique de base de l'instance, fixée par la première commande sur un nouveau répertoire de données (MAILLAGE_URL) ; par défaut celle enregistrée, ou pour un nouveau répertoire celle de l'adresse d'écoute par défaut de serve")
	dryRun := fs.Bool("dry-run", false, "montre la correspondance des colonnes et ce que ferait l'import, sans rien écrire")
	mappingFile := fs.String("mapping", "", "`FICHIER` JSON faisant correspondre des champs du standard aux colonnes du fichier : {\"nom\": \"lib_fs\"}")
	file, err := parseWithOneArg(fs, args)
	if err != nil {
		return err
	}
	if file == "" {
		return errors.New("fichier manquant : maillage import --data DIR FICHIER [--dry-run]")
	}
	url, err := flagURL(*baseURL)
	if err != nil {
		return err
	}
	def, err := importBaseURL("", os.Getenv)
	if err != nil {
		return err
	}
	mapping, err := readMapping(*mappingFile)
	if err != nil {
		return err
	}

	st, err := storage.Open(*data, storage.Options{BaseURL: url, DefaultURL: def})
	if errors.Is(err, storage.ErrLocked) {
		return fmt.Errorf("la base de données de %s est utilisée par un autre processus (maillage serve est-il lancé ?) : arrêtez-le, ou envoyez le fichier à POST /api/v1/import", *data)
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

	in, name := stdin, "entrée standard"
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return fmt.Errorf("ouvrir %s : %w", file, err)
		}
		defer f.Close()
		in, name = f, file
	}
	res, err := standard.Read(in, standard.Options{Mapping: mapping, Progress: func(n int) {
		if n%progressEvery == 0 {
			fmt.Fprintf(stderr, "lecture : %d enregistrements…\n", n)
		}
	}})
	if err != nil {
		return fmt.Errorf("%s : %w", name, err)
	}
	if !*dryRun {
		// Imported places are local changes: the federation's publisher
		// queues their activities for the followers, delivered once serve
		// runs.
		fed, err := federation.New(federation.Config{Store: st, BaseURL: st.BaseURL(),
			Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
		if err != nil {
			return err
		}
		defer fed.Close()
	}

	recs := make([]storage.ImportRecord, len(res.Records))
	for i, r := range res.Records {
		recs[i] = storage.ImportRecord{SourceID: r.ID, Place: r.Place, Fields: r.Fields}
	}
	out, err := st.ImportPlaces(recs, storage.ImportOptions{DryRun: *dryRun, Progress: func(done, total int) {
		if total > 2000 && (done%progressEvery == 0 || done == total) {
			fmt.Fprintf(stderr, "enregistrement : %d/%d lieux\n", done, total)
		}
	}})
	if err != nil {
		return err
	}
	for i, o := range out.Outcomes {
		if o.Action == storage.ImportRejected {
			res.Reject(res.Records[i], o.Err)
		}
	}
	printImportReport(stdout, name, res, out, *dryRun)
	return importStatus(res, out)
}

// importStatus is nil when no record was rejected, an exitStatus of 2
// when some were, of 1 when none was imported.
func importStatus(res *standard.Result, out storage.ImportResult) error {
	rejected := res.RejectedRows()
	switch imported := out.Created + out.Updated + out.Unchanged; {
	case rejected == 0 && imported > 0:
		return nil
	case imported == 0:
		return &exitStatus{code: 1, msg: fmt.Sprintf("aucun lieu importé (%d enregistrements rejetés)", rejected)}
	default:
		return &exitStatus{code: 2, msg: fmt.Sprintf("%d enregistrements rejetés sur %d", rejected, res.Rows)}
	}
}

// parseWithOneArg parses flags placed before or after the one
// positional argument, which it returns.
func parseWithOneArg(fs *flag.FlagSet, args []string) (string, error) {
	var arg string
	for {
		if err := parseFlags(fs, args); err != nil {
			return "", err
		}
		if fs.NArg() == 0 {
			return arg, nil
		}
		if arg != "" {
			return "", fmt.Errorf("argument inattendu « %s »", fs.Arg(0))
		}
		arg, args = fs.Arg(0), fs.Args()[1:]
	}
}

// importBaseURL is the instance's public URL: --url, else serve's
// default from MAILLAGE_LISTEN.
func importBaseURL(flagURL string, getenv func(string) string) (string, error) {
	if flagURL != "" {
		cfg := Config{URL: flagURL, Listen: "localhost:8080", Name: "x", Handle: "x"}
		if err := cfg.validate(); err != nil {
			return "", err
		}
		return cfg.URL, nil
	}
	listen := envOr(getenv, "MAILLAGE_LISTEN", "localhost:8080")
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", fmt.Errorf("MAILLAGE_LISTEN : adresse HOTE:PORT attendue (%q)", listen)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}

// printImportReport writes the rejected records one by one, the
// warnings grouped by field and reason, then the summary.
func printImportReport(w io.Writer, name string, res *standard.Result, out storage.ImportResult, dryRun bool) {
	format := strings.ToUpper(res.Format)
	if res.Format == standard.FormatCSV {
		format += " (séparateur « " + strings.ReplaceAll(res.Delimiter, "\t", "tabulation") + " »)"
	}
	fmt.Fprintf(w, "%s : %s, %s, standard %s, %d enregistrements\n", name, format, res.Encoding, res.Version, res.Rows)
	printMapping(w, res)
	if len(res.Rejected) > 0 {
		fmt.Fprintf(w, "\nRejetés (non importés) :\n")
		for _, is := range res.Rejected {
			fmt.Fprintf(w, "  %s\n", is)
		}
	}
	if len(res.Warnings) > 0 {
		fmt.Fprintf(w, "\nAvertissements (importés) :\n")
		for _, g := range groupIssues(res.Warnings) {
			fmt.Fprintf(w, "  %s\n", g)
		}
	}
	if res.Drafts > 0 {
		fmt.Fprintf(w, "\nBrouillons « à compléter » : %d lieux, enregistrés mais ni publiés ni exportés avant d'être complétés (liste dans /admin).\n", res.Drafts)
	}
	if dryRun {
		fmt.Fprintln(w, "\nSimulation (--dry-run) : rien n'a été enregistré.")
	}
	drafts := ""
	if res.Drafts > 0 {
		drafts = fmt.Sprintf(", %d brouillons", res.Drafts)
	}
	// The last line: the counts.
	fmt.Fprintf(w, "\nRésumé : %d créés, %d mis à jour, %d inchangés, %d rejetés, %d avertissements%s\n",
		out.Created, out.Updated, out.Unchanged, res.RejectedRows(), len(res.Warnings), drafts)
}

// printMapping writes, once for the file, the columns recognised under
// another name than the standard's, the columns left unused, and the
// required fields no column gives.
func printMapping(w io.Writer, res *standard.Result) {
	var own, other []string
	for _, m := range res.Mapping {
		switch {
		case m.Forced:
			other = append(other, fmt.Sprintf("%s ← « %s » (--mapping)", m.Field, m.Column))
		case m.Synonym:
			other = append(other, fmt.Sprintf("%s ← « %s »", m.Field, m.Column))
		default:
			own = append(own, m.Field)
		}
	}
	if len(res.Mapping) == 0 {
		return
	}
	fmt.Fprintf(w, "\nColonnes : %d au nom du standard", len(own))
	if len(other) > 0 {
		fmt.Fprintf(w, ", %d reconnues :\n", len(other))
		for _, s := range other {
			fmt.Fprintf(w, "  %s\n", s)
		}
	} else {
		fmt.Fprintln(w)
	}
	if len(res.Unused) > 0 {
		fmt.Fprintf(w, "Colonnes ignorées : « %s »\n", strings.Join(res.Unused, " », « "))
	}
	if len(res.NoColumn) > 0 {
		fmt.Fprintf(w, "Champs obligatoires sans colonne : %s\n", strings.Join(res.NoColumn, ", "))
	}
}

// groupIssues writes each distinct field and reason once, with where it
// occurs.
func groupIssues(issues []standard.Issue) []string {
	type group struct {
		first  standard.Issue
		wheres []string
	}
	var order []string
	groups := map[string]*group{}
	for _, is := range issues {
		k := is.Field + "\x00" + is.Reason
		g := groups[k]
		if g == nil {
			g = &group{first: is}
			groups[k] = g
			order = append(order, k)
		}
		g.wheres = append(g.wheres, is.Where())
	}
	sort.SliceStable(order, func(i, j int) bool { return len(groups[order[i]].wheres) > len(groups[order[j]].wheres) })
	lines := make([]string, 0, len(order))
	for _, k := range order {
		g := groups[k]
		if len(g.wheres) == 1 {
			lines = append(lines, g.first.String())
			continue
		}
		where := strings.Join(g.wheres[:min(len(g.wheres), 3)], ", ")
		if len(g.wheres) > 3 {
			where += ", …"
		}
		field := g.first.Field
		if field != "" {
			field += " : "
		}
		lines = append(lines, fmt.Sprintf("%s%s (%d fois : %s)", field, g.first.Reason, len(g.wheres), where))
	}
	return lines
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/maillage/maillage/storage"
)

// checkData verifies a data directory (--data), or a backup file given as
// argument, and lists what is wrong; the exit status is non-zero then.
func checkData(args []string, stdout io.Writer) error {
	fs := newFlagSet("check", "vérifie la base d'un répertoire de données, ses index et inbox.log, ou un fichier de sauvegarde donné en argument ; statut non nul s'il y a un problème.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	file, err := parseWithOneArg(fs, args)
	if err != nil {
		return err
	}
	var r storage.CheckReport
	what := *data
	if file != "" {
		what = file
		r, err = storage.CheckFile(file)
	} else {
		r, err = storage.CheckDir(*data)
	}
	if errors.Is(err, storage.ErrLocked) {
		return fmt.Errorf("la base de données de %s est utilisée par maillage serve : arrêtez-le, ou vérifiez une sauvegarde (maillage backup --url … --out FICHIER, puis maillage check FICHIER)", *data)
	}
	if err != nil {
		return err
	}
	for _, n := range r.Notes {
		fmt.Fprintln(stdout, n)
	}
	if len(r.Problems) == 0 {
		fmt.Fprintf(stdout, "%s : aucun problème trouvé\n", what)
		return nil
	}
	for _, p := range r.Problems {
		fmt.Fprintln(stdout, p)
	}
	if file != "" {
		return fmt.Errorf("%d problème(s) dans %s : cette sauvegarde n'est pas utilisable", len(r.Problems), file)
	}
	return fmt.Errorf("%d problème(s) dans %s : faites une copie du dossier, puis lancez « maillage repair --data %s » (ou restaurez une sauvegarde)", len(r.Problems), *data, *data)
}

// repairData runs storage.Repair on a data directory and says what it did.
func repairData(args []string, stdout io.Writer) error {
	fs := newFlagSet("repair", "applique ce qu'inbox.log a de lisible, met le reste de côté et reconstruit les index, instance arrêtée.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("argument inattendu « %s »", fs.Arg(0))
	}
	r, err := storage.Repair(*data, storage.Options{})
	if errors.Is(err, storage.ErrLocked) {
		return fmt.Errorf("la base de données de %s est utilisée par un autre processus (maillage serve est-il lancé ?) : arrêtez-le d'abord", *data)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "index reconstruits à partir de %d fiches\n", r.Records)
	if r.Placed > 0 {
		fmt.Fprintf(stdout, "%d lieu(x) sans coordonnées placé(s) au centre de leur commune (position approximative, à préciser sur la carte)\n", r.Placed)
	}
	fmt.Fprintf(stdout, "%s : %d activité(s) reçue(s) appliquée(s)\n", storage.InboxLogName, r.Frames)
	if r.SetAside != "" {
		fmt.Fprintf(stdout, "%s : %d octets illisibles mis de côté dans %s\n", storage.InboxLogName, r.Bytes, r.SetAside)
	}
	if len(r.Remaining) > 0 {
		for _, p := range r.Remaining {
			fmt.Fprintln(stdout, p)
		}
		return fmt.Errorf("%d problème(s) restent après la réparation : restaurez une sauvegarde (maillage restore)", len(r.Remaining))
	}
	fmt.Fprintln(stdout, "réparation terminée : maillage check ne trouve plus rien")
	return nil
}

// backupData writes a backup of an instance to --out: of a running one
// through its admin API (--url and --token), otherwise by opening the data
// directory. The copy is checked before it is named --out.
func backupData(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("backup", "écrit une sauvegarde vérifiée, d'une instance arrêtée (--data) ou en marche (--url et --token).")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données d'une instance arrêtée (MAILLAGE_DATA)")
	url := fs.String("url", "", "`URL` de base d'une instance en marche")
	token := fs.String("token", os.Getenv("MAILLAGE_TOKEN"), "`JETON` d'API admin de l'instance en marche (MAILLAGE_TOKEN)")
	out := fs.String("out", "", "`FICHIER` de sauvegarde à écrire")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("argument inattendu « %s »", fs.Arg(0))
	case *out == "":
		return errors.New("--out est obligatoire : le fichier de sauvegarde à écrire")
	case *url != "" && *token == "":
		return errors.New("--token est obligatoire avec --url : un jeton d'API admin (maillage token create)")
	}
	tmp := *out + ".tmp"
	defer os.Remove(tmp)
	var n int64
	var err error
	if *url != "" {
		n, err = fetchBackup(ctx, strings.TrimSuffix(*url, "/"), *token, tmp)
	} else {
		if _, err := os.Stat(filepath.Join(*data, storage.FileName)); err != nil {
			return fmt.Errorf("pas de base de données à sauvegarder dans %s (%v)", *data, err)
		}
		var st *storage.Store
		st, err = storage.Open(*data, storage.Options{})
		if errors.Is(err, storage.ErrLocked) {
			return fmt.Errorf("la base de données de %s est utilisée par maillage serve : sauvegardez l'instance en marche avec --url URL --token JETON", *data)
		}
		if err != nil {
			return err
		}
		n, err = st.BackupFile(tmp)
		err = errors.Join(err, st.Close())
	}
	if err != nil {
		return err
	}
	r, err := storage.CheckFile(tmp)
	if err != nil {
		return err
	}
	if len(r.Problems) > 0 {
		return fmt.Errorf("la copie reçue n'est pas intacte, %s n'est pas écrit :\n  %s", *out, strings.Join(r.Problems, "\n  "))
	}
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sauvegarde écrite dans %s (%d octets, vérifiée)\n", *out, n)
	return nil
}

// fetchBackup downloads a running instance's backup to path, synced.
func fetchBackup(ctx context.Context, base, token, path string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+backupPath, nil)
	if err != nil {
		return 0, fmt.Errorf("--url : %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{}).Do(req)
	if err != nil {
		return 0, fmt.Errorf("joindre %s : %w", base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return 0, fmt.Errorf("%s a répondu %s : %s", base, resp.Status, strings.TrimSpace(string(msg)))
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(f, resp.Body)
	if err == nil {
		err = f.Sync()
	}
	return n, errors.Join(err, f.Close())
}

// restoreData makes a backup file the database of --data.
func restoreData(args []string, stdout io.Writer) error {
	fs := newFlagSet("restore", "fait d'un fichier de sauvegarde vérifié la base du répertoire de données, instance arrêtée.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	force := fs.Bool("force", false, "remplace la base que le répertoire contient déjà (gardée à côté)")
	file, err := parseWithOneArg(fs, args)
	if err != nil {
		return err
	}
	if file == "" {
		return errors.New("fichier de sauvegarde manquant : maillage restore FICHIER --data DOSSIER")
	}
	err = storage.Restore(file, *data, *force, time.Now())
	if errors.Is(err, storage.ErrLocked) {
		return fmt.Errorf("la base de données de %s est utilisée par maillage serve : arrêtez-le avant de restaurer", *data)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s restauré dans %s\n", file, *data)
	return nil
}

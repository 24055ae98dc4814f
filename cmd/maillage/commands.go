package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/maillage/maillage/storage"
)

const usage = `usage:
  maillage serve  [--data DIR] [--listen HOTE:PORT] [--url URL] [--name NOM] [--handle IDENTIFIANT] [--relay] [--allow-private] [--manual-approval] [--follow IDENTIFIANT@HOTE]... [--trusted-proxies IP|CIDR,...] [--demo-seed] [--backup-dir DIR [--backup-keep N]]
                  [--acme-domain DOMAINE [--acme-email EMAIL] | --tls-cert FICHIER --tls-key FICHIER] [--https-listen HOTE:PORT] [--http-listen HOTE:PORT|off] [--metrics-listen HOTE:PORT] [--log-format text|json]
  maillage health [--url URL]                                         (vérifie qu'une instance répond, pour les health checks)
  maillage demo   [--listen-base PORT] [--host HOTE] [--data DIR]   (un territoire de 7 instances fédérées)
  maillage token create --data DIR [--url URL] [--label TEXTE] [--role admin|editor]   (admin par défaut)
  maillage user add     --data DIR --email EMAIL [--role admin|editor]   (mot de passe lu sur l'entrée standard)
  maillage import       --data DIR [--url URL] [--mapping FICHIER.json] FICHIER [--dry-run]   (CSV, JSON, XLSX ou ODS ; statut 0 : tout importé, 2 : des rejets, 1 : rien d'importé)
  maillage export       --data DIR --format csv|json|geojson|ics|atom|pdf|data-inclusion [--out FICHIER] [--query FILTRES]
  maillage check        --data DIR | FICHIER              (vérifie la base, ses index et inbox.log, ou une sauvegarde)
  maillage repair       --data DIR                        (applique ce qu'inbox.log a de lisible, met le reste de côté, reconstruit les index)
  maillage backup       --out FICHIER [--data DIR | --url URL --token JETON]   (sauvegarde, instance arrêtée ou en marche)
  maillage restore      FICHIER --data DIR [--force]      (restaure une sauvegarde vérifiée)
  maillage move-url     --data DIR --url URL   (change l'adresse publique, tant que l'instance n'a jamais fédéré)
  maillage compact      --data DIR             (rend l'espace libéré, instance arrêtée)
  maillage version                                                   (version, commit et version de Go du binaire)
  maillage source add    --data DIR --url URL [--name NOM] [--mapping FICHIER] [--every 24h] [--max-vanished 20] [--allow-private]
  maillage source mapping --data DIR [--mapping FICHIER] ID   (montre, ou remplace, la correspondance des colonnes de la source)
  maillage source list   --data DIR
  maillage source remove --data DIR ID
  maillage source run    --data DIR [--url URL] [--allow-private] ID   (télécharge et importe maintenant, serve arrêté)
  maillage competence add  --data DIR --id IDENTIFIANT --libelle TEXTE   (ajoute une compétence à la liste du réseau, serve arrêté)
  maillage competence list --data DIR`

// run dispatches a command line; it returns the error to print.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (err error) {
	defer func() { err = printHelp(err, stdout) }() // a command's --help, see help.go
	if len(args) == 0 {
		return errors.New("commande manquante\n" + usage)
	}
	switch cmd, rest := args[0], args[1:]; {
	case cmd == "serve":
		return serve(ctx, rest, stderr)
	case cmd == "demo":
		return demo(ctx, rest, stdout, stderr)
	case cmd == "health":
		return health(ctx, rest)
	case cmd == "version":
		return printVersion(rest, stdout)
	case cmd == "token" && len(rest) > 0 && rest[0] == "create":
		return tokenCreate(rest[1:], stdout, stderr)
	case cmd == "user" && len(rest) > 0 && rest[0] == "add":
		return userAdd(rest[1:], stdin, stdout, stderr)
	case cmd == "import":
		return importPlaces(rest, stdin, stdout, stderr)
	case cmd == "export":
		return exportRecords(rest, stdout, stderr)
	case cmd == "check":
		return checkData(rest, stdout)
	case cmd == "repair":
		return repairData(rest, stdout)
	case cmd == "backup":
		return backupData(ctx, rest, stdout)
	case cmd == "restore":
		return restoreData(rest, stdout)
	case cmd == "move-url":
		return moveURL(rest, stdout, stderr)
	case cmd == "compact":
		return compactData(rest, stdout, stderr)
	case cmd == "source":
		return sourceCommand(ctx, rest, stdout, stderr)
	case cmd == "competence":
		return skillCommand(rest, stdout, stderr)
	case cmd == "token" || cmd == "user":
		return group(cmd, rest)
	case isHelp(cmd) && len(rest) > 0:
		return run(ctx, append(rest, "--help"), stdin, stdout, stderr)
	case isHelp(cmd):
		fmt.Fprintln(stdout, usage+"\n\nmaillage COMMANDE --help détaille chaque commande.")
		return nil
	default:
		return fmt.Errorf("commande inconnue « %s »\n%s", strings.Join(args, " "), usage)
	}
}

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	cfg, err := parseServeFlags(args, os.Getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if cfg.LogFormat == "json" {
		log = slog.New(slog.NewJSONHandler(stderr, nil))
	}
	srv := &Server{Config: cfg, Logger: log}
	if err := srv.Open(ctx); err != nil {
		return err
	}
	defer followHeap()() // memlimit.go
	ver, _, _ := buildInfo()
	log.Info("maillage started", "version", ver, "url", srv.BaseURL(), "listen", srv.Addr(), "http", srv.HTTPAddr(), "data", cfg.Data)
	// The next steps are for a person at a terminal: with JSON logs, every
	// line of the standard error stays a log record.
	var steps strings.Builder
	if err := printNextSteps(&steps, srv); err != nil {
		log.Warn("next steps", "err", err)
	}
	if steps.Len() > 0 {
		if cfg.LogFormat == "json" {
			log.Info("next steps", "text", strings.TrimSpace(steps.String()))
		} else {
			fmt.Fprint(stderr, steps.String())
		}
	}
	<-ctx.Done()
	log.Info("stopping")
	return srv.Close()
}

// tokenCreate prints a new API token: an admin one unless --role editor,
// so that scripts written before roles keep getting what they got.
func tokenCreate(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("token create", "affiche un nouveau jeton d'API, une seule fois.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	label := fs.String("label", "", "à quoi sert le jeton (`TEXTE`)")
	role := fs.String("role", storage.RoleAdmin, "`RÔLE` : admin (tout) ou editor (lieux, événements, import, signalements)")
	base := fs.String("url", os.Getenv("MAILLAGE_URL"), "`URL` publique de base de l'instance, fixée par la première commande sur un nouveau répertoire de données (MAILLAGE_URL)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := storage.CheckRole(*role); err != nil {
		return fmt.Errorf("--role : %w", err)
	}
	url, err := flagURL(*base)
	if err != nil {
		return err
	}
	st, err := openStore(*data, url, stderr)
	if err != nil {
		return err
	}
	token, err := st.CreateToken(*label, *role)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, token)
	return nil
}

func userAdd(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("user add", "crée un compte pour les pages /admin ; le mot de passe est lu sur l'entrée standard.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	email := fs.String("email", "", "adresse `EMAIL` du compte, son identifiant de connexion")
	role := fs.String("role", storage.RoleEditor, "`RÔLE` : admin (tout) ou editor (lieux, événements, import, signalements)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("--email est obligatoire")
	}
	if err := storage.CheckRole(*role); err != nil {
		return fmt.Errorf("--role : %w", err) // before the password is typed
	}
	password, err := readPassword(stdin, stderr)
	if err != nil {
		return err
	}
	st, err := openStore(*data, "", stderr)
	if err != nil {
		return err
	}
	err = st.AddUser(*email, *role, password)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, storage.ErrConflict) {
		return fmt.Errorf("un compte existe déjà pour %s", *email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "compte %s (%s) créé\n", *email, *role)
	return nil
}

// readPassword reads one line from stdin, without echo on a terminal.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Mot de passe : ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("lire le mot de passe : %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

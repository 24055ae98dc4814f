package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/maillage/maillage/storage"
)

const usage = `usage:
  maillage serve  [--data DIR] [--listen ADDR] [--url URL] [--name NAME] [--handle HANDLE] [--relay] [--allow-private] [--manual-approval] [--follow HANDLE@HOST]... [--trusted-proxies IP|CIDR,...] [--demo-seed]
  maillage health [--url URL]                                         (vérifie qu'une instance répond, pour les health checks)
  maillage demo   [--listen-base PORT] [--host HOST] [--data DIR]   (un territoire de 7 instances fédérées)
  maillage token create --data DIR [--label TEXT] [--role admin|editor]   (admin par défaut)
  maillage user add     --data DIR --email EMAIL [--role admin|editor]   (mot de passe lu sur l'entrée standard)
  maillage import       --data DIR [--url URL] [--mapping FICHIER.json] FICHIER [--dry-run]   (CSV, JSON, XLSX ou ODS ; statut 0 : tout importé, 2 : des rejets, 1 : rien d'importé)
  maillage export       --data DIR --format csv|json|geojson|ics|atom|pdf|data-inclusion [--out FICHIER] [--query FILTRES]`

// run dispatches a command line; it returns the error to print.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
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
	case cmd == "token" && len(rest) > 0 && rest[0] == "create":
		return tokenCreate(rest[1:], stdout)
	case cmd == "user" && len(rest) > 0 && rest[0] == "add":
		return userAdd(rest[1:], stdin, stdout, stderr)
	case cmd == "import":
		return importPlaces(rest, stdin, stdout, stderr)
	case cmd == "export":
		return exportRecords(rest, stdout, stderr)
	case cmd == "help" || cmd == "-h" || cmd == "--help":
		fmt.Fprintln(stdout, usage)
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
	srv := &Server{Config: cfg, Logger: log}
	if err := srv.Open(ctx); err != nil {
		return err
	}
	log.Info("maillage started", "url", srv.BaseURL(), "listen", srv.Addr(), "data", cfg.Data)
	<-ctx.Done()
	log.Info("stopping")
	return srv.Close()
}

// openStore opens the store of a maintenance command, failing at once with
// a clear message when serve holds it.
func openStore(dir string) (*storage.Store, error) {
	st, err := storage.Open(dir, storage.Options{})
	if errors.Is(err, storage.ErrLocked) {
		return nil, fmt.Errorf("la base de données de %s est utilisée par un autre processus (maillage serve est-il lancé ?) : arrêtez-le d'abord", dir)
	}
	return st, err
}

// tokenCreate prints a new API token: an admin one unless --role editor,
// so that scripts written before roles keep getting what they got.
func tokenCreate(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "data directory")
	label := fs.String("label", "", "what the token is for")
	role := fs.String("role", storage.RoleAdmin, "admin (everything) or editor (places, events, import, reports)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := storage.CheckRole(*role); err != nil {
		return fmt.Errorf("--role : %w", err)
	}
	st, err := openStore(*data)
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
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "data directory")
	email := fs.String("email", "", "the user's email address")
	role := fs.String("role", storage.RoleEditor, "admin or editor")
	if err := fs.Parse(args); err != nil {
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
	st, err := openStore(*data)
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

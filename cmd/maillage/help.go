package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// A command's help is its line of usage (the synopsis), one sentence
// saying what it does, and its flags with their French descriptions. A
// new command adds its line to usage and builds its flags with
// newFlagSet(name, about); parseFlags does the rest: -h or --help prints
// the help on the standard output and exits 0, a bad flag is refused in
// French, naming the help. A flag with an empty usage is left out of
// the help (serve's --acme-directory, for tests).

// helpShown is returned when a help was asked for: run prints it to the
// standard output and succeeds.
type helpShown struct{ text string }

func (h helpShown) Error() string { return h.text }

// printHelp turns a helpShown into its text on stdout and no error.
func printHelp(err error, stdout io.Writer) error {
	var h helpShown
	if errors.As(err, &h) {
		fmt.Fprint(stdout, h.text)
		return nil
	}
	return err
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "help"
}

// synopsis returns the lines of usage for "maillage name" (one for a
// command, with its continuation lines, several for a group such as
// token or user).
func synopsis(name string) string {
	var lines []string
	in := false // the last command line was name's: keep its continuation lines
	for _, l := range strings.Split(usage, "\n") {
		switch {
		case strings.HasPrefix(l, "  maillage "+name+" ") || l == "  maillage "+name:
			in = true
		case strings.HasPrefix(l, "  maillage ") || !strings.HasPrefix(l, "  "):
			in = false
		}
		if in {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// newFlagSet returns the flags of "maillage name"; about says in one
// French sentence what the command does.
func newFlagSet(name, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "maillage %s : %s\n\nusage :\n%s\n", name, about, synopsis(name))
		var opts bytes.Buffer
		fs.VisitAll(func(f *flag.Flag) {
			if f.Usage == "" {
				return // a flag for tests, left out of the help
			}
			arg, text := flag.UnquoteUsage(f)
			fmt.Fprintf(&opts, "  --%s", f.Name)
			if arg != "" {
				fmt.Fprintf(&opts, " %s", strings.ToUpper(frenchArg(arg)))
			}
			fmt.Fprintf(&opts, "\n      %s", text)
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" {
				fmt.Fprintf(&opts, " (par défaut : %s)", f.DefValue)
			}
			opts.WriteString("\n")
		})
		if opts.Len() > 0 {
			fmt.Fprintf(w, "\noptions :\n%s", opts.String())
		}
	}
	return fs
}

// frenchArg names a flag's value in French when flag.UnquoteUsage gave
// the Go type.
func frenchArg(arg string) string {
	switch arg {
	case "string", "value":
		return "texte"
	case "int", "uint", "float":
		return "nombre"
	case "duration":
		return "durée"
	}
	return arg
}

// parseFlags parses args into fs: help gives a helpShown, a bad flag a
// French error naming the command's help.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var out bytes.Buffer
	fs.SetOutput(&out)
	err := fs.Parse(args)
	fs.SetOutput(io.Discard)
	if errors.Is(err, flag.ErrHelp) {
		return helpShown{out.String()}
	}
	if err != nil {
		return fmt.Errorf("%s ; voir maillage %s --help", frenchFlagError(err), fs.Name())
	}
	return nil
}

// frenchFlagError translates the flag package's errors.
func frenchFlagError(err error) string {
	msg := err.Error()
	for _, t := range []struct{ en, fr string }{
		{"flag provided but not defined: ", "option inconnue %s"},
		{"flag needs an argument: ", "l'option %s attend une valeur"},
		{"bad flag syntax: ", "option mal écrite « %s »"},
	} {
		if rest, ok := strings.CutPrefix(msg, t.en); ok {
			if strings.HasPrefix(rest, "-") && !strings.HasPrefix(rest, "--") {
				rest = "-" + rest // as the help writes it
			}
			return fmt.Sprintf(t.fr, rest)
		}
	}
	if strings.HasPrefix(msg, "invalid ") {
		if i := strings.Index(msg, " for "); i > 0 {
			name, _, _ := strings.Cut(msg[i+len(" for "):], ":")
			name = strings.TrimPrefix(name, "flag ")
			return fmt.Sprintf("valeur invalide pour %s", name)
		}
	}
	return msg
}

// group answers "maillage name" with a missing or unknown subcommand:
// its help when asked, else a French error naming it.
func group(name string, rest []string) error {
	if len(rest) == 0 {
		return fmt.Errorf("sous-commande manquante ; voir maillage %s --help\n%s", name, synopsis(name))
	}
	if isHelp(rest[0]) {
		return helpShown{fmt.Sprintf("usage :\n%s\n\nmaillage %s SOUS-COMMANDE --help détaille chacune.\n", synopsis(name), name)}
	}
	return fmt.Errorf("sous-commande inconnue « %s » ; voir maillage %s --help\n%s", rest[0], name, synopsis(name))
}

package main

import (
	"strings"
	"testing"
)

// commandsOfUsage lists the commands and subcommands of usage:
// "serve", "token create"…
func commandsOfUsage(t *testing.T) []string {
	t.Helper()
	var cmds []string
	for _, l := range strings.Split(usage, "\n") {
		f := strings.Fields(l)
		if len(f) < 2 || f[0] != "maillage" {
			continue
		}
		name := f[1]
		if len(f) > 2 && !strings.HasPrefix(f[2], "-") && !strings.HasPrefix(f[2], "[") && !strings.HasPrefix(f[2], "(") && strings.ToLower(f[2]) == f[2] {
			name += " " + f[2] // a subcommand such as token create
		}
		cmds = append(cmds, name)
	}
	if len(cmds) < 7 {
		t.Fatalf("usage lists %d commands: %q", len(cmds), cmds)
	}
	return cmds
}

// TestHelpInFrench: every command and subcommand of usage answers --help
// and -h on the standard output, in French, with its synopsis and its
// flags, and succeeds; an unknown flag is refused naming that help.
func TestHelpInFrench(t *testing.T) {
	for _, cmd := range commandsOfUsage(t) {
		for _, h := range []string{"--help", "-h"} {
			out, err := runCmd(t, "", append(strings.Fields(cmd), h)...)
			if err != nil {
				t.Errorf("maillage %s %s: %v; want the help and success", cmd, h, err)
				continue
			}
			if !strings.Contains(out, "maillage "+cmd+" : ") || !strings.Contains(out, "usage :") || !strings.Contains(out, synopsis(cmd)) {
				t.Errorf("maillage %s %s printed:\n%s\nwant what it does, usage : and its synopsis", cmd, h, out)
			}
			for _, english := range []string{"flag:", "Usage of", "directory", "default", " the ", "requested"} {
				if strings.Contains(out, english) {
					t.Errorf("maillage %s %s says %q, in English:\n%s", cmd, h, english, out)
				}
			}
		}
		out, err := runCmd(t, "", append([]string{"help"}, strings.Fields(cmd)...)...)
		if err != nil || !strings.Contains(out, "maillage "+cmd+" : ") {
			t.Errorf("maillage help %s = %v\n%s; want that command's help", cmd, err, out)
		}
		_, err = runCmd(t, "", append(strings.Fields(cmd), "--sans-sens")...)
		if want := "option inconnue --sans-sens ; voir maillage " + cmd + " --help"; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("maillage %s --sans-sens: %v; want %q", cmd, err, want)
		}
	}
}

// TestHelpOfGroups: token and user list their subcommands on --help and
// succeed; a missing or unknown subcommand is refused naming the help.
func TestHelpOfGroups(t *testing.T) {
	for _, g := range []struct{ name, sub string }{{"token", "token create"}, {"user", "user add"}} {
		out, err := runCmd(t, "", g.name, "--help")
		if err != nil || !strings.Contains(out, "maillage "+g.sub) || strings.Contains(out, "inconnue") {
			t.Errorf("maillage %s --help = %v\n%s; want its subcommands", g.name, err, out)
		}
		if _, err := runCmd(t, "", g.name); err == nil || !strings.Contains(err.Error(), "sous-commande manquante ; voir maillage "+g.name+" --help") {
			t.Errorf("maillage %s: %v; want the missing subcommand named", g.name, err)
		}
		if _, err := runCmd(t, "", g.name, "voler"); err == nil || !strings.Contains(err.Error(), "sous-commande inconnue « voler » ; voir maillage "+g.name+" --help") {
			t.Errorf("maillage %s voler: %v; want the unknown subcommand named", g.name, err)
		}
	}
	out, err := runCmd(t, "", "--help")
	if err != nil || !strings.Contains(out, "maillage serve") || !strings.Contains(out, "COMMANDE --help") {
		t.Errorf("maillage --help = %v\n%s; want the commands and how to get each one's help", err, out)
	}
}

// TestBadFlagValueInFrench: a flag's bad value is refused in French,
// naming the flag and the help.
func TestBadFlagValueInFrench(t *testing.T) {
	_, err := runCmd(t, "", "demo", "--listen-base", "huit")
	if err == nil || !strings.Contains(err.Error(), "valeur invalide pour -listen-base ; voir maillage demo --help") {
		t.Errorf("demo --listen-base huit: %v", err)
	}
	_, err = runCmd(t, "", "user", "add", "--email")
	if err == nil || !strings.Contains(err.Error(), "l'option --email attend une valeur") {
		t.Errorf("user add --email: %v", err)
	}
}

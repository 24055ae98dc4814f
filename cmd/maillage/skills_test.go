package main

import (
	"strings"
	"testing"
)

// maillage competence add extends the network's list; list shows it after
// the shared ones; a bad or taken id is refused naming the flag, and
// changes nothing.
func TestSkillCommands(t *testing.T) {
	dir := t.TempDir()
	out, err := runCmd(t, "", "competence", "add", "--data", dir, "--id", "couture-numerique", "--libelle", "Couture numérique")
	if err != nil || !strings.Contains(out, "compétence couture-numerique (Couture numérique) ajoutée") {
		t.Fatalf("competence add = %q, %v", out, err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--id", "Couture Numérique", "--libelle", "x"}, "--id : identifiant de compétence invalide"},
		{[]string{"--id", "couture"}, "--libelle : libellé manquant"},
		{[]string{"--id", "couture-numerique", "--libelle", "Autre"}, "--id : la compétence « couture-numerique » est déjà dans la liste"},
		{[]string{"--id", "impression-3d", "--libelle", "Autre"}, "déjà dans la liste (Impression 3D)"},
	} {
		_, err := runCmd(t, "", append([]string{"competence", "add", "--data", dir}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("competence add %q = %v; want %q", c.args, err, c.want)
		}
	}
	out, err = runCmd(t, "", "competence", "list", "--data", dir)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if !strings.HasPrefix(lines[0], "  sites-web\tCréation de sites web") || lines[len(lines)-1] != "+ couture-numerique\tCouture numérique" {
		t.Errorf("competence list =\n%s\nwant the shared list, then the addition marked +", out)
	}
	if _, err := runCmd(t, "", "competence"); err == nil || !strings.Contains(err.Error(), "sous-commande manquante ; voir maillage competence --help") {
		t.Errorf("competence: %v; want the missing subcommand named", err)
	}
}

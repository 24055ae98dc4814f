package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/maillage/maillage/catalogue"
)

// skillCommand runs "maillage competence add|list": the network's list of
// skills (the skills map), the shared default list plus its additions.
func skillCommand(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "add":
			return skillAdd(args[1:], stdout, stderr)
		case "list":
			return skillList(args[1:], stdout, stderr)
		}
	}
	return group("competence", args)
}

func skillAdd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("competence add", "ajoute une compétence à la liste du réseau, que ses lieux peuvent alors choisir.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	id := fs.String("id", "", "`IDENTIFIANT` stable : lettres minuscules sans accent, chiffres et tirets (couture-numerique)")
	label := fs.String("libelle", "", "`LIBELLÉ` affiché (Couture numérique)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	sk := catalogue.Skill{ID: *id, Libelle: *label}
	var verr *catalogue.ValidationError
	if err := catalogue.CheckSkill(sk); errors.As(err, &verr) { // before opening the store
		return skillError(verr)
	}
	st, err := openStore(*data, "", stderr)
	if err != nil {
		return err
	}
	err = st.AddSkill(sk)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if errors.As(err, &verr) {
		return skillError(verr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "compétence %s (%s) ajoutée\n", sk.ID, sk.Libelle)
	return nil
}

// skillError names the flag of each problem.
func skillError(verr *catalogue.ValidationError) error {
	flags := make([]string, 0, len(verr.Fields))
	for f := range verr.Fields {
		flags = append(flags, f)
	}
	sort.Strings(flags)
	msg := ""
	for i, f := range flags {
		if i > 0 {
			msg += " ; "
		}
		msg += "--" + f + " : " + verr.Fields[f]
	}
	return errors.New(msg)
}

func skillList(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("competence list", "affiche la liste des compétences du réseau : identifiant, puis libellé ; « + » marque celles qu'il a ajoutées.")
	data := fs.String("data", envOr(os.Getenv, "MAILLAGE_DATA", "./data"), "répertoire `DIR` des données (MAILLAGE_DATA)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := openStore(*data, "", stderr)
	if err != nil {
		return err
	}
	list, err := st.Skills()
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	for i, s := range list {
		mark := " "
		if i >= len(catalogue.DefaultSkills) {
			mark = "+"
		}
		fmt.Fprintf(stdout, "%s %s\t%s\n", mark, s.ID, s.Libelle)
	}
	return nil
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// producerCSV writes n rows in a producer's own shape: a department's
// headers, a combined postal address, "Coord. X"/"Coord. Y", one hours
// column per day, hours in French, v0.1 services, phones and e-mails to
// repair, two-digit years; one row in ten lacks its services (a draft).
func producerCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Identifiant;Nom de l'organisation;Adresse postale;Coord. X;Coord. Y;Téléphone;Courriel;h_lundi;h_mardi;h_mercredi;h_jeudi;h_vendredi;Horaires;Services proposés;Date de mise à jour;Observations\n")
	for i := range n {
		services := "Accéder à une connexion internet|Prendre en main un smartphone ou une tablette"
		if i%10 == 0 {
			services = ""
		}
		hours := ""
		if i%3 == 0 {
			hours = "Lundi au vendredi de 10h à 12h et de 14h à 17h"
		}
		cp := 1000 + i%95*1000
		fmt.Fprintf(&b, "org-%d;Espace numérique n° %d;%d rue de la République - %05d Commune %d;%.5f;%.5f;+3304%08d;contact%d@example.fr.;09:00 - 12:00 / 13:30 - 17:00;09:00 - 12:00;;09:00 - 12:00 / 13:30 - 17:00;09:00 - 12:00;%s;%s;15/01/24;note\n",
			i, i, 1+i%200, cp, i%500, -1+float64(i%700)/100, 43+float64(i%500)/100, i, i, hours, services)
	}
	return b.Bytes()
}

// BenchmarkImportProducerCSV detects the columns of a 25,000-row
// producer-shaped CSV and imports it into a new store, as maillage
// import does.
func BenchmarkImportProducerCSV(b *testing.B) {
	file := filepath.Join(b.TempDir(), "producteur.csv")
	if err := os.WriteFile(file, producerCSV(25000), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		dir := b.TempDir()
		var out strings.Builder
		if err := run(context.Background(), []string{"import", "--data", dir, file}, strings.NewReader(""), &out, io.Discard); err != nil {
			b.Fatalf("%v\n%s", err, out.String())
		}
		if last := lastLine(out.String()); !strings.HasPrefix(last, "Résumé : 25000 créés") {
			b.Fatalf("last line %q", last)
		}
	}
}

func TestProducerCSVImportsWithoutRejection(t *testing.T) {
	file := filepath.Join(t.TempDir(), "producteur.csv")
	os.WriteFile(file, producerCSV(50), 0o644)
	out, _, err := runImport(t, "--data", t.TempDir(), file)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if last := lastLine(out); !strings.HasPrefix(last, "Résumé : 50 créés, 0 mis à jour, 0 inchangés, 0 rejetés") || !strings.HasSuffix(last, ", 5 brouillons") {
		t.Errorf("last line %q\n%s", last, out)
	}
}

package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/standard"
	"github.com/maillage/maillage/storage"
)

const pacaTelephone = "+33400000001"

// mergeFirstPlace has the network PACA publish the first local place of
// the data directory too, newer and with another phone number, and
// returns the local record.
func mergeFirstPlace(t *testing.T, dir string) *catalogue.Place {
	t.Helper()
	st, err := storage.Open(dir, storage.Options{BaseURL: "http://localhost:8080"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	page, err := st.Places(catalogue.PlaceQuery{Network: "local", Limit: 1, Records: true})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("first local place: %v, %+v", err, page)
	}
	ours := page.Items[0]
	p := *ours
	p.ID, p.Sources = "", nil
	p.APID = "https://paca.example/lieux/1"
	p.Network = catalogue.Network{Name: "PACA", Actor: "https://paca.example/actor"}
	p.Telephone = pacaTelephone
	p.Services = append(slices.Clone(p.Services), extraService(p.Services))
	p.Updated = time.Now().Add(time.Hour)
	if err := st.PutRemotePlace("https://paca.example/activities/1", &p); err != nil {
		t.Fatal(err)
	}
	m, err := st.MergedPlace(ours.ID)
	// Merged: PACA adds a service, but never changes our phone.
	if err != nil || len(m.Sources) != 2 || m.Telephone != ours.Telephone || !slices.Contains(m.Services, extraService(ours.Services)) {
		t.Fatalf("place %s not merged: %v, %+v", ours.ID, err, m)
	}
	return ours
}

// extraService is a service of the standard that services lacks.
func extraService(services []string) string {
	for _, s := range catalogue.Services.Values {
		if !slices.Contains(services, s) {
			return s
		}
	}
	return ""
}

func readExport(t *testing.T, path string) map[string]*catalogue.Place {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := standard.Read(f, standard.Options{})
	if err != nil || len(res.Rejected) > 0 {
		t.Fatalf("read back %s: %v %v", path, err, res.Rejected)
	}
	out := map[string]*catalogue.Place{}
	for _, r := range res.Records {
		out[r.ID] = r.Place
	}
	return out
}

func TestExportCommandOfOurNetworkImportsUnchanged(t *testing.T) {
	dir, outDir := t.TempDir(), t.TempDir()
	seedExport(t, dir, 5, 0)
	ours := mergeFirstPlace(t, dir)

	for _, format := range []string{"csv", "geojson"} {
		file := filepath.Join(outDir, "local."+format)
		if _, err := runExport(t, "--data", dir, "--format", format, "--query", "network=local", "--out", file); err != nil {
			t.Fatal(err)
		}
		got := readExport(t, file)
		if p := got[ours.ID]; len(got) != 5 || p == nil || p.Telephone != ours.Telephone {
			t.Errorf("export %s network=local: %d places, %s = %+v; want 5, with our phone %s", format, len(got), ours.ID, p, ours.Telephone)
		}
		out, _, err := runImport(t, "--data", dir, file)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := summaryLine(out), "0 créés, 0 mis à jour, 5 inchangés, 0 rejetés"; !strings.HasPrefix(got, want) {
			t.Errorf("import of the %s export of our network: %s; want %s", format, got, want)
		}
	}

	// The whole catalogue gives the merged place, once.
	file := filepath.Join(outDir, "all.csv")
	if _, err := runExport(t, "--data", dir, "--format", "csv", "--out", file); err != nil {
		t.Fatal(err)
	}
	if got := readExport(t, file); len(got) != 5 || got[ours.ID] == nil || got[ours.ID].Telephone != ours.Telephone ||
		!slices.Contains(got[ours.ID].Services, extraService(ours.Services)) {
		t.Errorf("export csv: %d places, %s = %+v; want 5, the merged one with our phone and PACA's extra service", len(got), ours.ID, got[ours.ID])
	}
	if places, _ := checkStore(t, dir); places != 5 {
		t.Errorf("%d local places; want 5", places)
	}
}

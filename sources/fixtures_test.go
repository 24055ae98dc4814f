package sources

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/maillage/maillage/storage"
)

var updateFixtures = flag.Bool("update", false, "rewrite testdata/producteur.xlsx and producteur.ods")

// producerRows are a network's own table: headers that no synonym
// recognises, so that only a mapping imports it.
var producerRows = [][]string{
	{"Réf.", "Désignation EPN", "Voie", "CP", "Ville d'implantation", "Prestations", "Tél. accueil", "MAJ"},
	{"tp-1", "Point numérique de la Treille", "3 place de la Treille", "13011", "Marseille", "Aide aux démarches administratives", "04 91 00 00 01", "2026-01-05"},
	{"tp-2", "Atelier numérique d'Allauch", "1 cours du 4 Septembre", "13190", "Allauch", "Maîtrise des outils numériques du quotidien", "04 91 00 00 02", "2026-01-05"},
	{"tp-3", "Espace public numérique de Plan-de-Cuques", "5 avenue Frédéric Chevillon", "13380", "Plan-de-Cuques", "Aide aux démarches administratives", "", "2026-01-05"},
}

// producerMapping maps the standard's fields to producerRows' headers.
var producerMapping = map[string]string{
	"id": "Réf.", "nom": "Désignation EPN", "adresse": "Voie", "code_postal": "CP", "commune": "Ville d'implantation",
	"services": "Prestations", "telephone": "Tél. accueil", "date_maj": "MAJ",
}

// TestWriteFixtures rewrites the spreadsheets of testdata with -update:
// the XLSX through excelize, the ODS as LibreOffice Calc lays one out
// (mimetype first and stored, manifest, content, styles, meta).
func TestWriteFixtures(t *testing.T) {
	if !*updateFixtures {
		t.Skip("-update rewrites the fixtures")
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Lieux"); err != nil {
		t.Fatal(err)
	}
	for i, row := range producerRows {
		cells := make([]any, len(row))
		for j, c := range row {
			cells[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Lieux", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs("testdata/producteur.xlsx"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("testdata/producteur.ods", odsFile(producerRows), 0o644); err != nil {
		t.Fatal(err)
	}
}

func odsFile(rows [][]string) []byte {
	const ns = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:0.9" office:version="1.3"`
	var c strings.Builder
	c.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	c.WriteString(`<office:document-content ` + ns + `><office:body><office:spreadsheet><table:table table:name="Lieux">`)
	c.WriteString(fmt.Sprintf(`<table:table-column table:number-columns-repeated="%d"/>`, len(rows[0])))
	for _, row := range rows {
		c.WriteString("<table:table-row>")
		for _, v := range row {
			if v == "" {
				c.WriteString(`<table:table-cell/>`)
				continue
			}
			fmt.Fprintf(&c, `<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>`, html.EscapeString(v))
		}
		c.WriteString(`<table:table-cell table:number-columns-repeated="1016"/></table:table-row>`)
	}
	c.WriteString(`<table:table-row table:number-rows-repeated="1048572"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>`)
	c.WriteString(`</table:table></office:spreadsheet></office:body></office:document-content>`)
	files := []struct{ name, body string }{
		{"META-INF/manifest.xml", `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
`},
		{"content.xml", c.String()},
		{"styles.xml", `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<office:document-styles ` + ns + `><office:styles/></office:document-styles>`},
		{"meta.xml", `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<office:document-meta ` + ns + `><office:meta><meta:generator>maillage sources test</meta:generator></office:meta></office:document-meta>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	w.Write([]byte("application/vnd.oasis.opendocument.spreadsheet"))
	for _, f := range files {
		w, _ := zw.Create(f.name)
		w.Write([]byte(f.body))
	}
	zw.Close()
	return buf.Bytes()
}

// A spreadsheet whose headers no synonym recognises imports nothing
// until the source has a mapping, which the next run then applies.
func TestSourceMappingAppliesToSpreadsheets(t *testing.T) {
	for _, name := range []string{"producteur.xlsx", "producteur.ods"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + name)
			if err != nil {
				t.Fatal(err)
			}
			e := newEnv(t, string(data))
			runs := e.runDue(t, 0)
			if len(runs) != 1 || runs[0].Status != StatusError || !strings.Contains(runs[0].Error, "aucune colonne ne donne le nom des lieux") {
				t.Fatalf("without a mapping: %+v; want an error naming the missing column", runs)
			}
			e.src, err = e.store.Source(e.src.ID)
			if err != nil {
				t.Fatal(err)
			}
			e.src.Mapping = producerMapping
			if err := e.store.SaveSource(e.src); err != nil {
				t.Fatal(err)
			}
			runs = e.runDue(t, 24*time.Hour)
			if len(runs) != 1 || runs[0].Status != StatusImported || runs[0].Created != 3 || runs[0].Rejected != 0 {
				t.Fatalf("with the mapping: %+v; want 3 places created", runs)
			}
			p := e.placeNamed(t, "Atelier numérique d'Allauch")
			if p == nil || p.Commune != "Allauch" || p.CodePostal != "13190" || p.Adresse != "1 cours du 4 Septembre" ||
				p.Telephone != "+33491000002" || p.Draft() {
				t.Fatalf("place read through the mapping: %+v", p)
			}
		})
	}
}

// A mapping changed after a file was imported applies to the same file
// at the next run: the file is fetched and read again, not skipped as
// unchanged; a source removed during a run is not brought back.
func TestSourceMappingChangeRereadsTheFile(t *testing.T) {
	e := newEnv(t, csvFile(3, nil, nil))
	if runs := e.runDue(t, 0); len(runs) != 1 || runs[0].Created != 3 {
		t.Fatalf("first run = %+v", runs)
	}
	err := e.store.UpdateSource(e.src.ID, func(src *storage.Source) {
		src.Mapping, src.Digest, src.ETag, src.LastModified = map[string]string{"adresse": ""}, "", "", ""
	})
	if err != nil {
		t.Fatal(err)
	}
	runs := e.runDue(t, 24*time.Hour)
	if len(runs) != 1 || runs[0].Status != StatusImported || runs[0].HTTPStatus != 200 {
		t.Fatalf("after the mapping changed: %+v; want the file read again", runs)
	}
	kept, err := e.store.Source(e.src.ID)
	if err != nil || kept.Mapping["adresse"] != "" || len(kept.Mapping) != 1 || kept.Digest == "" {
		t.Errorf("source after the run = %+v, %v; want its new mapping kept and the file's digest", kept, err)
	}
	if err := e.store.RemoveSource(e.src.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.runner.Run(context.Background(), e.src.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("run of a removed source: %v; want ErrNotFound", err)
	}
	if srcs, _ := e.store.Sources(); len(srcs) != 0 {
		t.Errorf("the removed source is back: %+v", srcs)
	}
}

package printable

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
)

var edition = time.Date(2026, 7, 13, 10, 0, 0, 0, catalogue.Paris)

// testPlaces are sample places with ids, some from another network, and
// one with every accent and sign of French.
func testPlaces(n int) []*catalogue.Place {
	places := sample.Places(n, 11)
	for i, p := range places {
		p.ID = fmt.Sprintf("l%04d", i)
		p.Network = catalogue.Network{Name: "Arsenic 13", Local: true}
		if i%5 == 0 {
			p.Network = catalogue.Network{Name: "Hinaura", Actor: "https://hinaura.example/actor"}
		}
	}
	lat, lon := 43.5297, 5.4474
	accents := &catalogue.Place{ID: "accents", Pivot: "12345678900012", Nom: "Œuvre « Là-haut » : naïveté, ÉÈÊËÀÂÎÏÔÙÛÜŸÇ’",
		Adresse: "1 rue de l’Église", CodePostal: "13100", Commune: "Aix-en-Provence", CodeINSEE: "13001",
		Latitude: &lat, Longitude: &lon, Horaires: "Mo-Fr 09:00-12:00; PH off", DateMaj: "2026-07-01",
		Services:           []string{"Aide aux démarches administratives"},
		ChampsIntervention: []string{"Administration en ligne"}, Telephone: "+33442000000",
		Network: catalogue.Network{Name: "Arsenic 13", Local: true}}
	return append(places, accents)
}

func pageURL(p *catalogue.Place) string { return "https://arsenic13.example/lieux/" + p.ID }

// pdfPage is the text of a page, row by row from the top, each row's
// pieces from the left, as read back by a PDF reader that is not the
// generator.
type pdfPage struct {
	rows [][]textRun
}

// textRun is a string shown at a point (PDF units, from the bottom left).
type textRun struct {
	X, Y, Size float64
	S          string
}

func (p pdfPage) String() string {
	var b strings.Builder
	for _, r := range p.rows {
		for _, t := range r {
			b.WriteString(t.S)
			b.WriteByte(' ')
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// flat is the page's text with every run of spaces as one space.
func (p pdfPage) flat() string {
	return strings.Join(strings.Fields(p.String()), " ")
}

// readPDF opens data with github.com/ledongthuc/pdf (cross-reference
// table, page tree, compressed streams, fonts) and reads the text of
// each page from its content stream. The reader's own text extraction
// mishandles the one-range ToUnicode CMap of Identity-H fonts (it keeps
// the low byte of each code); so this checks that every font maps codes
// to Unicode one to one, as that CMap says, and decodes the strings of
// the text operators as UTF-16.
func readPDF(t *testing.T, data []byte) []pdfPage {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", data[:min(len(data), 20)])
	}
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("open PDF: %v", err)
	}
	pages := make([]pdfPage, r.NumPage())
	for i := range pages {
		pg := r.Page(i + 1)
		fonts := pg.Resources().Key("Font")
		for _, name := range fonts.Keys() {
			f := fonts.Key(name)
			if f.Key("Encoding").Name() != "Identity-H" {
				t.Fatalf("page %d: font %s is not Identity-H", i+1, name)
			}
			cmap, err := io.ReadAll(f.Key("ToUnicode").Reader())
			if err != nil || !bytes.Contains(cmap, []byte("1 beginbfrange\n<0000> <FFFF> <0000>")) {
				t.Fatalf("page %d: font %s has no identity ToUnicode map (%v):\n%s", i+1, name, err, cmap)
			}
		}
		var runs []textRun
		var x, y, size float64
		pdf.Interpret(pg.V.Key("Contents"), func(stk *pdf.Stack, op string) {
			args := make([]pdf.Value, stk.Len())
			for j := len(args) - 1; j >= 0; j-- {
				args[j] = stk.Pop()
			}
			switch {
			case op == "BT":
				x, y = 0, 0
			case op == "Td" && len(args) == 2:
				x, y = x+args[0].Float64(), y+args[1].Float64()
			case op == "Tf" && len(args) == 2:
				size = args[1].Float64()
			case op == "Tj" && len(args) == 1:
				runs = append(runs, textRun{X: x, Y: y, Size: size, S: utf16BE(args[0].RawString())})
			}
		})
		// Rows from the top; pieces of a row from the left.
		sort.SliceStable(runs, func(a, b int) bool {
			if math.Abs(runs[a].Y-runs[b].Y) > 1 {
				return runs[a].Y > runs[b].Y
			}
			return runs[a].X < runs[b].X
		})
		for j, run := range runs {
			if j == 0 || math.Abs(run.Y-runs[j-1].Y) > 1 {
				pages[i].rows = append(pages[i].rows, nil)
			}
			last := len(pages[i].rows) - 1
			pages[i].rows[last] = append(pages[i].rows[last], run)
		}
	}
	return pages
}

func utf16BE(s string) string {
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return string(utf16.Decode(u))
}

func render(t *testing.T, places []*catalogue.Place, opts Options) ([]byte, []pdfPage) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, places, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), readPDF(t, buf.Bytes())
}

// indexEntry is a line of an index: its text and its page number.
type indexEntry struct {
	text string
	page int
}

var digits = regexp.MustCompile(`^\d+$`)

// Columns of a page, in PDF units: the whole width, and the two of an
// index.
var (
	oneColumn  = [][2]float64{{0, 600}}
	twoColumns = [][2]float64{{0, 297}, {297, 600}}
)

// indexEntries reads the entries of the pages [from, to): in each column
// of each row, a text followed by a number.
func indexEntries(t *testing.T, pages []pdfPage, from, to int, columns [][2]float64) []indexEntry {
	t.Helper()
	var out []indexEntry
	for n := from; n < to; n++ {
		for _, cols := range columns {
			for _, row := range pages[n-1].rows {
				var parts []string
				for _, x := range row {
					if x.X >= cols[0] && x.X < cols[1] {
						parts = append(parts, strings.TrimSpace(x.S))
					}
				}
				if len(parts) < 2 || !digits.MatchString(parts[len(parts)-1]) {
					continue
				}
				text := strings.Join(parts[:len(parts)-1], " ")
				if strings.HasPrefix(text, "Édition du") || text == "Page" {
					continue // the footer
				}
				page, _ := strconv.Atoi(parts[len(parts)-1])
				out = append(out, indexEntry{text, page})
			}
		}
	}
	return out
}

// pageOf finds the page whose heading row is title ("Index des lieux
// par nom"), from 1.
func pageOf(pages []pdfPage, title string) int {
	for i, p := range pages {
		for _, row := range p.rows {
			if len(row) == 1 && strings.TrimSpace(row[0].S) == title && row[0].Size >= 14 {
				return i + 1
			}
		}
	}
	return 0
}

func TestCatalogueIndexesPointToThePlaces(t *testing.T) {
	t.Parallel()
	places := testPlaces(120)
	for _, by := range []string{ByChamp, ByCommune} {
		data, pages := render(t, places, Options{Network: "Arsenic 13", Edition: edition, GroupBy: by, PageURL: pageURL})
		if len(pages) < 10 {
			t.Fatalf("%s: %d pages; want a real catalogue", by, len(pages))
		}
		// Cover.
		cover := pages[0].flat()
		for _, want := range []string{"Catalogue des lieux de médiation numérique", "Arsenic 13", "Édition du 13 juillet 2026", "121 lieux"} {
			if !strings.Contains(cover, want) {
				t.Errorf("%s: cover lacks %q:\n%s", by, want, cover)
			}
		}
		// Every page after the cover has its number in the footer.
		for i := 1; i < len(pages); i++ {
			if !strings.Contains(pages[i].flat(), fmt.Sprintf("Page %d", i+1)) {
				t.Errorf("%s: page %d has no footer number", by, i+1)
			}
		}
		nameIdx, comIdx := pageOf(pages, "Index des lieux par nom"), pageOf(pages, "Index des lieux par commune")
		if nameIdx == 0 || comIdx <= nameIdx {
			t.Fatalf("%s: indexes at pages %d and %d", by, nameIdx, comIdx)
		}
		// Contents: every line points to a page that shows its title.
		// The contents run from page 2 over the pages headed "Sommaire".
		end := 2
		for end <= len(pages) && pages[end-1].rows[0][0].S == "Sommaire" {
			end++
		}
		toc := indexEntries(t, pages, 2, end, oneColumn)
		if len(toc) < 3 {
			t.Fatalf("%s: contents has %d lines", by, len(toc))
		}
		for _, e := range toc {
			title := strings.TrimSpace(regexp.MustCompile(`\(\d+\)$`).ReplaceAllString(e.text, ""))
			if e.page < end || e.page > len(pages) || !strings.Contains(pages[e.page-1].flat(), strings.TrimSuffix(title, "…")) {
				t.Errorf("%s: contents says %q is on page %d", by, e.text, e.page)
			}
		}
		if toc[len(toc)-2].page != nameIdx || toc[len(toc)-1].page != comIdx {
			t.Errorf("%s: contents gives the indexes pages %d and %d; they are on %d and %d", by,
				toc[len(toc)-2].page, toc[len(toc)-1].page, nameIdx, comIdx)
		}

		for _, idx := range []struct {
			name     string
			from, to int
			text     func(*catalogue.Place) string
		}{
			{"by name", nameIdx, comIdx, func(p *catalogue.Place) string { return p.Nom + ", " + p.Commune }},
			{"by commune", comIdx, len(pages) + 1, func(p *catalogue.Place) string { return p.Nom }},
		} {
			entries := indexEntries(t, pages, idx.from, idx.to, twoColumns)
			if len(entries) != len(places) {
				t.Errorf("%s: index %s has %d entries; want %d", by, idx.name, len(entries), len(places))
			}
			found := map[string]bool{}
			for _, e := range entries {
				if e.page < 3 || e.page >= nameIdx {
					t.Errorf("%s: index %s: %q on page %d, not a page of places", by, idx.name, e.text, e.page)
					continue
				}
				// The entry's page shows the place: its name, and its QR code's link.
				prefix := strings.TrimSuffix(e.text, "…")
				var match *catalogue.Place
				for _, p := range places {
					if strings.HasPrefix(idx.text(p), prefix) && strings.Contains(pages[e.page-1].flat(), p.Nom) &&
						!found[idx.name+p.ID] {
						match = p
						break
					}
				}
				if match == nil {
					t.Errorf("%s: index %s: %q on page %d; that page does not show it:\n%s", by, idx.name, e.text, e.page, pages[e.page-1])
					continue
				}
				found[idx.name+match.ID] = true
			}
		}
		// Each place is printed once, with its QR code's link.
		for _, p := range places {
			if n := bytes.Count(data, []byte("("+pageURL(p)+")")); n != 1 {
				t.Errorf("%s: link to %s appears %d times; want 1", by, p.ID, n)
			}
		}
	}
}

func TestCatalogueShowsPlacesInFrench(t *testing.T) {
	t.Parallel()
	places := testPlaces(20)
	_, pages := render(t, places, Options{Network: "Arsenic 13", Edition: edition, PageURL: pageURL})
	var all strings.Builder
	for _, p := range pages {
		all.WriteString(p.flat() + "\n")
	}
	text := all.String()
	for _, want := range []string{
		"Œuvre « Là-haut » : naïveté, ÉÈÊËÀÂÎÏÔÙÛÜŸÇ’", // accents render and extract
		"1 rue de l’Église", "13100 Aix-en-Provence",
		"Du lundi au vendredi : 9 h – 12 h", "Fermé les jours fériés",
		"04 42 00 00 00", "Aide aux démarches administratives",
		"réseau Hinaura", "Fiche en ligne", "Sommaire",
		"Administration en ligne", "Également actifs dans ce champ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("catalogue lacks %q", want)
		}
	}
	for _, p := range places {
		if !strings.Contains(text, p.Nom) {
			t.Errorf("catalogue lacks place %q", p.Nom)
		}
	}
}

func TestCatalogueEdgeCases(t *testing.T) {
	t.Parallel()
	if err := Write(&bytes.Buffer{}, nil, Options{GroupBy: "département"}); !errors.Is(err, ErrGrouping) {
		t.Errorf("Write with GroupBy département = %v; want ErrGrouping", err)
	}
	// No place at all still gives a valid document.
	_, pages := render(t, nil, Options{Network: "Vide", Edition: edition})
	if !strings.Contains(pages[0].flat(), "0 lieu") {
		t.Errorf("empty catalogue cover: %s", pages[0].flat())
	}
	// A place without coordinates, champ, hours or page.
	p := &catalogue.Place{ID: "x", Pivot: "00000000000000", Nom: "Sans rien 🙂", Adresse: "1 rue", CodePostal: "75001",
		Commune: "Paris", DateMaj: "2026-01-01", Horaires: "le mardi matin sur rendez-vous"}
	_, pages = render(t, []*catalogue.Place{p}, Options{Edition: edition, GroupBy: ByCommune})
	var text string
	for _, pg := range pages {
		text += pg.flat()
	}
	for _, want := range []string{"Sans rien", "le mardi matin sur rendez-vous", "Paris (75)", "Tout public"} {
		if !strings.Contains(text, want) {
			t.Errorf("catalogue of a bare place lacks %q", want)
		}
	}
}

func TestCatalogueIsReproducible(t *testing.T) {
	t.Parallel()
	opts := Options{Network: "Arsenic 13", Edition: edition, PageURL: pageURL}
	var a, b bytes.Buffer
	if err := Write(&a, testPlaces(30), opts); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, testPlaces(30), opts); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("two renderings of the same catalogue differ (%d and %d bytes)", a.Len(), b.Len())
	}
}

// BenchmarkWrite renders a catalogue of 500 places. See
// docs/BENCHMARKS.md.
func BenchmarkWrite(b *testing.B) {
	places := testPlaces(499)
	pages := 0
	for b.Loop() {
		var buf bytes.Buffer
		if err := Write(&buf, places, Options{Network: "Arsenic 13", Edition: edition, PageURL: pageURL}); err != nil {
			b.Fatal(err)
		}
		pages = bytes.Count(buf.Bytes(), []byte("/Type /Page\n"))
	}
	b.ReportMetric(float64(pages), "pages")
}

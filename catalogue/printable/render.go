package printable

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/go-pdf/fpdf"
)

// Page geometry, in millimetres (A4 portrait).
const (
	pageW    = 210.0
	marginX  = 15.0
	contentW = pageW - 2*marginX
	top      = 20.0  // where content starts, under the running header
	bottom   = 280.0 // where content must end, above the footer
	qrSize   = 22.0
	labelW   = 20.0
	numberW  = 10.0 // the column of page numbers in contents and indexes
)

// positions are the pages where a pass put things.
type positions struct {
	place         []int // by entry index
	group         []int
	nameIndex     int
	communeIndex  int
	contentsPages int
}

func (p *positions) equal(q *positions) bool {
	return slices.Equal(p.place, q.place) && slices.Equal(p.group, q.group) &&
		p.nameIndex == q.nameIndex && p.communeIndex == q.communeIndex
}

// renderer lays out one pass of the document.
type renderer struct {
	pdf     *fpdf.Fpdf
	opts    Options
	prev    *positions // of the previous pass; nil in the first
	pos     *positions
	edition string
	y       float64
	header  string // the running header of the current page
	links   map[any]int
}

func newRenderer(opts Options, prev *positions, n int) *renderer {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(fontFamily, "", fontRegular)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", fontBold)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(marginX, top, marginX)
	pdf.SetCellMargin(0)
	pdf.SetTitle(opts.Title+" – "+opts.Network, true)
	pdf.SetAuthor(opts.Network, true)
	pdf.SetCreator("Maillage", true)
	pdf.SetLang("fr-FR")
	pdf.SetCreationDate(opts.Edition)
	pdf.SetModificationDate(opts.Edition)
	pdf.SetCatalogSort(true)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetTextColor(0, 0, 0)
	return &renderer{pdf: pdf, opts: opts, prev: prev, edition: frenchDate(opts.Edition),
		pos: &positions{place: make([]int, n)}, links: map[any]int{}}
}

// link returns the internal link to k (an entry, a group or an index),
// made on first use: in the contents it is used before its target is
// drawn, and set then.
func (r *renderer) link(k any) int {
	l, ok := r.links[k]
	if !ok {
		l = r.pdf.AddLink()
		r.links[k] = l
	}
	return l
}

// pageNumber is the page of the previous pass, as text; "000" in the
// first pass, before any is known.
func (r *renderer) pageNumber(get func(*positions) int) string {
	if r.prev == nil {
		return "000"
	}
	return strconv.Itoa(get(r.prev))
}

func (r *renderer) font(style string, size float64) {
	r.pdf.SetFont(fontFamily, style, size)
}

// newPage starts a page with the running header (when header is set)
// and the footer.
func (r *renderer) newPage(header string) {
	r.pdf.AddPage()
	r.header = header
	r.y = top
	if header == "" {
		return
	}
	pdf := r.pdf
	r.font("", 8)
	pdf.SetXY(marginX, 10)
	pdf.CellFormat(contentW*0.65, 4, fit(pdf, header, contentW*0.65), "", 0, "L", false, 0, "")
	pdf.SetXY(marginX+contentW*0.65, 10)
	pdf.CellFormat(contentW*0.35, 4, fit(pdf, r.opts.Network, contentW*0.35), "", 0, "R", false, 0, "")
	pdf.SetLineWidth(0.2)
	pdf.Line(marginX, 15, marginX+contentW, 15)
	pdf.Line(marginX, 284, marginX+contentW, 284)
	pdf.SetXY(marginX, 286)
	pdf.CellFormat(contentW/2, 4, "Édition du "+r.edition, "", 0, "L", false, 0, "")
	pdf.SetXY(marginX+contentW/2, 286)
	pdf.CellFormat(contentW/2, 4, "Page "+strconv.Itoa(pdf.PageNo()), "", 0, "R", false, 0, "")
}

// ensure starts a new page unless h millimetres fit on this one.
func (r *renderer) ensure(h float64) {
	if r.y+h > bottom {
		r.newPage(r.header)
	}
}

// text writes s wrapped in width w at (x, r.y) with line height lh, and
// returns the height it took. With draw false it only measures.
func (r *renderer) text(x, w, lh float64, s string, align string, draw bool) float64 {
	lines := r.pdf.SplitText(s, w)
	if draw {
		for i, l := range lines {
			r.pdf.SetXY(x, r.y+float64(i)*lh)
			r.pdf.CellFormat(w, lh, l, "", 0, align, false, 0, "")
		}
	}
	return float64(len(lines)) * lh
}

// fit shortens s with an ellipsis until it fits in w.
func fit(pdf *fpdf.Fpdf, s string, w float64) string {
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	runes := []rune(s)
	for n := len(runes) - 1; n > 0; n-- {
		t := string(runes[:n]) + "…"
		if pdf.GetStringWidth(t) <= w {
			return t
		}
	}
	return "…"
}

// document lays out the whole catalogue.
func (r *renderer) document(groups []*group, entries []*entry) {
	r.pos.group = make([]int, len(groups))
	r.cover(len(entries))
	r.contents(groups)
	for i, g := range groups {
		r.group(i, g)
	}
	r.nameIndex(entries)
	r.communeIndex(entries)
}

func (r *renderer) cover(n int) {
	pdf := r.pdf
	r.newPage("")
	pdf.SetLineWidth(1.2)
	pdf.Line(marginX, 50, marginX+contentW, 50)
	r.y = 62
	r.font("B", 26)
	r.y += r.text(marginX, contentW, 11, r.opts.Title, "C", true) + 8
	r.font("", 18)
	r.y += r.text(marginX, contentW, 8, r.opts.Network, "C", true) + 10
	r.font("", 12)
	r.y += r.text(marginX, contentW, 6, "Édition du "+r.edition, "C", true) + 4
	what := "par champ d'intervention"
	if r.opts.GroupBy == ByCommune {
		what = "par commune"
	}
	places := "lieux"
	if n < 2 {
		places = "lieu"
	}
	r.y += r.text(marginX, contentW, 6, fmt.Sprintf("%d %s, classés %s", n, places, what), "C", true) + 4
	if r.opts.Filters != "" {
		r.font("", 10)
		r.y += r.text(marginX+15, contentW-30, 5, "Sélection : "+clean(r.opts.Filters), "C", true)
	}
	pdf.SetLineWidth(1.2)
	pdf.Line(marginX, r.y+8, marginX+contentW, r.y+8)
	r.y = 262
	r.font("", 8)
	r.text(marginX, contentW, 4, "Chaque lieu a un QR code qui mène à sa fiche en ligne, tenue à jour. "+
		"Données au standard national des lieux de médiation numérique (v1.0.2), publiées avec Maillage.", "C", true)
}

// contents lists the groups and the indexes with their pages.
func (r *renderer) contents(groups []*group) {
	r.newPage("Sommaire")
	r.font("B", 16)
	r.y += r.text(marginX, contentW, 8, "Sommaire", "L", true) + 4
	line := func(title string, target any, get func(*positions) int) {
		r.ensure(6)
		r.font("", 10)
		num := r.pageNumber(get)
		text := fit(r.pdf, title, contentW-numberW-4)
		r.leader(marginX, contentW, 6, text, num, r.link(target))
		r.y += 6
	}
	for i, g := range groups {
		title := g.title
		if n := len(g.entries); n > 0 {
			title = fmt.Sprintf("%s (%d)", g.title, n)
		}
		line(title, g, func(p *positions) int { return p.group[i] })
	}
	r.y += 4
	line("Index des lieux par nom", "index-name", func(p *positions) int { return p.nameIndex })
	line("Index des lieux par commune", "index-commune", func(p *positions) int { return p.communeIndex })
	r.pos.contentsPages = r.pdf.PageNo() - 1
}

// leader writes text, a dotted line, and num right-aligned, in width w
// at (x, r.y); the whole line links to link (0 for none).
func (r *renderer) leader(x, w, h float64, text, num string, link int) {
	pdf := r.pdf
	pdf.SetXY(x, r.y)
	pdf.CellFormat(w-numberW, h, text, "", 0, "L", false, 0, "")
	pdf.SetXY(x+w-numberW, r.y)
	pdf.CellFormat(numberW, h, num, "", 0, "R", false, 0, "")
	from := x + pdf.GetStringWidth(text) + 1.5
	to := x + w - pdf.GetStringWidth(num) - 1.5
	if to > from {
		pdf.SetLineWidth(0.25)
		pdf.SetDashPattern([]float64{0.25, 1.2}, 0)
		pdf.Line(from, r.y+h*0.7, to, r.y+h*0.7)
		pdf.SetDashPattern(nil, 0)
	}
	if link != 0 {
		pdf.Link(x, r.y, w, h, link)
	}
}

func (r *renderer) group(i int, g *group) {
	pdf := r.pdf
	count := fmt.Sprintf("%d lieux", len(g.entries))
	if len(g.entries) == 1 {
		count = "1 lieu"
	}
	if r.opts.GroupBy == ByChamp {
		r.newPage(g.title)
		r.startGroup(i, g)
		r.font("B", 16)
		r.y += r.text(marginX, contentW, 7.5, g.title, "L", true) + 1
		r.font("", 9)
		r.y += r.text(marginX, contentW, 4.5, count, "L", true) + 2
	} else {
		first := 0.0
		if len(g.entries) > 0 {
			first = r.block(g.entries[0], false)
		}
		if i == 0 || r.y+12+first > bottom {
			r.newPage(g.title)
		}
		r.header = g.title // for the pages this group runs on to
		r.startGroup(i, g)
		r.font("B", 12)
		pdf.SetXY(marginX, r.y)
		pdf.CellFormat(contentW-30, 6, fit(pdf, g.title, contentW-30), "", 0, "L", false, 0, "")
		r.font("", 8)
		pdf.SetXY(marginX+contentW-30, r.y)
		pdf.CellFormat(30, 6, count, "", 0, "R", false, 0, "")
		r.y += 6
	}
	pdf.SetLineWidth(0.6)
	pdf.Line(marginX, r.y, marginX+contentW, r.y)
	r.y += 3
	for _, e := range g.entries {
		h := r.block(e, false)
		r.ensure(h)
		r.pos.place[e.index] = pdf.PageNo()
		pdf.SetLink(r.link(e), r.y, -1)
		r.block(e, true)
		r.y += h
	}
	if len(g.seeAlso) > 0 {
		r.seeAlso(g)
	}
	r.y += 4
}

func (r *renderer) startGroup(i int, g *group) {
	r.pos.group[i] = r.pdf.PageNo()
	r.pdf.SetLink(r.link(g), r.y, -1)
	r.pdf.Bookmark(g.title, 0, r.y)
}

// seeAlso lists the places printed under another group that are active
// in this one, with their pages.
func (r *renderer) seeAlso(g *group) {
	r.ensure(14)
	r.y += 2
	r.font("B", 9)
	r.y += r.text(marginX, contentW, 5, "Également actifs dans ce champ", "L", true) + 1
	r.font("", 8)
	for _, e := range g.seeAlso {
		r.ensure(4)
		num := r.pageNumber(func(p *positions) int { return p.place[e.index] })
		r.leader(marginX, contentW, 4, fit(r.pdf, e.indexName, contentW-numberW-4), num, r.link(e))
		r.y += 4
	}
}

// block draws (or, with draw false, measures) a place at r.y and returns
// its height.
func (r *renderer) block(e *entry, draw bool) float64 {
	pdf := r.pdf
	textW := contentW - qrSize - 5
	y0 := r.y
	defer func() { r.y = y0 }()

	r.font("B", 11)
	r.y += r.text(marginX, textW, 5, e.name, "L", draw)
	if e.subtitle != "" {
		r.font("", 8)
		r.y += r.text(marginX, textW, 3.6, e.subtitle, "L", draw)
	}
	r.y += 1.2
	for _, f := range e.fields {
		r.font("", 8.5)
		h := r.text(marginX+labelW, textW-labelW, 3.8, f.value, "L", draw)
		if draw {
			r.font("B", 8)
			pdf.SetXY(marginX, r.y)
			pdf.CellFormat(labelW, 3.8, f.label, "", 0, "L", false, 0, "")
		}
		r.y += h + 0.6
	}
	if e.resume != "" {
		r.font("", 8)
		r.y += 0.6 + r.text(marginX, textW, 3.5, e.resume, "L", draw)
	}
	h := r.y - y0
	if e.qr != nil {
		if draw {
			drawQR(pdf, e.qr, marginX+contentW-qrSize, y0+1, qrSize)
			pdf.LinkString(marginX+contentW-qrSize, y0+1, qrSize, qrSize, e.url)
			r.font("", 6)
			pdf.SetXY(marginX+contentW-qrSize, y0+1+qrSize+0.5)
			pdf.CellFormat(qrSize, 3, "Fiche en ligne", "", 0, "C", false, 0, "")
		}
		h = max(h, qrSize+5)
	}
	h += 3
	if draw {
		pdf.SetLineWidth(0.15)
		pdf.Line(marginX, y0+h-1.5, marginX+contentW, y0+h-1.5)
	}
	return h
}

package printable

import "slices"

// indexColumns lays out index lines in two columns, page after page.
type indexColumns struct {
	r      *renderer
	title  string
	col    int
	top    float64
	colW   float64
	x      [2]float64
	lineH  float64
	starts bool
}

func (r *renderer) newIndex(title string, target any) *indexColumns {
	r.newPage(title)
	r.pdf.SetLink(r.link(target), r.y, -1)
	r.pdf.Bookmark(title, 0, r.y)
	r.font("B", 16)
	r.y += r.text(marginX, contentW, 8, title, "L", true) + 4
	gap := 8.0
	colW := (contentW - gap) / 2
	return &indexColumns{r: r, title: title, top: r.y, colW: colW, x: [2]float64{marginX, marginX + colW + gap}, lineH: 4}
}

// next returns the x of the next line of height h, moving to the next
// column or page when needed.
func (ic *indexColumns) next(h float64) float64 {
	r := ic.r
	if r.y+h > bottom {
		if ic.col == 0 {
			ic.col = 1
		} else {
			r.newPage(ic.title)
			ic.top, ic.col = r.y, 0
		}
		r.y = ic.top
	}
	return ic.x[ic.col]
}

func (ic *indexColumns) heading(s string) {
	r := ic.r
	if r.y > ic.top {
		r.y += 1.5
	}
	x := ic.next(5 + ic.lineH) // keep a heading with its first line
	r.font("B", 9)
	r.pdf.SetXY(x, r.y)
	r.pdf.CellFormat(ic.colW, 5, fit(r.pdf, s, ic.colW), "", 0, "L", false, 0, "")
	r.y += 5
}

func (ic *indexColumns) entry(e *entry, text string, indent float64) {
	r := ic.r
	x := ic.next(ic.lineH)
	r.font("", 8)
	num := r.pageNumber(func(p *positions) int { return p.place[e.index] })
	w := ic.colW - indent
	r.leader(x+indent, w, ic.lineH, fit(r.pdf, text, w-numberW-3), num, r.link(e))
	r.y += ic.lineH
}

func (r *renderer) nameIndex(entries []*entry) {
	r.pos.nameIndex = r.pdf.PageNo() + 1
	ic := r.newIndex("Index des lieux par nom", "index-name")
	letter := ""
	for _, e := range entries {
		if l := initial(e.nameKey); l != letter {
			letter = l
			ic.heading(l)
		}
		ic.entry(e, e.indexName, 0)
	}
}

func (r *renderer) communeIndex(entries []*entry) {
	r.pos.communeIndex = r.pdf.PageNo() + 1
	ic := r.newIndex("Index des lieux par commune", "index-commune")
	sorted := slices.Clone(entries)
	slices.SortStableFunc(sorted, func(a, b *entry) int {
		switch {
		case a.comKey < b.comKey:
			return -1
		case a.comKey > b.comKey:
			return 1
		}
		return a.index - b.index
	})
	key := "\x01"
	for _, e := range sorted {
		if e.comKey != key {
			key = e.comKey
			ic.heading(e.commune)
		}
		ic.entry(e, e.name, 3)
	}
}

// initial is the letter a sort key files under: "É" goes with "E",
// digits and signs under "#".
func initial(key string) string {
	for _, c := range key {
		if c >= 'a' && c <= 'z' {
			return string(c - 'a' + 'A')
		}
		if c != ' ' {
			return "#"
		}
	}
	return "#"
}

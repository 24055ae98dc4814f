package printable

import (
	"github.com/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"
)

// qrModules returns the modules of a QR code of url (medium error
// correction, without the quiet zone), or nil when url is empty or too
// long to encode.
func qrModules(url string) [][]bool {
	if url == "" {
		return nil
	}
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil
	}
	q.DisableBorder = true
	return q.Bitmap()
}

// drawQR draws modules as black rectangles in a size×size square at
// (x, y), one rectangle per run of dark modules in a row, so that the
// code stays sharp at any zoom and prints in pure black.
func drawQR(pdf *fpdf.Fpdf, modules [][]bool, x, y, size float64) {
	n := len(modules)
	if n == 0 {
		return
	}
	m := size / float64(n)
	pdf.SetFillColor(0, 0, 0)
	for r, row := range modules {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			// A hair wider, so that neighbouring runs leave no seam.
			pdf.Rect(x+float64(start)*m, y+float64(r)*m, float64(c-start)*m+0.01, m+0.01, "F")
		}
	}
}

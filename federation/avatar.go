package federation

import (
	"bytes"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"strings"
	"unicode"

	"github.com/maillage/maillage/catalogue"
)

// The network's default avatar and header: PNG images drawn from its
// name (GoToSocial and Mastodon take PNG, JPEG, GIF or WebP, not SVG), so
// that a network without a logo is still recognisable in a timeline.

// glyphs is a 5×7 bitmap font of the capital letters and digits.
var glyphs = map[rune][7]string{
	'A': {".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"},
	'B': {"####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."},
	'C': {".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."},
	'D': {"####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."},
	'E': {"#####", "#....", "#....", "####.", "#....", "#....", "#####"},
	'F': {"#####", "#....", "#....", "####.", "#....", "#....", "#...."},
	'G': {".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####"},
	'H': {"#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"},
	'I': {".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."},
	'J': {"..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."},
	'K': {"#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"},
	'L': {"#....", "#....", "#....", "#....", "#....", "#....", "#####"},
	'M': {"#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"},
	'N': {"#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#"},
	'O': {".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."},
	'P': {"####.", "#...#", "#...#", "####.", "#....", "#....", "#...."},
	'Q': {".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"},
	'R': {"####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"},
	'S': {".####", "#....", "#....", ".###.", "....#", "....#", "####."},
	'T': {"#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."},
	'U': {"#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."},
	'V': {"#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."},
	'W': {"#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."},
	'X': {"#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"},
	'Y': {"#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."},
	'Z': {"#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"},
	'0': {".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."},
	'1': {"..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."},
	'2': {".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"},
	'3': {"#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."},
	'4': {"...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."},
	'5': {"#####", "#....", "####.", "....#", "....#", "#...#", ".###."},
	'6': {"..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."},
	'7': {"#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."},
	'8': {".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."},
	'9': {".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."},
}

// Initials are what the default avatar shows of a network's name: the
// first letter of each word and the numbers whole, at most three
// characters ("Arsenic 13" → "A13", "Région Sud" → "RS").
func Initials(name string) string {
	var out []rune
	for _, word := range strings.FieldsFunc(catalogue.Fold(name), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if unicode.IsDigit([]rune(word)[0]) {
			out = append(out, []rune(word)...)
		} else if !isStopWord(word) {
			out = append(out, unicode.ToUpper([]rune(word)[0]))
		}
	}
	var kept []rune
	for _, r := range out {
		if _, ok := glyphs[r]; ok && len(kept) < 3 {
			kept = append(kept, r)
		}
	}
	if len(kept) == 0 {
		return "M"
	}
	return string(kept)
}

func isStopWord(w string) bool {
	switch w {
	case "de", "des", "du", "la", "le", "les", "et", "d", "l", "en", "au", "aux":
		return true
	}
	return false
}

// palette holds dark, saturated colours on which white reads well.
var palette = []color.RGBA{
	{0x1f, 0x5f, 0x8b, 0xff}, {0x2e, 0x7d, 0x32, 0xff}, {0x6a, 0x1b, 0x9a, 0xff},
	{0xad, 0x14, 0x57, 0xff}, {0xbf, 0x36, 0x0c, 0xff}, {0x00, 0x69, 0x5c, 0xff},
	{0x28, 0x35, 0x93, 0xff}, {0x4e, 0x34, 0x2e, 0xff},
}

// networkColour picks a colour of the palette from the name, the same on
// every start.
func networkColour(name string) color.RGBA {
	h := fnv.New32a()
	h.Write([]byte(name))
	return palette[h.Sum32()%uint32(len(palette))]
}

// AvatarPNG draws a 400×400 avatar: the network's initials in white on
// its colour.
func AvatarPNG(name string) []byte {
	const size = 400
	bg := networkColour(name)
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	fill(img, img.Bounds(), bg)
	text := []rune(Initials(name))
	// Each glyph is 5 cells wide with 1 cell between: the text is 6n-1
	// cells wide and 7 high, scaled to fit 70% of the width and 45% of
	// the height.
	cell := min(size*70/100/(6*len(text)-1), size*45/100/7)
	w, h := (6*len(text)-1)*cell, 7*cell
	x0, y0 := (size-w)/2, (size-h)/2
	for i, r := range text {
		g := glyphs[r]
		for row, line := range g {
			for col, c := range line {
				if c == '#' {
					x, y := x0+(6*i+col)*cell, y0+row*cell
					fill(img, image.Rect(x, y, x+cell, y+cell), color.RGBA{0xff, 0xff, 0xff, 0xff})
				}
			}
		}
	}
	return encodePNG(img)
}

// HeaderPNG draws a 1500×500 header: a mesh (a maillage) of light lines
// on the network's colour.
func HeaderPNG(name string) []byte {
	const w, h, step = 1500, 500, 50
	bg := networkColour(name)
	line := color.RGBA{lighten(bg.R), lighten(bg.G), lighten(bg.B), 0xff}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill(img, img.Bounds(), bg)
	for x := 0; x < w; x += step {
		fill(img, image.Rect(x, 0, x+2, h), line)
	}
	for y := 0; y < h; y += step {
		fill(img, image.Rect(0, y, w, y+2), line)
	}
	return encodePNG(img)
}

func lighten(c uint8) uint8 { return c + (0xff-c)/4 }

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

func encodePNG(img image.Image) []byte {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, img); err != nil {
		panic("federation: encode PNG: " + err.Error()) // writing to memory cannot fail
	}
	return b.Bytes()
}

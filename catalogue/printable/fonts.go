package printable

import _ "embed"

// The embedded fonts: DejaVu Sans Condensed, which has every Latin letter
// of French and the typographic signs (« », ’, –, …). See fonts/LICENSE.
var (
	//go:embed fonts/DejaVuSansCondensed.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSansCondensed-Bold.ttf
	fontBold []byte
)

// fontFamily is the name the fonts are registered under.
const fontFamily = "dejavu"

package standard

import (
	"bytes"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Encodings reported in Result.Encoding.
const (
	EncodingUTF8        = "UTF-8"
	EncodingUTF8BOM     = "UTF-8 avec BOM"
	EncodingUTF16       = "UTF-16"
	EncodingWindows1252 = "Windows-1252"
)

// decodeText returns data as a Go string and the name of the encoding it
// was found in: UTF-8 (with or without a BOM), UTF-16 with a BOM, or else
// Windows-1252, the encoding of spreadsheets saved as CSV on Windows.
func decodeText(data []byte) (string, string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return string(data[3:]), EncodingUTF8BOM
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(data[2:], false), EncodingUTF16
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data[2:], true), EncodingUTF16
	case utf8.Valid(data):
		return string(data), EncodingUTF8
	}
	return decodeWindows1252(data), EncodingWindows1252
}

func decodeUTF16(data []byte, bigEndian bool) string {
	units := make([]uint16, len(data)/2)
	for i := range units {
		a, b := uint16(data[2*i]), uint16(data[2*i+1])
		if bigEndian {
			units[i] = a<<8 | b
		} else {
			units[i] = b<<8 | a
		}
	}
	return string(utf16.Decode(units))
}

// windows1252 gives the characters of the bytes 0x80 to 0x9F; the others
// are those of Latin-1. The five unassigned bytes keep their C1 code
// points, as the WHATWG encoding standard does.
var windows1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

func decodeWindows1252(data []byte) string {
	var b strings.Builder
	b.Grow(len(data) + len(data)/8)
	for _, c := range data {
		switch {
		case c < 0x80:
			b.WriteByte(c)
		case c < 0xA0:
			b.WriteRune(windows1252[c-0x80])
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

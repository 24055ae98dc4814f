package forms

import (
	"strings"
	"unicode"
)

// CleanLine trims a one-line value and turns control characters
// (newlines included) into spaces.
func CleanLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s))
}

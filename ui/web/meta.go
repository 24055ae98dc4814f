package web

import (
	"html"
	"regexp"
	"strings"
)

// maxDescription is the length of a meta description, in characters:
// what search engines and link previews show.
const maxDescription = 200

var tags = regexp.MustCompile(`<[^>]*>`)

// plainText is an HTML description's text.
func plainText(s string) string {
	return html.UnescapeString(tags.ReplaceAllString(s, " "))
}

// placeDescription is the meta description of a place or event page: the
// lead (where, what, when), then as much of the text as fits, cut at a
// word.
func placeDescription(lead, text string) string {
	s := strings.Join(strings.Fields(lead+" "+text), " ")
	if r := []rune(s); len(r) > maxDescription {
		s = string(r[:maxDescription])
		if i := strings.LastIndexByte(s, ' '); i > maxDescription/2 {
			s = s[:i]
		}
		s = strings.TrimRight(s, " ,.;:") + "…"
	}
	return s
}

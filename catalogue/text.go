package catalogue

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Terms analyses French text for search: it folds case and accents, splits
// on anything that is not a letter or a digit, drops elided articles and
// common stop words, and reduces each word to a light stem, so that
// "Médiathèques" and "mediatheque" give the same term. The same function
// analyses documents and queries. Terms may repeat.
//
// Changing what Terms returns changes the index entries that stores keep:
// bump EntryVersion with it.
func Terms(s string) []string {
	folded := Fold(s)
	var terms []string
	start := -1 // of the current word, or -1 between words
	for i := 0; i <= len(folded); {
		word, size := false, 1
		if i < len(folded) {
			if c := folded[i]; c < utf8.RuneSelf {
				word = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z'
			} else {
				var r rune
				r, size = utf8.DecodeRuneInString(folded[i:])
				word = !notWordRune(r)
			}
		}
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			if w := folded[start:i]; !(len(w) < 2 && !isDigits(w) || stopWords[w]) {
				if terms == nil {
					terms = make([]string, 0, len(folded)/6+1)
				}
				terms = append(terms, stem(w))
			}
			start = -1
		}
		i += size
	}
	return terms
}

func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

func isDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// stem is a light French stemmer in the spirit of Savoy's: it removes
// plural marks and feminine endings, which is what matters for the short
// texts of a directory. It works on folded words.
func stem(w string) string {
	if isDigits(w) {
		return w
	}
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "aux"):
		w = w[:len(w)-3] + "al"
	case len(w) > 3 && (strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x")):
		w = w[:len(w)-1]
	}
	for i := 0; i < 2 && len(w) > 4 && strings.HasSuffix(w, "e"); i++ {
		w = w[:len(w)-1]
	}
	return w
}

// stopWords are folded French words too common to search on.
var stopWords = map[string]bool{
	"le": true, "la": true, "les": true, "un": true, "une": true, "des": true,
	"de": true, "du": true, "au": true, "aux": true, "et": true, "ou": true,
	"en": true, "pour": true, "par": true, "sur": true, "dans": true, "avec": true,
	"qu": true, "que": true, "qui": true, "ce": true, "ces": true, "se": true,
	"sa": true, "son": true, "ses": true, "est": true, "l": true, "d": true,
	"j": true, "n": true, "s": true, "c": true, "m": true, "t": true, "a": true,
}

package server

import "strings"

// skillIDs reads the competence parameter of a place query: skill ids
// (catalogue.Skill), repeated or joined by "|"; "*" is any skill. An id
// that no place offers matches nothing, like an unknown word.
func skillIDs(values []string) []string {
	var out []string
	for _, v := range values {
		for id := range strings.SplitSeq(v, "|") {
			if id = strings.ToLower(strings.TrimSpace(id)); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}

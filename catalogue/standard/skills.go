package standard

import "github.com/maillage/maillage/catalogue"

// A place's skills are two of Maillage's columns: competences, the ids
// ("impression-3d|sites-web"), and competences_libelles, their labels in
// the same order. Reading takes the ids, and the labels when given; an
// import then labels a local place's skills from its instance's list.

func readSkills(b *builder, col string, v value) {
	for _, id := range b.list(col, v, "|;") {
		b.place.Competences = append(b.place.Competences, catalogue.Skill{ID: id})
	}
}

func readSkillLabels(b *builder, col string, v value) {
	for i, label := range b.list(col, v, "|") {
		if i < len(b.place.Competences) {
			b.place.Competences[i].Libelle = label
		}
	}
}

// skillLabels returns the labels of list, in order.
func skillLabels(list []catalogue.Skill) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.Libelle
	}
	return out
}

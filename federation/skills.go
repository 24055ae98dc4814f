package federation

import "github.com/maillage/maillage/catalogue"

// A place's skills (catalogue.Skill) travel under Maillage's namespace:
// "competences" is a list of objects of type "Competence", each with its
// stable id as "code_competence" (a term of ours: "id" would be the
// object's @id in JSON-LD) and its French label as "name". The label is
// always sent, so that a peer whose list lacks the id still shows it.

// skillsToAS is the "competences" value of a place's skills, or nil.
func skillsToAS(list []catalogue.Skill) []any {
	if len(list) == 0 {
		return nil
	}
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = map[string]any{"type": "Competence", "code_competence": s.ID, "name": s.Libelle}
	}
	return out
}

// skillsFromAS reads the "competences" of a place document: one object or
// a list, each with code_competence and name (plain text). Anything else
// is skipped; catalogue.Place.NormalizeRemote then checks each skill.
func skillsFromAS(v any) []catalogue.Skill {
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	var out []catalogue.Skill
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		id, _ := m["code_competence"].(string)
		out = append(out, catalogue.Skill{ID: id, Libelle: line(m, "name")})
	}
	return out
}

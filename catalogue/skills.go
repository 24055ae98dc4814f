package catalogue

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Skill is a competence a place's team offers to other structures (the
// skills map, "cartographie des compétences"): a stable id and a French
// label. Local places choose skills from their instance's list
// (DefaultSkills and the network's additions); a remote place's skills
// keep the label its network sent, so that an id unknown here still
// reads right.
type Skill struct {
	ID      string `json:"id"`
	Libelle string `json:"libelle"`
}

// UnmarshalJSON reads a skill as an object {"id", "libelle"} or as its id
// alone (a string), which the instance's list then labels.
func (s *Skill) UnmarshalJSON(b []byte) error {
	var id string
	if json.Unmarshal(b, &id) == nil {
		*s = Skill{ID: id}
		return nil
	}
	var v struct {
		ID      string `json:"id"`
		Libelle string `json:"libelle"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = Skill(v)
	return nil
}

// DefaultSkills is the shared list every instance starts with. The ids
// are stable: they travel between networks and into exports; a label may
// be reworded.
var DefaultSkills = []Skill{
	{"sites-web", "Création de sites web"},
	{"impression-3d", "Impression 3D"},
	{"decoupe-laser", "Découpe laser et fabrication numérique"},
	{"electronique", "Électronique et Arduino"},
	{"robotique", "Robotique éducative"},
	{"programmation", "Programmation et initiation au code"},
	{"reparation-materiel", "Réparation d'ordinateurs et de smartphones"},
	{"reemploi-materiel", "Reconditionnement et réemploi de matériel"},
	{"logiciels-libres", "Logiciels libres"},
	{"redaction-services-publics", "Rédaction pour les services publics"},
	{"facile-a-lire", "Facile à lire et à comprendre (FALC)"},
	{"accessibilite-numerique", "Accessibilité numérique"},
	{"formation-travailleurs-sociaux", "Formation des travailleurs sociaux"},
	{"formation-mediateurs", "Formation de médiateurs numériques"},
	{"aidants-numeriques", "Accompagnement des aidants (Aidants Connect)"},
	{"cybersecurite", "Cybersécurité et sécurité en ligne"},
	{"donnees-personnelles", "Données personnelles et RGPD"},
	{"video-son", "Vidéo, son et podcast"},
	{"graphisme", "Graphisme et communication visuelle"},
	{"reseaux-sociaux", "Réseaux sociaux et communication en ligne"},
	{"outils-collaboratifs", "Outils collaboratifs"},
	{"donnees-ouvertes", "Données ouvertes et cartographie"},
	{"conception-ateliers", "Conception d'ateliers et de parcours"},
}

// Limits of skills.
const (
	maxSkillID      = 60
	maxSkillLibelle = 120
)

var skillIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// SkillLabel returns the label of id in list, or "".
func SkillLabel(list []Skill, id string) string {
	for _, s := range list {
		if s.ID == id {
			return s.Libelle
		}
	}
	return ""
}

// CheckSkill checks a skill an editor adds to the instance's list: it
// returns nil or a *ValidationError naming id or libelle.
func CheckSkill(s Skill) error {
	bad := problems{}
	s.check(bad, "id", "libelle", true)
	return bad.err()
}

// check adds to bad what is wrong with s, under the fields idField and
// labelField; a label is required when needLabel.
func (s Skill) check(bad problems, idField, labelField string, needLabel bool) {
	switch {
	case !utf8.ValidString(s.ID) || !utf8.ValidString(s.Libelle):
		bad.add(idField, "texte qui n'est pas de l'UTF-8 valide")
	case s.ID == "":
		bad.add(idField, "identifiant de compétence manquant")
	case len(s.ID) > maxSkillID || !skillIDPattern.MatchString(s.ID):
		bad.add(idField, "identifiant de compétence invalide « %s » (lettres minuscules sans accent, chiffres et tirets, %d caractères au plus, ex. impression-3d)", clip(s.ID, 60), maxSkillID)
	case needLabel && s.Libelle == "":
		bad.add(labelField, "libellé manquant pour la compétence « %s »", s.ID)
	}
	bad.maxLen(labelField, s.Libelle, maxSkillLibelle)
}

// normalizeSkills trims ids and labels, writes ids in lower case, drops
// skills without an id and repeated ids, and labels those of
// DefaultSkills that have none.
func normalizeSkills(list []Skill) []Skill {
	var out []Skill
	for _, s := range list {
		s.ID = strings.ToLower(strings.TrimSpace(CleanText(s.ID)))
		s.Libelle = strings.Join(strings.Fields(CleanText(s.Libelle)), " ")
		if s.ID == "" || slices.ContainsFunc(out, func(o Skill) bool { return o.ID == s.ID }) {
			continue
		}
		if s.Libelle == "" {
			s.Libelle = SkillLabel(DefaultSkills, s.ID)
		}
		out = append(out, s)
	}
	return out
}

// validateSkills checks the shape of a place's skills; whether their ids
// are in the instance's list is ResolveSkills's business.
func validateSkills(bad problems, list []Skill) {
	if len(list) > maxListLength {
		bad.add("competences", "trop de valeurs : %d, %d au plus", len(list), maxListLength)
	}
	for _, s := range list {
		s.check(bad, "competences", "competences", false)
	}
}

// ResolveSkills gives the skills of a local place the labels of known,
// the instance's list, and refuses an id the list lacks with a
// *ValidationError naming competences. Another network's place keeps
// its labels: it never goes through ResolveSkills.
func (p *Place) ResolveSkills(known []Skill) error {
	for i, s := range p.Competences {
		label := SkillLabel(known, s.ID)
		if label == "" {
			return &ValidationError{Fields: map[string]string{"competences": fmt.Sprintf(
				"compétence inconnue « %s » : choisissez-la dans la liste de l'instance, ou ajoutez-la d'abord (maillage competence add, ou Administration › Compétences)", clip(s.ID, 60))}}
		}
		p.Competences[i].Libelle = label
	}
	return nil
}

// normalizeRemoteSkills drops the skills of a remote place that cannot be
// kept (a bad id, or no label and an id the default list lacks), and
// reports them.
func normalizeRemoteSkills(list []Skill, dropped []string) ([]Skill, []string) {
	list = normalizeSkills(list)
	out := list[:0:0]
	for _, s := range list {
		bad := problems{}
		s.check(bad, "competences", "competences", true)
		if len(bad) > 0 {
			dropped = append(dropped, "competences : "+bad["competences"]+" ; ignorée")
			continue
		}
		out = append(out, s)
	}
	return out, dropped
}

// SkillIDs returns the ids of list, in order.
func SkillIDs(list []Skill) []string {
	ids := make([]string, len(list))
	for i, s := range list {
		ids[i] = s.ID
	}
	return ids
}

// AnySkill, in PlaceQuery.Competences, matches every place that offers
// at least one skill, whatever its network's list.
const AnySkill = "*"

// skillTerm is the index term of a skill id: a colon never appears in
// the terms of text (Terms), so it cannot be found by a word.
func skillTerm(id string) string { return "competence:" + id }

// uniteSkills appends to a the skills of b whose ids it lacks; a is
// copied, not changed.
func uniteSkills(a, b []Skill) []Skill {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.ContainsFunc(out, func(o Skill) bool { return o.ID == s.ID }) {
			out = append(out, s)
		}
	}
	return out
}

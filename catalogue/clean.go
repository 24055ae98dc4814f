package catalogue

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// CleanText removes from s what has no place in stored text, whoever
// sent it: NUL and the other control characters (tab and line breaks
// excepted), and the bidirectional embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069) with which a name displays reversed or
// hides what follows it. Text that is not valid UTF-8 is returned as it
// is, for Validate to report with the field's name: it is never silently
// replaced (and removing a character between two invalid bytes could
// join them into a valid one).
func CleanText(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return s
		}
		if stripped(r) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s // the common case: nothing to remove, no allocation
	}
	if !utf8.ValidString(s[i:]) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !stripped(r) {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// stripped tells whether CleanText removes the rune r.
func stripped(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r':
		return false
	case r < 0x20, r >= 0x7f && r < 0xa0: // C0, DEL, C1
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi embeddings, overrides, isolates
		return true
	}
	return false
}

// field is a text field of a record and its name, for checkUTF8.
type field struct{ name, v string }

// listField is a list field of a record and its name.
type listField struct {
	name string
	v    []string
}

// checkUTF8 reports, under its name, each field whose text is not valid
// UTF-8.
func (p problems) checkUTF8(fields []field, lists []listField) {
	for _, f := range fields {
		if !utf8.ValidString(f.v) {
			p.add(f.name, "%s", invalidUTF8(f.v))
		}
	}
	for _, l := range lists {
		for _, v := range l.v {
			if !utf8.ValidString(v) {
				p.add(l.name, "%s", invalidUTF8(v))
				break
			}
		}
	}
}

func invalidUTF8(v string) string {
	at := 0
	for at < len(v) {
		r, size := utf8.DecodeRuneInString(v[at:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		at += size
	}
	return fmt.Sprintf("texte mal encodé : octet 0x%02X invalide en UTF-8 à la position %d (enregistrez le fichier ou la page en UTF-8)", v[at], at+1)
}

// InvalidUTF8Field finds the first string of a JSON document that is not
// valid UTF-8 (encoding/json would silently replace its bytes with
// U+FFFD), and returns the name of the member it is in, or of the last
// member named before it; ok is false when every string is valid. A
// caller answers a clear refusal naming the field instead of storing a
// replaced text.
func InvalidUTF8Field(data []byte) (field string, ok bool) {
	if utf8.Valid(data) {
		return "", false
	}
	var last string // the last complete string, a member's name if ':' follows
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case ':':
			field = last
		case '"':
			start := i + 1
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			s := data[start:min(i, len(data))]
			if !utf8.Valid(s) {
				if j := skipSpace(data, i+1); j < len(data) && data[j] == ':' {
					field = string(s) // the member's name itself
				}
				if field == "" {
					field = "(document)"
				}
				return strings.ToValidUTF8(field, "?"), true
			}
			last = string(s)
		}
	}
	return "(document)", true // invalid outside strings: not even JSON
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// checkUTF8 reports each text field of p that is not valid UTF-8.
func (p *Place) checkUTF8(bad problems) {
	bad.checkUTF8([]field{{"pivot", p.Pivot}, {"nom", p.Nom}, {"adresse", p.Adresse}, {"complement_adresse", p.ComplementAdresse},
		{"code_postal", p.CodePostal}, {"commune", p.Commune}, {"code_insee", p.CodeINSEE}, {"telephone", p.Telephone},
		{"horaires", p.Horaires}, {"presentation_resume", p.PresentationResume}, {"presentation_detail", p.PresentationDetail},
		{"source", p.Source}, {"structure_parente", p.StructureParente}, {"fiche_acces_libre", p.FicheAccesLibre},
		{"prise_rdv", p.PriseRDV}, {"date_maj", p.DateMaj}},
		[]listField{{"typologie", p.Typologie}, {"courriels", p.Courriels}, {"site_web", p.SiteWeb},
			{"services", p.Services}, {"publics_specifiquement_adresses", p.Publics}, {"prise_en_charge_specifique", p.PriseEnCharge},
			{"frais_a_charge", p.Frais}, {"dispositif_programmes_nationaux", p.Dispositifs}, {"formations_labels", p.FormationsLabels},
			{"autres_formations_labels", p.AutresLabels}, {"modalites_acces", p.ModalitesAcces},
			{"modalites_accompagnement", p.ModalitesAccompagnement}, {"itinerance", p.Itinerance},
			{"champs_intervention", p.ChampsIntervention}, {"equipements", p.Equipements}})
}

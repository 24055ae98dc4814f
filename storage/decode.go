package storage

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/maillage/maillage/catalogue"
)

// decodePlace decodes a stored place as json.Unmarshal does, several times
// faster. The fast path reads the JSON that json.Marshal writes for a
// catalogue.Place; anything else (an unknown, repeated or differently
// cased key, a value of another type, an escape it does not handle, bad
// syntax) makes it start again with json.Unmarshal.
func decodePlace(data []byte, p *catalogue.Place) error {
	if decodePlaceFast(data, p) {
		return nil
	}
	*p = catalogue.Place{}
	return json.Unmarshal(data, p)
}

// decodeEvent decodes a stored event as decodePlace does a place.
func decodeEvent(data []byte, e *catalogue.Event) error {
	if decodeEventFast(data, e) {
		return nil
	}
	*e = catalogue.Event{}
	return json.Unmarshal(data, e)
}

func decodePlaceFast(data []byte, p *catalogue.Place) bool {
	d := decoder{b: data}
	var seen uint64
	ok := d.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return d.once(&seen, 0) && d.str(&p.ID)
		case "ap_id":
			return d.once(&seen, 1) && d.str(&p.APID)
		case "network":
			return d.once(&seen, 2) && d.network(&p.Network)
		case "updated":
			return d.once(&seen, 3) && d.time(&p.Updated)
		case "published":
			return d.once(&seen, 41) && d.time(&p.Published)
		case "horaires_erreur":
			return d.once(&seen, 4) && d.str(&p.HoursError)
		case "distance_km":
			return d.once(&seen, 5) && d.float(&p.DistanceKm)
		case "pivot":
			return d.once(&seen, 6) && d.str(&p.Pivot)
		case "nom":
			return d.once(&seen, 7) && d.str(&p.Nom)
		case "adresse":
			return d.once(&seen, 8) && d.str(&p.Adresse)
		case "complement_adresse":
			return d.once(&seen, 9) && d.str(&p.ComplementAdresse)
		case "code_postal":
			return d.once(&seen, 10) && d.str(&p.CodePostal)
		case "commune":
			return d.once(&seen, 11) && d.str(&p.Commune)
		case "code_insee":
			return d.once(&seen, 12) && d.str(&p.CodeINSEE)
		case "latitude":
			return d.once(&seen, 13) && d.float(&p.Latitude)
		case "longitude":
			return d.once(&seen, 14) && d.float(&p.Longitude)
		case "typologie":
			return d.once(&seen, 15) && d.strs(&p.Typologie)
		case "telephone":
			return d.once(&seen, 16) && d.str(&p.Telephone)
		case "courriels":
			return d.once(&seen, 17) && d.strs(&p.Courriels)
		case "site_web":
			return d.once(&seen, 18) && d.strs(&p.SiteWeb)
		case "horaires":
			return d.once(&seen, 19) && d.str(&p.Horaires)
		case "presentation_resume":
			return d.once(&seen, 20) && d.str(&p.PresentationResume)
		case "presentation_detail":
			return d.once(&seen, 21) && d.str(&p.PresentationDetail)
		case "source":
			return d.once(&seen, 22) && d.str(&p.Source)
		case "structure_parente":
			return d.once(&seen, 23) && d.str(&p.StructureParente)
		case "services":
			return d.once(&seen, 24) && d.strs(&p.Services)
		case "publics_specifiquement_adresses":
			return d.once(&seen, 25) && d.strs(&p.Publics)
		case "prise_en_charge_specifique":
			return d.once(&seen, 26) && d.strs(&p.PriseEnCharge)
		case "frais_a_charge":
			return d.once(&seen, 27) && d.strs(&p.Frais)
		case "dispositif_programmes_nationaux":
			return d.once(&seen, 28) && d.strs(&p.Dispositifs)
		case "formations_labels":
			return d.once(&seen, 29) && d.strs(&p.FormationsLabels)
		case "autres_formations_labels":
			return d.once(&seen, 30) && d.strs(&p.AutresLabels)
		case "modalites_acces":
			return d.once(&seen, 31) && d.strs(&p.ModalitesAcces)
		case "modalites_accompagnement":
			return d.once(&seen, 32) && d.strs(&p.ModalitesAccompagnement)
		case "itinerance":
			return d.once(&seen, 33) && d.strs(&p.Itinerance)
		case "fiche_acces_libre":
			return d.once(&seen, 34) && d.str(&p.FicheAccesLibre)
		case "prise_rdv":
			return d.once(&seen, 35) && d.str(&p.PriseRDV)
		case "date_maj":
			return d.once(&seen, 36) && d.str(&p.DateMaj)
		case "champs_intervention":
			return d.once(&seen, 37) && d.strs(&p.ChampsIntervention)
		case "equipements":
			return d.once(&seen, 38) && d.strs(&p.Equipements)
		case "position_approximative":
			return d.once(&seen, 39) && d.bool(&p.PositionApproximative)
		case "a_completer":
			return d.once(&seen, 40) && d.strs(&p.ACompleter)
		case "competences":
			return d.once(&seen, 50) && d.skills(&p.Competences)
		}
		return false
	})
	return ok && d.end()
}

func decodeEventFast(data []byte, e *catalogue.Event) bool {
	d := decoder{b: data}
	var seen uint64
	ok := d.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return d.once(&seen, 0) && d.str(&e.ID)
		case "ap_id":
			return d.once(&seen, 1) && d.str(&e.APID)
		case "network":
			return d.once(&seen, 2) && d.network(&e.Network)
		case "updated":
			return d.once(&seen, 3) && d.time(&e.Updated)
		case "published":
			return d.once(&seen, 16) && d.time(&e.Published)
		case "nom":
			return d.once(&seen, 4) && d.str(&e.Nom)
		case "description":
			return d.once(&seen, 5) && d.str(&e.Description)
		case "debut":
			return d.once(&seen, 6) && d.time(&e.Debut)
		case "fin":
			return d.once(&seen, 7) && d.time(&e.Fin)
		case "lieu":
			return d.once(&seen, 8) && d.str(&e.Lieu)
		case "services":
			return d.once(&seen, 9) && d.strs(&e.Services)
		case "publics":
			return d.once(&seen, 10) && d.strs(&e.Publics)
		case "inscription":
			return d.once(&seen, 11) && d.str(&e.Inscription)
		case "capacite":
			return d.once(&seen, 12) && d.int(&e.Capacite)
		case "frais_a_charge":
			return d.once(&seen, 13) && d.strs(&e.Frais)
		case "statut":
			return d.once(&seen, 14) && d.str(&e.Statut)
		case "recurrence":
			return d.once(&seen, 15) && d.str(&e.Recurrence)
		case "etape":
			return d.once(&seen, 42) && d.stop(&e.Etape)
		}
		return false
	})
	return ok && d.end()
}

// decoder reads the JSON of a record. Its methods report false for
// anything the fast path does not handle; the record is then decoded again
// with json.Unmarshal. A null leaves the field at its zero value, as
// json.Unmarshal does for a field seen once in a new value.
type decoder struct {
	b []byte
	i int
}

func (d *decoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// next skips spaces and consumes c if it comes next.
func (d *decoder) next(c byte) bool {
	d.space()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// end reports whether nothing but spaces is left.
func (d *decoder) end() bool {
	d.space()
	return d.i == len(d.b)
}

// once sets the bit of a field, or reports false if the field came before.
func (d *decoder) once(seen *uint64, bit uint) bool {
	if *seen&(1<<bit) != 0 {
		return false
	}
	*seen |= 1 << bit
	return true
}

func (d *decoder) null() bool {
	d.space()
	if len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "null" {
		d.i += 4
		return true
	}
	return false
}

// object reads an object, calling field with each key (without escapes),
// which must read the value.
func (d *decoder) object(field func(key []byte) bool) bool {
	if !d.next('{') {
		return false
	}
	if d.next('}') {
		return true
	}
	for {
		key, ok := d.plainString()
		if !ok || !d.next(':') || !field(key) {
			return false
		}
		if d.next('}') {
			return true
		}
		if !d.next(',') {
			return false
		}
	}
}

// plainString reads a string without escapes, and returns it in place.
func (d *decoder) plainString() ([]byte, bool) {
	if !d.next('"') {
		return nil, false
	}
	start := d.i
	for d.i < len(d.b) {
		switch c := d.b[d.i]; {
		case c == '"':
			d.i++
			return d.b[start : d.i-1], true
		case c == '\\' || c < 0x20:
			return nil, false
		}
		d.i++
	}
	return nil, false
}

func (d *decoder) str(s *string) bool {
	if d.null() {
		return true
	}
	if !d.next('"') {
		return false
	}
	start, ascii := d.i, true
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			raw := d.b[start:d.i]
			d.i++
			if !ascii && !utf8.Valid(raw) {
				return false // json.Unmarshal replaces the bad bytes
			}
			*s = string(raw)
			return true
		case c == '\\':
			return d.escaped(start, s)
		case c < 0x20:
			return false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		d.i++
	}
	return false
}

// escaped finishes reading a string that has escapes, from its start.
func (d *decoder) escaped(start int, s *string) bool {
	out := make([]byte, 0, d.i-start+32)
	out = append(out, d.b[start:d.i]...)
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			if !utf8.Valid(out) {
				return false
			}
			*s = string(out)
			return true
		case c < 0x20:
			return false
		case c != '\\':
			out = append(out, c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.b) {
			return false
		}
		switch e := d.b[d.i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if d.i+6 > len(d.b) {
				return false
			}
			r, err := strconv.ParseUint(string(d.b[d.i+2:d.i+6]), 16, 32)
			if err != nil || r >= 0xD800 && r < 0xE000 {
				return false // surrogates: left to json.Unmarshal
			}
			out = utf8.AppendRune(out, rune(r))
			d.i += 6
			continue
		default:
			return false
		}
		d.i += 2
	}
	return false
}

func (d *decoder) strs(list *[]string) bool {
	if d.null() {
		return true
	}
	if !d.next('[') {
		return false
	}
	out := []string{} // json.Unmarshal makes [] an empty slice, not nil
	if d.next(']') {
		*list = out
		return true
	}
	for {
		var s string
		d.space()
		if d.i < len(d.b) && d.b[d.i] != '"' {
			return false // null or another type
		}
		if !d.str(&s) {
			return false
		}
		out = append(out, s)
		if d.next(']') {
			*list = out
			return true
		}
		if !d.next(',') {
			return false
		}
	}
}

// number returns a JSON number in place.
func (d *decoder) number() ([]byte, bool) {
	d.space()
	start := d.i
	digits := func() bool {
		n := d.i
		for d.i < len(d.b) && '0' <= d.b[d.i] && d.b[d.i] <= '9' {
			d.i++
		}
		return d.i > n
	}
	if d.i < len(d.b) && d.b[d.i] == '-' {
		d.i++
	}
	if d.i < len(d.b) && d.b[d.i] == '0' {
		d.i++
	} else if !digits() {
		return nil, false
	}
	if d.i < len(d.b) && d.b[d.i] == '.' {
		d.i++
		if !digits() {
			return nil, false
		}
	}
	if d.i < len(d.b) && (d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		d.i++
		if d.i < len(d.b) && (d.b[d.i] == '+' || d.b[d.i] == '-') {
			d.i++
		}
		if !digits() {
			return nil, false
		}
	}
	return d.b[start:d.i], true
}

func (d *decoder) float(f **float64) bool {
	if d.null() {
		return true
	}
	n, ok := d.number()
	if !ok {
		return false
	}
	v, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		return false
	}
	*f = &v
	return true
}

func (d *decoder) int(i **int) bool {
	if d.null() {
		return true
	}
	n, ok := d.number()
	if !ok {
		return false
	}
	v, err := strconv.ParseInt(string(n), 10, strconv.IntSize)
	if err != nil {
		return false
	}
	k := int(v)
	*i = &k
	return true
}

func (d *decoder) bool(b *bool) bool {
	if d.null() {
		return true
	}
	switch {
	case len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "true":
		*b = true
		d.i += 4
	case len(d.b)-d.i >= 5 && string(d.b[d.i:d.i+5]) == "false":
		*b = false
		d.i += 5
	default:
		return false
	}
	return true
}

// time reads a time as time.Time's UnmarshalJSON does, which json.Unmarshal
// calls with the string and its quotes.
func (d *decoder) time(t *time.Time) bool {
	if d.null() {
		return true
	}
	d.space()
	start := d.i
	if _, ok := d.plainString(); !ok {
		return false
	}
	return t.UnmarshalJSON(d.b[start:d.i]) == nil
}

// skills reads a list of skills, each an object {"id", "libelle"}.
func (d *decoder) skills(list *[]catalogue.Skill) bool {
	if d.null() {
		return true
	}
	if !d.next('[') {
		return false
	}
	out := []catalogue.Skill{}
	if d.next(']') {
		*list = out
		return true
	}
	for {
		var sk catalogue.Skill
		var seen uint64
		ok := d.object(func(key []byte) bool {
			switch string(key) {
			case "id":
				return d.once(&seen, 0) && d.str(&sk.ID)
			case "libelle":
				return d.once(&seen, 1) && d.str(&sk.Libelle)
			}
			return false
		})
		if !ok {
			return false
		}
		out = append(out, sk)
		if d.next(']') {
			*list = out
			return true
		}
		if !d.next(',') {
			return false
		}
	}
}

func (d *decoder) network(n *catalogue.Network) bool {
	if d.null() {
		return true
	}
	var seen uint64
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "name":
			return d.once(&seen, 0) && d.str(&n.Name)
		case "actor":
			return d.once(&seen, 1) && d.str(&n.Actor)
		case "local":
			return d.once(&seen, 2) && d.bool(&n.Local)
		case "via":
			return d.once(&seen, 3) && d.str(&n.Via)
		}
		return false
	})
}

// stop reads an event's stop; its fields have bits 43 to 50.
func (d *decoder) stop(s **catalogue.Stop) bool {
	if d.null() {
		return true
	}
	st := &catalogue.Stop{}
	var seen uint64
	ok := d.object(func(key []byte) bool {
		switch string(key) {
		case "nom":
			return d.once(&seen, 43) && d.str(&st.Nom)
		case "adresse":
			return d.once(&seen, 44) && d.str(&st.Adresse)
		case "code_postal":
			return d.once(&seen, 45) && d.str(&st.CodePostal)
		case "commune":
			return d.once(&seen, 46) && d.str(&st.Commune)
		case "code_insee":
			return d.once(&seen, 47) && d.str(&st.CodeINSEE)
		case "latitude":
			return d.once(&seen, 48) && d.float(&st.Latitude)
		case "longitude":
			return d.once(&seen, 49) && d.float(&st.Longitude)
		case "position_approximative":
			return d.once(&seen, 50) && d.bool(&st.PositionApproximative)
		}
		return false
	})
	*s = st
	return ok
}

package catalogue

import (
	"fmt"
	"math"
	"strings"
	"unicode"
)

// One physical place may be published by several networks (a médiathèque
// listed by its département's network and by its region's). SamePlace
// decides whether two records describe the same place; the rules are
// strict on purpose, since a wrong merge hides a place from the public:
//
//   - two valid, different pivots (SIRET or RNA) are two structures;
//   - equal valid pivots are one place when they are in the same commune
//     (a SIRET is per establishment; a head office's number reused by
//     its branches in other communes is common in real files);
//   - otherwise, same commune, names alike, and either both located and
//     at most 100 m apart with streets alike, or the same street address
//     when coordinates are missing.
//
// "00000000000000", the standard's "unknown", is no pivot.

// maxSameDistanceKm is how far apart two records of one place may be.
const maxSameDistanceKm = 0.1

// SamePlace says whether a and b describe the same physical place.
func SamePlace(a, b *Place) bool {
	if !sameCommune(a, b) {
		return false
	}
	pa, pb := validPivot(a.Pivot), validPivot(b.Pivot)
	switch {
	case pa != "" && pb != "" && pa != pb:
		return false
	case pa != "" && pa == pb:
		return true
	}
	if !similarNames(a.Nom, b.Nom) {
		return false
	}
	if a.Latitude != nil && a.Longitude != nil && b.Latitude != nil && b.Longitude != nil && !a.PositionApproximative && !b.PositionApproximative {
		d := DistanceKm(LatLon{*a.Latitude, *a.Longitude}, LatLon{*b.Latitude, *b.Longitude})
		return d <= maxSameDistanceKm && similarStreets(a.Adresse, b.Adresse)
	}
	sa, sb := streetKey(a.Adresse), streetKey(b.Adresse)
	return sa != "" && sa == sb
}

// validPivot is the pivot without spaces, or "" when it says nothing.
func validPivot(p string) string {
	p = strings.ToUpper(strings.Join(strings.Fields(p), ""))
	if strings.Trim(p, "0") == "" {
		return ""
	}
	return p
}

func sameCommune(a, b *Place) bool {
	if a.CodeINSEE != "" && b.CodeINSEE != "" {
		return a.CodeINSEE == b.CodeINSEE
	}
	return a.CodePostal == b.CodePostal && nameKey(a.Commune) == nameKey(b.Commune) && a.Commune != ""
}

// nameStopWords are left out when comparing names: articles and the
// words every name of a kind shares are no evidence.
var nameStopWords = map[string]bool{
	"de": true, "du": true, "des": true, "la": true, "le": true, "les": true, "l": true, "d": true,
	"et": true, "a": true, "au": true, "aux": true, "en": true, "sur": true,
}

// nameWords are the significant words of a name, folded.
func nameWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if !nameStopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

func nameKey(s string) string { return strings.Join(nameWords(s), " ") }

// similarNames: equal after folding, one contained in the other
// ("Médiathèque Ceccano" and "Médiathèque Ceccano d'Avignon"), or words
// that mostly match, a typo allowed per word.
func similarNames(a, b string) bool {
	wa, wb := nameWords(a), nameWords(b)
	if len(wa) == 0 || len(wb) == 0 {
		return false
	}
	ka, kb := strings.Join(wa, " "), strings.Join(wb, " ")
	if ka == kb || containsWords(wa, wb) || containsWords(wb, wa) {
		return true
	}
	matched := 0
	for _, x := range wa {
		for _, y := range wb {
			if closeWords(x, y) {
				matched++
				break
			}
		}
	}
	return matched*4 >= 3*max(len(wa), len(wb)) // three words in four at least
}

// containsWords says whether every word of small is in big, in order.
func containsWords(big, small []string) bool {
	if len(small) < 2 { // one shared word ("Médiathèque") proves nothing
		return false
	}
	i := 0
	for _, w := range big {
		if i < len(small) && w == small[i] {
			i++
		}
	}
	return i == len(small)
}

// closeWords: equal, or one edit apart for words of five letters or more.
func closeWords(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) < 5 || len(b) < 5 {
		return false
	}
	return editDistanceAtMost1(a, b)
}

func editDistanceAtMost1(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return a[i+1:] == b[i+1:] || i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return a[i:] == b[i+1:]
}

// streetAbbreviations expand what real files abbreviate.
var streetAbbreviations = map[string]string{
	"av": "avenue", "ave": "avenue", "bd": "boulevard", "bld": "boulevard", "bvd": "boulevard",
	"pl": "place", "r": "rue", "rte": "route", "ch": "chemin", "imp": "impasse", "all": "allee",
	"crs": "cours", "fg": "faubourg", "st": "saint", "ste": "sainte", "sq": "square", "qu": "quai",
}

// streetKey is a street address folded, its abbreviations expanded and
// its number kept ("12 bd de la Liberté" = "12, boulevard Liberté").
func streetKey(s string) string {
	var out []string
	for _, w := range strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if full, ok := streetAbbreviations[w]; ok {
			w = full
		}
		if !nameStopWords[w] {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// similarStreets: no street on either side (coordinates decided), or the
// same number and street words alike.
func similarStreets(a, b string) bool {
	ka, kb := streetKey(a), streetKey(b)
	if ka == "" || kb == "" || ka == kb {
		return true
	}
	na, nb := leadingNumber(ka), leadingNumber(kb)
	if na != "" && nb != "" && na != nb {
		return false
	}
	return similarNames(strings.TrimPrefix(ka, na), strings.TrimPrefix(kb, nb))
}

func leadingNumber(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

// Source is one network's record of a place shown merged.
type Source struct {
	Network Network `json:"network"`
	APID    string  `json:"ap_id"`
	ID      string  `json:"id"`
	Updated string  `json:"updated"`
}

// MergePlaces merges the records of one physical place. The merged place
// starts from its representative record: the local one when there is one
// (this instance's own, which only its editors change), else the most
// recently updated one. Fields the representative leaves empty take the
// value of the most recently updated record that has one, and lists are
// united (in order of recency), except that with a local record its name,
// telephone, e-mails, web sites, hours and booking link are shown as they
// are, even empty: another network's record never changes them on the
// instance that owns the place. FieldSources names, for each field whose
// records disagree, the records the value shown comes from. sources lists
// the records, newest first. records must not be empty; they are not
// changed.
func MergePlaces(records []*Place) (*Place, []Source) {
	sorted := append([]*Place(nil), records...)
	for i := 1; i < len(sorted); i++ { // newest first; few records
		for j := i; j > 0 && sorted[j].Updated.After(sorted[j-1].Updated); j-- {
			sorted[j], sorted[j-1] = sorted[j-1], sorted[j]
		}
	}
	sources := make([]Source, 0, len(sorted))
	for _, r := range sorted {
		sources = append(sources, Source{Network: r.Network, APID: r.APID, ID: r.ID, Updated: r.Updated.UTC().Format("2006-01-02T15:04:05Z07:00")})
	}
	order := sorted
	for i, r := range sorted {
		if r.Network.Local {
			order = append([]*Place{r}, append(append([]*Place(nil), sorted[:i]...), sorted[i+1:]...)...)
			break
		}
	}
	rep := order[0]
	local := rep.Network.Local
	m := *rep
	m.FieldSources = nil
	for _, f := range mergedText {
		shown, from := *f.of(rep), rep
		if !local || !ownerFields[f.name] {
			for _, r := range order[1:] {
				if v := *f.of(r); emptyValue(shown) && !emptyValue(v) {
					shown, from = v, r
				}
			}
		}
		*f.of(&m) = shown
		for _, r := range order {
			if v := *f.of(r); !emptyValue(v) && v != shown {
				m.setFieldSource(f.name, from.APID)
				break
			}
		}
	}
	if m.Latitude == nil || m.PositionApproximative { // a record placed on a map wins over a commune's centre
		for _, r := range order[1:] {
			if r.Latitude != nil && r.Longitude != nil && (m.Latitude == nil || !r.PositionApproximative) {
				m.Latitude, m.Longitude, m.PositionApproximative = r.Latitude, r.Longitude, r.PositionApproximative
				if !r.PositionApproximative {
					break
				}
			}
		}
	}
	for _, f := range mergedLists {
		shown := append([]string(nil), *f.of(rep)...)
		var from []string
		if len(shown) > 0 {
			from = []string{rep.APID}
		}
		if !local || !ownerFields[f.name] {
			for _, r := range order[1:] {
				n := len(shown)
				if shown = unite(shown, *f.of(r)); len(shown) > n {
					from = append(from, r.APID)
				}
			}
		}
		*f.of(&m) = shown
		for _, r := range order {
			if v := *f.of(r); len(v) > 0 && !sameSet(v, shown) {
				if len(from) == 0 {
					from = []string{rep.APID}
				}
				for _, apid := range from {
					m.setFieldSource(f.name, apid)
				}
				break
			}
		}
	}
	m.Competences = nil
	for _, r := range order {
		m.Competences = uniteSkills(m.Competences, r.Competences)
	}
	return &m, sources
}

// ownerFields are what only the owner of a place says of it on its own
// instance: a look-alike from another network cannot change them there.
var ownerFields = map[string]bool{
	"nom": true, "telephone": true, "courriels": true, "site_web": true, "horaires": true, "prise_rdv": true,
}

// mergedText and mergedLists are the fields MergePlaces merges, with
// their names in the standard.
var (
	mergedText = []struct {
		name string
		of   func(*Place) *string
	}{
		{"pivot", func(p *Place) *string { return &p.Pivot }},
		{"nom", func(p *Place) *string { return &p.Nom }},
		{"adresse", func(p *Place) *string { return &p.Adresse }},
		{"complement_adresse", func(p *Place) *string { return &p.ComplementAdresse }},
		{"code_postal", func(p *Place) *string { return &p.CodePostal }},
		{"commune", func(p *Place) *string { return &p.Commune }},
		{"code_insee", func(p *Place) *string { return &p.CodeINSEE }},
		{"telephone", func(p *Place) *string { return &p.Telephone }},
		{"horaires", func(p *Place) *string { return &p.Horaires }},
		{"presentation_resume", func(p *Place) *string { return &p.PresentationResume }},
		{"presentation_detail", func(p *Place) *string { return &p.PresentationDetail }},
		{"source", func(p *Place) *string { return &p.Source }},
		{"structure_parente", func(p *Place) *string { return &p.StructureParente }},
		{"fiche_acces_libre", func(p *Place) *string { return &p.FicheAccesLibre }},
		{"prise_rdv", func(p *Place) *string { return &p.PriseRDV }},
		{"date_maj", func(p *Place) *string { return &p.DateMaj }},
	}
	mergedLists = []struct {
		name string
		of   func(*Place) *[]string
	}{
		{"typologie", func(p *Place) *[]string { return &p.Typologie }},
		{"courriels", func(p *Place) *[]string { return &p.Courriels }},
		{"site_web", func(p *Place) *[]string { return &p.SiteWeb }},
		{"services", func(p *Place) *[]string { return &p.Services }},
		{"publics_specifiquement_adresses", func(p *Place) *[]string { return &p.Publics }},
		{"prise_en_charge_specifique", func(p *Place) *[]string { return &p.PriseEnCharge }},
		{"frais_a_charge", func(p *Place) *[]string { return &p.Frais }},
		{"dispositif_programmes_nationaux", func(p *Place) *[]string { return &p.Dispositifs }},
		{"formations_labels", func(p *Place) *[]string { return &p.FormationsLabels }},
		{"autres_formations_labels", func(p *Place) *[]string { return &p.AutresLabels }},
		{"modalites_acces", func(p *Place) *[]string { return &p.ModalitesAcces }},
		{"modalites_accompagnement", func(p *Place) *[]string { return &p.ModalitesAccompagnement }},
		{"itinerance", func(p *Place) *[]string { return &p.Itinerance }},
		{"champs_intervention", func(p *Place) *[]string { return &p.ChampsIntervention }},
		{"equipements", func(p *Place) *[]string { return &p.Equipements }},
	}
)

// emptyValue says whether a text field says nothing; "00000000000000" is
// the standard's unknown pivot.
func emptyValue(v string) bool { return v == "" || v == "00000000000000" }

// setFieldSource records that the value of field shown comes (in part)
// from the record apid.
func (p *Place) setFieldSource(field, apid string) {
	if p.FieldSources == nil {
		p.FieldSources = map[string][]string{}
	}
	for _, a := range p.FieldSources[field] {
		if a == apid {
			return
		}
	}
	p.FieldSources[field] = append(p.FieldSources[field], apid)
}

// sameSet says whether a and b hold the same values.
func sameSet(a, b []string) bool {
	if len(unite(a, b)) != len(a) {
		return false
	}
	return len(unite(b, a)) == len(b)
}

// unite appends to a the values of b it lacks, keeping a's order; a is
// copied, not changed.
func unite(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, v := range b {
		found := false
		for _, w := range out {
			if w == v {
				found = true
				break
			}
		}
		if !found {
			out = append(out, v)
		}
	}
	return out
}

// MatchKeys are keys under which a store files p so that it can find the
// records SamePlace may match without comparing p with every place: every
// record that SamePlace(p, q) accepts shares at least one key of
// MatchKeys(p) with MatchKeys(q) when looked up by MatchLookups(p). The
// keys are the valid pivot, the cell of a grid of about 200 m that holds
// the coordinates, and the département with the folded street address.
func MatchKeys(p *Place) []string {
	var keys []string
	if v := validPivot(p.Pivot); v != "" {
		keys = append(keys, "v/"+v)
	}
	if p.Latitude != nil && p.Longitude != nil && !p.PositionApproximative { // a commune's centre says nothing
		la, lo := matchCell(*p.Latitude, *p.Longitude)
		keys = append(keys, fmt.Sprintf("c/%d:%d", la, lo))
	}
	if k := streetKey(p.Adresse); k != "" {
		keys = append(keys, "a/"+p.Departement()+"/"+k)
	}
	return keys
}

// MatchLookups are the keys to look up to find the records that may
// describe the same place as p: its own MatchKeys and the eight grid cells
// around its own, as a record 100 m away may be in the next cell.
func MatchLookups(p *Place) []string {
	var keys []string
	if v := validPivot(p.Pivot); v != "" {
		keys = append(keys, "v/"+v)
	}
	if p.Latitude != nil && p.Longitude != nil && !p.PositionApproximative { // a commune's centre says nothing
		la, lo := matchCell(*p.Latitude, *p.Longitude)
		for i := la - 1; i <= la+1; i++ {
			for j := lo - 1; j <= lo+1; j++ {
				keys = append(keys, fmt.Sprintf("c/%d:%d", i, j))
			}
		}
	}
	if k := streetKey(p.Adresse); k != "" {
		keys = append(keys, "a/"+p.Departement()+"/"+k)
	}
	return keys
}

// matchCellDeg is the side of a grid cell in degrees: 222 m of latitude,
// and more than maxSameDistanceKm of longitude below 63° of latitude
// (every French territory), so that two points 100 m apart are in the
// same or adjacent cells.
const matchCellDeg = 0.002

func matchCell(lat, lon float64) (int64, int64) {
	return int64(math.Floor(lat / matchCellDeg)), int64(math.Floor(lon / matchCellDeg))
}

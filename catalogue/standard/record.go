package standard

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maillage/maillage/catalogue"
)

// value is one cell of a CSV row or one value of a JSON object.
type value struct {
	text   string
	list   []string // a JSON array of scalars
	isList bool
	isNum  bool           // a JSON number
	object map[string]any // a JSON object (the national API's adresse)
}

func (v value) empty() bool {
	return v.object == nil && strings.TrimSpace(v.text) == "" && len(v.list) == 0
}

// rawRow is a record as read, by canonical column name.
type rawRow map[string]value

// placeholderPivot is the standard's "unknown" pivot.
const placeholderPivot = "00000000000000"

// maxResume is the standard's maxLength of presentation_resume (500 in
// v0.1, 280 since v1).
const maxResume = 280

// builder turns one rawRow into a place, collecting problems and
// warnings.
type builder struct {
	at       Issue // where the record is
	today    string
	place    *catalogue.Place
	id       string
	problems map[string]string
	warnings []Issue
	sets     map[string]bool // Place fields given by the file
	extra    []string        // lines kept as free text in presentation_detail
	dated    bool            // the file gave a date_maj
	// noColumn lists the fields no column of the file gives, said once
	// for the file rather than for each record.
	noColumn map[string]bool
	days     map[string]string // per-day hours pseudo-columns, by name
}

func newBuilder(at Issue, today string) *builder {
	return &builder{at: at, today: today, place: &catalogue.Place{}, problems: map[string]string{}, sets: map[string]bool{}}
}

func (b *builder) problem(field, reason string) {
	if _, seen := b.problems[field]; !seen {
		b.problems[field] = reason
	}
}

func (b *builder) warn(field, reason string) {
	w := b.at
	w.ID, w.Field, w.Reason = b.id, field, reason
	b.warnings = append(b.warnings, w)
}

// build reads the columns of row in the order of columns, then completes,
// normalises and validates the place.
func (b *builder) build(row rawRow) {
	if v, ok := row["id"]; ok {
		readID(b, "id", v) // first, so that every warning names the id
	}
	for i := range columns {
		c := &columns[i]
		v, ok := row[c.name]
		if !ok || c.name == "id" {
			continue
		}
		for _, f := range c.sets {
			b.sets[f] = true
		}
		c.read(b, c.name, v)
	}
	b.readPseudo(row)
	b.finish()
}

func (b *builder) finish() {
	p := b.place
	if strings.TrimSpace(p.Pivot) == "" {
		p.Pivot = placeholderPivot
		b.sets["pivot"] = true
		b.warn("pivot", "absent : "+placeholderPivot+" (inconnu) utilisé")
	}
	if strings.TrimSpace(p.DateMaj) == "" {
		p.DateMaj = b.today
		if !b.noColumn["date_maj"] {
			b.warn("date_maj", "absente : date du jour utilisée ("+b.today+")")
		}
	} else {
		b.dated = true
	}
	b.splitAddress()
	b.fromLambert93()
	if n := utf8.RuneCountInString(strings.TrimSpace(p.PresentationResume)); n > maxResume {
		full := strings.TrimSpace(p.PresentationResume)
		p.PresentationResume = truncate(full, maxResume)
		if !strings.Contains(p.PresentationDetail, full) {
			p.PresentationDetail = joinParagraphs(full, p.PresentationDetail)
		}
		b.sets["presentation_detail"] = true
		b.warn("presentation_resume", fmt.Sprintf("trop long (%d caractères, %d au plus) : raccourci, texte entier gardé dans presentation_detail", n, maxResume))
	}
	b.readableHours()
	if len(b.extra) > 0 {
		p.PresentationDetail = joinParagraphs(p.PresentationDetail, strings.Join(b.extra, "\n"))
		b.sets["presentation_detail"] = true
	}
	p.Normalize()
	b.repair()
	// In the order Normalize gives, so that the same file twice is no change.
	slices.SortFunc(p.ACompleter, func(x, y string) int {
		return slices.Index(catalogue.DraftFields, x) - slices.Index(catalogue.DraftFields, y)
	})
}

// fields lists the Place fields the record gives.
func (b *builder) fields() []string {
	out := make([]string, 0, len(b.sets))
	for f := range b.sets {
		if f != "date_maj" || b.dated {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// scalar returns the single text of v.
func (b *builder) scalar(col string, v value) (string, bool) {
	switch {
	case v.object != nil:
		b.problem(col, "texte attendu, objet reçu")
		return "", false
	case v.isList:
		var items []string
		for _, s := range v.list {
			if s = strings.TrimSpace(s); s != "" {
				items = append(items, s)
			}
		}
		if len(items) > 1 {
			b.problem(col, fmt.Sprintf("une seule valeur attendue, %d reçues", len(items)))
			return "", false
		}
		if len(items) == 0 {
			return "", true
		}
		return undefuse(items[0]), true
	}
	return undefuse(strings.TrimSpace(v.text)), true
}

// list returns the values of v: the elements of a JSON array, or the
// text split at any of seps.
func (b *builder) list(col string, v value, seps string) []string {
	if v.object != nil {
		b.problem(col, "liste de textes attendue, objet reçu")
		return nil
	}
	var items []string
	if v.isList {
		items = v.list
	} else {
		items = strings.FieldsFunc(v.text, func(r rune) bool { return strings.ContainsRune(seps, r) })
	}
	out := items[:0:0]
	for _, s := range items {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, undefuse(s))
		}
	}
	return out
}

// The readers of the columns.

func readID(b *builder, col string, v value) {
	if s, ok := b.scalar(col, v); ok {
		b.id = s
	}
}

func text(field func(*catalogue.Place) *string) func(*builder, string, value) {
	return func(b *builder, col string, v value) {
		if s, ok := b.scalar(col, v); ok && s != "" {
			if dst := field(b.place); *dst == "" {
				*dst = s
			}
		}
	}
}

func readPivot(b *builder, col string, v value) {
	s, ok := b.scalar(col, v)
	if !ok || s == "" {
		return
	}
	if v.isNum && strings.ContainsAny(s, ".eE") {
		// A SIRET written as a float by a spreadsheet: 4.3493312300029E13.
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int64(f)) {
			s = strconv.FormatInt(int64(f), 10)
		}
	}
	b.place.Pivot = s
}

// code reads a postal or INSEE code, which spreadsheets and JSON
// producers write as numbers, losing the leading zero of the Ain or the
// Aisne.
func code(field func(*catalogue.Place) *string) func(*builder, string, value) {
	return func(b *builder, col string, v value) {
		s, ok := b.scalar(col, v)
		if !ok || s == "" {
			return
		}
		s = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\u00a0' || r == '\u202f' {
				return -1
			}
			return r
		}, s)
		if d, ok := strings.CutSuffix(s, ".0"); ok && isDigits(d) {
			s = d
		}
		if len(s) == 4 && isDigits(s) {
			if !v.isNum {
				b.warn(col, "« "+s+" » a 4 chiffres : lu comme 0"+s)
			}
			s = "0" + s
		}
		if dst := field(b.place); *dst == "" {
			*dst = s
		}
	}
}

func coordinate(field func(*catalogue.Place) **float64) func(*builder, string, value) {
	return func(b *builder, col string, v value) {
		s, ok := b.scalar(col, v)
		if !ok || s == "" {
			return
		}
		f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			b.warn(col, "nombre attendu, « "+s+" » reçu : ignoré")
			return
		}
		*field(b.place) = &f
	}
}

// readAdresse reads a street address, or the national API's structured
// adresse {numero_voie, repetition, nom_voie, code_postal, code_insee,
// commune}, whose parts fill the columns the record lacks.
func readAdresse(b *builder, col string, v value) {
	if v.object == nil {
		text(func(p *catalogue.Place) *string { return &p.Adresse })(b, col, v)
		return
	}
	part := func(k string) value {
		for key, x := range v.object {
			if canonicalKey(key) == k {
				return jsonValue(x)
			}
		}
		return value{}
	}
	var street []string
	for _, k := range []string{"numero_voie", "repetition", "nom_voie"} {
		if s := strings.TrimSpace(part(k).text); s != "" {
			street = append(street, s)
		}
	}
	b.place.Adresse = strings.Join(street, " ")
	for _, k := range []string{"code_postal", "code_insee", "commune"} {
		x := part(k)
		if x.empty() {
			continue
		}
		b.sets[k] = true
		switch k {
		case "code_postal":
			code(func(p *catalogue.Place) *string { return &p.CodePostal })(b, k, x)
		case "code_insee":
			code(func(p *catalogue.Place) *string { return &p.CodeINSEE })(b, k, x)
		default:
			text(func(p *catalogue.Place) *string { return &p.Commune })(b, k, x)
		}
	}
}

func readTelephone(b *builder, col string, v value) {
	numbers := b.list(col, v, "|;,/")
	if len(numbers) == 0 {
		return
	}
	first := numbers[0]
	if isDigits(first) && (len(first) == 9 || len(first) == 11 && strings.HasPrefix(first, "33")) {
		// A number that lost its leading 0, or its "+".
		if len(first) == 9 {
			first = "0" + first
		} else {
			first = "+" + first
		}
	}
	b.place.Telephone = first
	if len(numbers) > 1 {
		rest := strings.Join(numbers[1:], " ; ")
		b.extra = append(b.extra, "Autres téléphones : "+rest)
		b.warn(col, "un seul numéro dans le standard : le premier est gardé, les autres ("+rest+") dans presentation_detail")
	}
}

func readCourriels(b *builder, col string, v value) {
	for _, s := range b.list(col, v, "|;, \t\n") {
		if r := repairEmail(s); r != "" {
			b.place.Courriels = append(b.place.Courriels, r)
		}
	}
}

func readSiteWeb(b *builder, col string, v value) {
	for _, s := range b.list(col, v, "|; \t\n") {
		b.place.SiteWeb = append(b.place.SiteWeb, b.fixURL(col, s))
	}
}

func link(field func(*catalogue.Place) *string) func(*builder, string, value) {
	return func(b *builder, col string, v value) {
		if s, ok := b.scalar(col, v); ok && s != "" {
			*field(b.place) = b.fixURL(col, s)
		}
	}
}

// readAccessibilite reads v0.1's accessibilite, a link to the place's
// acceslibre page in v1 (fiche_acces_libre); a text is kept in
// presentation_detail.
func readAccessibilite(b *builder, col string, v value) {
	s, ok := b.scalar(col, v)
	if !ok || s == "" {
		return
	}
	if looksLikeURL(s) {
		if b.place.FicheAccesLibre == "" {
			b.place.FicheAccesLibre = b.fixURL(col, s)
		}
		return
	}
	b.extra = append(b.extra, "Accessibilité : "+s)
	b.warn(col, "« "+s+" » n'est pas une adresse web (fiche_acces_libre attend un lien acceslibre) : gardé dans presentation_detail")
}

// fixURL adds the scheme that a web address written "www.example.fr"
// lacks.
func (b *builder) fixURL(col, s string) string {
	if strings.Contains(s, "://") || !looksLikeURL(s) {
		return s
	}
	b.warn(col, "« "+s+" » sans http:// ni https:// : https:// ajouté")
	return "https://" + s
}

func looksLikeURL(s string) bool {
	if strings.Contains(s, "://") {
		return !strings.ContainsAny(s, " \t")
	}
	host, _, _ := strings.Cut(s, "/")
	return strings.Contains(host, ".") && !strings.ContainsAny(s, " \t@") && !strings.HasSuffix(host, ".")
}

// readDateMaj reads ISO dates, with or without a time, the French
// day/month/year of spreadsheets with a year of four digits or two
// (15/01/24), and a spreadsheet's serial day number.
func readDateMaj(b *builder, col string, v value) {
	s, ok := b.scalar(col, v)
	if !ok || s == "" {
		return
	}
	b.place.DateMaj = parseDate(s)
}

// dateLayouts are the dates real files write, the time left out.
var dateLayouts = []string{"2006-01-02", "02/01/2006", "2/1/2006", "02/01/06", "2/1/06", "2006/01/02",
	"02-01-2006", "2-1-2006", "02.01.2006", "02-01-06", "02.01.06"}

// parseDate returns s as YYYY-MM-DD, or s itself when it is no date.
func parseDate(s string) string {
	day, _, _ := strings.Cut(strings.TrimSpace(s), " ")
	if len(day) > 10 && day[10] == 'T' {
		day = day[:10]
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, day); err == nil {
			return t.Format("2006-01-02")
		}
	}
	// The serial day of a spreadsheet (days since 1899-12-30), from
	// 1960 to 2100.
	if n, err := strconv.ParseFloat(day, 64); err == nil && n >= 21916 && n < 73051 {
		return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n)).Format("2006-01-02")
	}
	return s
}

// enumerated reads a multi-valued field of a closed list: each value is
// put in the field it belongs to; a value that maps to nothing is kept
// as free text and reported. title names the column in French in
// presentation_detail.
func enumerated(g *group, title string) func(*builder, string, value) {
	return func(b *builder, col string, v value) {
		var unmapped []string
		for _, item := range b.list(col, v, "|;") {
			targets := g.resolve(item)
			if targets == nil && strings.Contains(item, ",") {
				targets = resolveAll(g, strings.Split(item, ","))
			}
			if targets == nil {
				unmapped = append(unmapped, item)
				continue
			}
			for _, t := range targets {
				dst := enumField(b.place, t.enum)
				*dst = append(*dst, t.value)
				b.sets[t.enum.Field] = true
			}
		}
		for _, item := range unmapped {
			if g.labels {
				b.place.AutresLabels = append(b.place.AutresLabels, item)
				b.sets["autres_formations_labels"] = true
				b.warn(col, "« "+item+" » n'est ni un dispositif ni une formation du standard v1.0.2 : gardé dans autres_formations_labels")
			} else {
				b.warn(col, "« "+item+" » n'a pas d'équivalent dans le standard v1.0.2 : gardé dans presentation_detail")
			}
		}
		if len(unmapped) > 0 && !g.labels {
			b.extra = append(b.extra, title+" : "+strings.Join(unmapped, " ; "))
		}
	}
}

// resolveAll resolves values separated by commas, if all of them resolve.
func resolveAll(g *group, items []string) []target {
	var out []target
	for _, it := range items {
		t := g.resolve(strings.TrimSpace(it))
		if t == nil {
			return nil
		}
		out = append(out, t...)
	}
	return out
}

func freeList(field func(*catalogue.Place) *[]string) func(*builder, string, value) {
	return func(b *builder, col string, v value) {
		dst := field(b.place)
		*dst = append(*dst, b.list(col, v, "|;")...)
	}
}

// enumField is the field of p that holds the values of e.
func enumField(p *catalogue.Place, e *catalogue.Enum) *[]string {
	switch e {
	case catalogue.Services:
		return &p.Services
	case catalogue.Publics:
		return &p.Publics
	case catalogue.PrisesEnCharge:
		return &p.PriseEnCharge
	case catalogue.Frais:
		return &p.Frais
	case catalogue.Dispositifs:
		return &p.Dispositifs
	case catalogue.FormationsLabels:
		return &p.FormationsLabels
	case catalogue.ModalitesAcces:
		return &p.ModalitesAcces
	case catalogue.ModalitesAccompagnement:
		return &p.ModalitesAccompagnement
	case catalogue.Itinerances:
		return &p.Itinerance
	case catalogue.Typologies:
		return &p.Typologie
	case catalogue.ChampsIntervention:
		return &p.ChampsIntervention
	}
	panic("standard: no field for enumeration " + e.Field)
}

// truncate shortens s to at most n characters, at a word boundary, with
// an ellipsis.
func truncate(s string, n int) string {
	runes := []rune(s)
	if len(runes) <= n {
		return s
	}
	cut := string(runes[:n-1])
	if i := strings.LastIndexAny(cut, " \n"); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

func joinParagraphs(a, b string) string {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n\n" + b
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// sortFileIssues orders issues of the whole file by field.
func sortFileIssues(issues []Issue) {
	sort.SliceStable(issues, func(i, j int) bool {
		a, b := issues[i], issues[j]
		if (a.Record == 0) != (b.Record == 0) {
			return a.Record == 0
		}
		if a.Record == 0 {
			return a.Field < b.Field
		}
		return false
	})
}

package standard

import (
	"encoding/csv"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/maillage/maillage/catalogue"
)

// ColumnsV1 are the columns of the national standard v1.0.2, in the order
// of its TableSchema.
var ColumnsV1 = []string{
	"id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse",
	"complement_adresse", "latitude", "longitude", "typologie", "telephone",
	"courriels", "site_web", "horaires", "presentation_resume",
	"presentation_detail", "source", "itinerance", "structure_parente",
	"date_maj", "services", "publics_specifiquement_adresses",
	"prise_en_charge_specifique", "frais_a_charge",
	"dispositif_programmes_nationaux", "formations_labels",
	"autres_formations_labels", "modalites_acces", "modalites_accompagnement",
	"fiche_acces_libre", "prise_rdv",
}

// ColumnsMaillage are Maillage's own columns, which WriteOptions.Maillage
// adds after the standard's. Read reads them back.
// competences holds a place's skill ids and competences_libelles their
// labels, in the same order, so that an id a reader's list lacks still
// reads right.
var ColumnsMaillage = []string{"champs_intervention", "equipements", "competences", "competences_libelles"}

// WriteOptions tune a CSVWriter. The zero value writes exactly the
// standard's columns.
type WriteOptions struct {
	// Maillage adds ColumnsMaillage. The file then has columns that the
	// standard's TableSchema does not know.
	Maillage bool
}

// CSVWriter writes places as a CSV file of the national standard v1.0.2:
// UTF-8 without BOM, a comma between columns, "|" between the values of a
// multi-valued column, a header line first.
//
// Free-text cells that a spreadsheet would read as a formula (starting
// with =, +, -, @, a tab or a carriage return) get a leading single quote,
// as OWASP recommends against CSV injection: a record of another network
// cannot plant =HYPERLINK(…) in a coordinator's spreadsheet. Those columns
// have no pattern in the TableSchema, so the file stays valid; the
// columns with a pattern (pivot, code_insee, telephone, lists) cannot
// start so, except telephone's "+33…", which is left as is.
//
// A stored place is valid, so every value passes the TableSchema's
// constraints; a value that would not (a record of another network
// validated by older rules) is left out of its column rather than make
// the file invalid, and an over-long presentation_resume is shortened.
type CSVWriter struct {
	w      *csv.Writer
	opts   WriteOptions
	row    []string
	header bool
}

// NewCSVWriter returns a writer to w. Call Flush when done.
func NewCSVWriter(w io.Writer, opts WriteOptions) *CSVWriter {
	n := len(ColumnsV1)
	if opts.Maillage {
		n += len(ColumnsMaillage)
	}
	return &CSVWriter{w: csv.NewWriter(w), opts: opts, row: make([]string, n)}
}

// WriteHeader writes the header line, if Write has not already.
func (cw *CSVWriter) WriteHeader() error {
	if cw.header {
		return nil
	}
	cw.header = true
	head := append(cw.row[:0], ColumnsV1...)
	if cw.opts.Maillage {
		head = append(head, ColumnsMaillage...)
	}
	return cw.w.Write(head)
}

// Write writes one place, after the header line.
func (cw *CSVWriter) Write(p *catalogue.Place) error {
	if err := cw.WriteHeader(); err != nil {
		return err
	}
	lat, lon := p.Latitude, p.Longitude
	if p.PositionApproximative { // its commune's centre, not the standard's coordinates
		lat, lon = nil, nil
	}
	r := cw.row[:0]
	r = append(r,
		cell(p.ID),
		csvPivot(p.Pivot),
		cell(p.Nom),
		cell(p.Commune),
		p.CodePostal,
		csvMatch(csvINSEE, p.CodeINSEE),
		cell(p.Adresse),
		cell(p.ComplementAdresse),
		csvFloat(lat, lon, true),
		csvFloat(lat, lon, false),
		csvEnum(catalogue.Typologies, p.Typologie),
		csvMatch(csvTelephone, p.Telephone),
		cell(csvJoin(p.Courriels)),
		cell(csvJoin(p.SiteWeb)),
		cell(p.Horaires),
		csvResume(cell(p.PresentationResume)),
		cell(p.PresentationDetail),
		cell(p.Source),
		csvEnum(catalogue.Itinerances, p.Itinerance),
		cell(p.StructureParente),
		cell(p.DateMaj),
		csvEnum(catalogue.Services, p.Services),
		csvEnum(catalogue.Publics, p.Publics),
		csvEnum(catalogue.PrisesEnCharge, p.PriseEnCharge),
		csvEnum(catalogue.Frais, p.Frais),
		csvEnum(catalogue.Dispositifs, p.Dispositifs),
		csvEnum(catalogue.FormationsLabels, p.FormationsLabels),
		cell(csvJoin(p.AutresLabels)),
		csvEnum(catalogue.ModalitesAcces, p.ModalitesAcces),
		csvEnum(catalogue.ModalitesAccompagnement, p.ModalitesAccompagnement),
		cell(p.FicheAccesLibre),
		cell(p.PriseRDV),
	)
	if cw.opts.Maillage {
		r = append(r, csvEnum(catalogue.ChampsIntervention, p.ChampsIntervention), cell(csvJoin(p.Equipements)),
			csvJoin(catalogue.SkillIDs(p.Competences)), cell(csvJoin(skillLabels(p.Competences))))
	}
	return cw.w.Write(r)
}

// Flush writes out what is buffered and returns the first error met.
func (cw *CSVWriter) Flush() error {
	cw.w.Flush()
	return cw.w.Error()
}

// WriteCSV writes places to w with a CSVWriter.
func WriteCSV(w io.Writer, places []*catalogue.Place, opts WriteOptions) error {
	cw := NewCSVWriter(w, opts)
	if err := cw.WriteHeader(); err != nil {
		return err
	}
	for _, p := range places {
		if err := cw.Write(p); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// The TableSchema's patterns that a stored value might still fail.
var (
	csvPivotPattern = regexp.MustCompile(`^[a-zA-Z0-9]{9,14}$`)
	csvINSEE        = regexp.MustCompile(`^([013-9]\d|2[AB1-9])\d{3}$`)
	csvTelephone    = regexp.MustCompile(`^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$`)
)

// csvPivot writes the standard's "unknown" pivot for a missing or
// malformed one: pivot is required.
func csvPivot(s string) string {
	if csvPivotPattern.MatchString(s) {
		return s
	}
	return "00000000000000" // the standard's "unknown"
}

func csvMatch(re *regexp.Regexp, s string) string {
	if re.MatchString(s) {
		return s
	}
	return ""
}

// csvFloat writes the latitude (or the longitude) of a place that has
// both.
func csvFloat(lat, lon *float64, latitude bool) string {
	if lat == nil || lon == nil {
		return ""
	}
	v := *lon
	if latitude {
		v = *lat
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// csvEnum joins the values of an enumerated field that belong to its
// list, in their canonical spelling.
func csvEnum(e *catalogue.Enum, values []string) string {
	var b strings.Builder
	for _, v := range values {
		c, ok := e.Canonical(v)
		if !ok {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		b.WriteString(c)
	}
	return b.String()
}

// csvJoin joins free values with "|"; a "|" inside a value, which would
// split it, becomes "/" (or %7C in a web address).
func csvJoin(values []string) string {
	var b strings.Builder
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if strings.Contains(v, "|") {
			sub := "/"
			if strings.Contains(v, "://") {
				sub = "%7C"
			}
			v = strings.ReplaceAll(v, "|", sub)
		}
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		b.WriteString(v)
	}
	return b.String()
}

// cell defuses a free-text value that a spreadsheet would run as a
// formula, by prefixing a single quote (OWASP, "CSV Injection").
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// undefuse takes off the quote cell put before a formula-looking value, so
// that an export reads back to the same places.
func undefuse(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// csvResume keeps presentation_resume within the standard's 280
// characters.
func csvResume(s string) string {
	const max = 280
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	cut := string([]rune(s)[:max-1])
	if i := strings.LastIndexAny(cut, " \n"); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

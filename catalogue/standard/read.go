package standard

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// Formats reported in Result.Format.
const (
	FormatCSV  = "csv"
	FormatJSON = "json"
	FormatXLSX = "xlsx"
	FormatODS  = "ods"
)

// Generations of the standard reported in Result.Version.
const (
	Version1   = "1.x"
	Version01  = "0.1.x"
	VersionMix = "0.1.x et 1.x"
)

// Options tune Read. The zero value is usable.
type Options struct {
	// Today is the date_maj given to records without one (YYYY-MM-DD);
	// today in Paris when empty.
	Today string
	// Progress, when set, is called after every 1,000th record read.
	Progress func(records int)
	// Mapping overrides the detection of the columns of a CSV file or a
	// spreadsheet, or of the keys of a JSON file: it maps a field of the
	// standard (or a pseudo-column: adresse_postale, horaires_lundi,
	// horaires_lundi_matin…) to the header of the column (or the key)
	// that gives it. A field mapped to "" has no column: the column that
	// would be detected as giving it is left unused. The other columns
	// are detected.
	Mapping map[string]string
}

// Issue is a problem found in one record, or in the whole file when
// Record is 0.
type Issue struct {
	// Line is the line of the file where the record starts (1 is the
	// first line; in CSV the header); 0 for the whole file.
	Line int `json:"line,omitempty"`
	// Record is the position of the record in the file, from 1.
	Record int `json:"record,omitempty"`
	// ID is the record's id in the file, when it has one.
	ID string `json:"id,omitempty"`
	// Field is the column or key concerned, as the standard names it;
	// empty when the whole record is concerned.
	Field string `json:"field,omitempty"`
	// Reason says what is wrong, in French.
	Reason string `json:"reason"`

	inJSON bool // the record is an element of a JSON file
}

// Where says in French where the issue is: "ligne 12 (id « a-1 »)" in a
// CSV file, "enregistrement 3 (ligne 40, id « a-1 »)" in a JSON one,
// "fichier" for the whole file.
func (i Issue) Where() string {
	var where, detail string
	switch {
	case i.Record == 0:
		where = "fichier"
	case i.inJSON:
		where, detail = "enregistrement "+strconv.Itoa(i.Record), "ligne "+strconv.Itoa(i.Line)
	default:
		where = "ligne " + strconv.Itoa(i.Line)
	}
	if i.ID != "" {
		if detail != "" {
			detail += ", "
		}
		detail += "id « " + i.ID + " »"
	}
	if detail != "" {
		where += " (" + detail + ")"
	}
	return where
}

// String is the issue in one French line.
func (i Issue) String() string {
	if i.Field == "" {
		return i.Where() + " : " + i.Reason
	}
	return i.Where() + " : " + i.Field + " : " + i.Reason
}

// Record is a valid place read from a file.
type Record struct {
	Line  int    // line where the record starts
	Index int    // position in the file, from 1
	ID    string // the record's id in the file; "" when it has none
	Place *catalogue.Place
	// Fields are the JSON names of the Place fields that the file gives
	// for this record, so that an update leaves the others as stored.
	// date_maj is missing when the file gave none (Today was used).
	Fields []string

	inJSON bool
}

// Result is what Read found in a file.
type Result struct {
	Format    string // FormatCSV or FormatJSON
	Encoding  string // EncodingUTF8…
	Delimiter string // the CSV delimiter: ",", ";" or "\t"
	Version   string // Version1, Version01 or VersionMix
	Rows      int    // records read, valid or not
	Records   []Record
	// Rejected lists every failing field of every rejected record; a
	// record may have several.
	Rejected []Issue
	Warnings []Issue
	// Mapping lists, for a CSV file or a spreadsheet, the column that
	// gives each field, in the order of the file (for a JSON file, the
	// key, in the order first seen); Unused the headers (keys) that give
	// none; NoColumn the fields the standard requires that no column
	// gives (each record then lacks them: a draft for adresse,
	// code_postal and services).
	Mapping  []Mapped
	Unused   []string
	NoColumn []string
	// Drafts is the number of Records that are drafts (Place.Draft).
	Drafts int

	rejected map[int]bool // record indexes
}

// RejectedRows is the number of records rejected.
func (r *Result) RejectedRows() int { return len(r.rejected) }

// Reject rejects a record after Read, for a rule only the caller can
// check (the place as merged with what is stored, say): err is reported
// field by field when it is a *catalogue.ValidationError.
func (r *Result) Reject(rec Record, err error) {
	base := Issue{Line: rec.Line, Record: rec.Index, ID: rec.ID, inJSON: rec.inJSON}
	var verr *catalogue.ValidationError
	if errors.As(err, &verr) {
		for _, f := range sortedKeys(verr.Fields) {
			is := base
			is.Field, is.Reason = f, verr.Fields[f]
			r.Rejected = append(r.Rejected, is)
		}
	} else {
		base.Reason = err.Error()
		r.Rejected = append(r.Rejected, base)
	}
	r.markRejected(rec.Index)
}

func (r *Result) markRejected(index int) {
	if r.rejected == nil {
		r.rejected = map[int]bool{}
	}
	r.rejected[index] = true
}

// ErrFormat is wrapped by the errors of Read for a file it cannot read at
// all; such an error says why in French.
var ErrFormat = errors.New("format de fichier non reconnu")

// Read reads every record of a CSV, JSON, XLSX or ODS file of places. It returns an
// error, wrapping ErrFormat, only when the file as a whole cannot be read
// (neither CSV with a header nor JSON, or broken JSON); a record that
// breaks a rule is listed in Result.Rejected and the others are read.
func Read(r io.Reader, opts Options) (result *Result, err error) {
	defer recoverRead(&result, &err)
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("lire le fichier : %w", err)
	}
	if opts.Today == "" {
		opts.Today = time.Now().In(catalogue.Paris).Format("2006-01-02")
	}
	if isZip(data) {
		res := &Result{Encoding: EncodingUTF8}
		rd := &reader{res: res, opts: opts, seenIDs: map[string]Issue{}, noColumn: map[string]bool{}}
		if err := rd.readWorkbook(data); err != nil {
			return nil, err
		}
		rd.finish()
		return res, nil
	}
	text, enc := decodeText(data)
	res := &Result{Encoding: enc}
	rd := &reader{res: res, opts: opts, seenIDs: map[string]Issue{}, noColumn: map[string]bool{}}
	trimmed := strings.TrimLeft(text, " \t\r\n")
	if trimmed == "" {
		return nil, fmt.Errorf("%w : fichier vide", ErrFormat)
	}
	if trimmed[0] == '[' || trimmed[0] == '{' {
		res.Format = FormatJSON
		if err = rd.readJSON(text); err == nil {
			err = rd.checkJSONMapping()
		}
	} else {
		res.Format = FormatCSV
		err = rd.readCSV(text)
	}
	if err != nil {
		return nil, err
	}
	rd.finish()
	return res, nil
}

// finish converts the queued records and completes the result.
func (rd *reader) finish() {
	res := rd.res
	rd.flush()
	switch {
	case rd.v01 && rd.v1:
		res.Version = VersionMix
	case rd.v01:
		res.Version = Version01
	default:
		res.Version = Version1
	}
	unknown := "colonne inconnue du standard : ignorée"
	if res.Format == FormatJSON {
		unknown = "clé inconnue du standard : ignorée"
	}
	for k := range rd.unknown {
		res.Warnings = append(res.Warnings, Issue{Field: k, Reason: unknown})
	}
	sortFileIssues(res.Warnings)
}

// reader holds the state of one Read.
type reader struct {
	res      *Result
	opts     Options
	seenIDs  map[string]Issue // source + "\x00" + id → where it was first seen
	pending  []pending
	v1, v01  bool // generations seen in the keys
	unknown  map[string]bool
	dupNoted map[string]bool
	noColumn map[string]bool   // required fields no column gives
	keys     map[string]string // JSON key → field, as headerField says
}

// noteKey records what a canonical key says about the file's
// generation, and remembers unknown keys.
func (rd *reader) noteKey(key, raw string) {
	c, ok := columnsByName[key]
	switch {
	case !ok && isPseudo(key):
	case !ok:
		if rd.unknown == nil {
			rd.unknown = map[string]bool{}
		}
		rd.unknown[raw] = true
	case c.gen == gen01:
		rd.v01 = true
	case c.gen == gen1:
		rd.v1 = true
	}
}

// pending is a record read and not yet converted: a raw row, or a
// rejection found while parsing.
type pending struct {
	line, index int
	row         rawRow
	pre         []Issue // warnings found while parsing
	reject      *Issue  // set when the record cannot be converted at all
	b           *builder
}

// queue keeps a raw record for flush.
func (rd *reader) queue(line, index int, row rawRow, pre ...Issue) {
	rd.pending = append(rd.pending, pending{line: line, index: index, row: row, pre: pre})
	rd.progress()
}

// queueReject keeps a record rejected while parsing.
func (rd *reader) queueReject(is Issue) {
	is.inJSON = rd.res.Format == FormatJSON
	rd.pending = append(rd.pending, pending{line: is.Line, index: is.Record, reject: &is})
	rd.progress()
}

func (rd *reader) progress() {
	if n := len(rd.pending); rd.opts.Progress != nil && n%1000 == 0 {
		rd.opts.Progress(n)
	}
}

// flush converts the queued records on every core, then files them in
// order as valid or rejected.
func (rd *reader) flush() {
	inJSON := rd.res.Format == FormatJSON
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), 1+len(rd.pending)/256) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(rd.pending) {
					return
				}
				pd := &rd.pending[i]
				if pd.reject != nil {
					continue
				}
				pd.b = newBuilder(Issue{Line: pd.line, Record: pd.index, inJSON: inJSON}, rd.opts.Today)
				pd.b.noColumn = rd.noColumn
				buildSafely(pd.b, pd.row)
			}
		}()
	}
	wg.Wait()
	for i := range rd.pending {
		rd.file(&rd.pending[i])
	}
	rd.pending = nil
}

// file adds a converted record to the result.
func (rd *reader) file(pd *pending) {
	rd.res.Rows++
	if pd.reject != nil {
		rd.res.Rejected = append(rd.res.Rejected, *pd.reject)
		rd.res.markRejected(pd.index)
		return
	}
	b := pd.b
	if len(b.problems) == 0 && b.id != "" {
		key := b.place.Source + "\x00" + b.id
		if first, dup := rd.seenIDs[key]; dup {
			b.problem("id", "identifiant déjà utilisé, "+first.Where()+" : un seul enregistrement par id et par source")
		} else {
			rd.seenIDs[key] = b.at
		}
	}
	if len(b.problems) > 0 {
		for _, f := range sortedKeys(b.problems) {
			is := b.at
			is.ID, is.Field, is.Reason = b.id, f, b.problems[f]
			rd.res.Rejected = append(rd.res.Rejected, is)
		}
		rd.res.markRejected(pd.index)
		return
	}
	// Warnings are for what is imported: a rejected record shows its
	// problems only.
	for _, w := range pd.pre {
		w.ID, w.inJSON = b.id, b.at.inJSON
		rd.res.Warnings = append(rd.res.Warnings, w)
	}
	rd.res.Warnings = append(rd.res.Warnings, b.warnings...)
	if b.place.Draft() {
		rd.res.Drafts++
	}
	rd.res.Records = append(rd.res.Records, Record{Line: pd.line, Index: pd.index, ID: b.id, Place: b.place, Fields: b.fields(), inJSON: b.at.inJSON})
}

package server

import (
	"errors"
	"io"
	"net/http"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/standard"
	"github.com/maillage/maillage/storage"
)

// MaxImportBody bounds the file of POST /api/v1/import: about 50,000
// places in CSV, twice the national catalogue.
const MaxImportBody = 64 << 20

// ImportReport is the answer of POST /api/v1/import.
type ImportReport struct {
	DryRun    bool   `json:"dry_run"`
	Format    string `json:"format"`
	Encoding  string `json:"encoding"`
	Delimiter string `json:"delimiter,omitempty"`
	Version   string `json:"version"`
	Rows      int    `json:"rows"`
	// Mapping, UnusedColumns and MissingColumns say, for a CSV file or
	// a spreadsheet, which column gives each field, which columns give
	// none, and which required fields no column gives.
	Mapping        []standard.Mapped `json:"mapping,omitempty"`
	UnusedColumns  []string          `json:"unused_columns,omitempty"`
	MissingColumns []string          `json:"missing_columns,omitempty"`
	Summary        ImportSummary     `json:"summary"`
	Rejected       []standard.Issue  `json:"rejected"`
	Warnings       []standard.Issue  `json:"warnings"`
	Places         []ImportedPlace   `json:"places"`
}

type ImportSummary struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Rejected  int `json:"rejected"`
	Warnings  int `json:"warnings"`
	Drafts    int `json:"drafts"` // created or updated as drafts, among the others
}

// ImportedPlace says what became of one valid record of the file.
type ImportedPlace struct {
	Record int    `json:"record"`
	Line   int    `json:"line"`
	ID     string `json:"id,omitempty"` // the record's id in the file
	Action string `json:"action"`       // created, updated, unchanged or rejected
	Place  string `json:"place,omitempty"`
	// ACompleter lists what a draft lacks (see catalogue.Place.Draft).
	ACompleter []string `json:"a_completer,omitempty"`
}

// RunImport reads a CSV, JSON, XLSX or ODS file of places, in the
// national standard or a producer's own shape, and imports it (or, with
// dryRun, says what importing would do). A file it cannot read gives a
// *BadRequest, one beyond MaxImportBody ErrBodyTooLarge. The API and the
// admin pages both import through it.
func (s *Server) RunImport(body io.Reader, dryRun bool) (ImportReport, error) {
	return s.RunImportMapped(body, dryRun, nil)
}

// RunImportMapped is RunImport with a mapping from fields of the
// standard to the file's columns that overrides their detection
// (standard.Options.Mapping); a bad one gives a *BadRequest.
func (s *Server) RunImportMapped(body io.Reader, dryRun bool, mapping map[string]string) (ImportReport, error) {
	res, err := standard.Read(body, standard.Options{Today: s.Now().In(catalogue.Paris).Format("2006-01-02"), Mapping: mapping})
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return ImportReport{}, ErrBodyTooLarge
	case errors.Is(err, standard.ErrFormat), errors.Is(err, standard.ErrMapping):
		return ImportReport{}, &BadRequest{Msg: err.Error(), Err: err}
	case err != nil:
		return ImportReport{}, err
	}
	recs := make([]storage.ImportRecord, len(res.Records))
	for i, rec := range res.Records {
		recs[i] = storage.ImportRecord{SourceID: rec.ID, Place: rec.Place, Fields: rec.Fields}
	}
	out, err := s.Store.ImportPlaces(recs, storage.ImportOptions{DryRun: dryRun})
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{
		DryRun: dryRun, Format: res.Format, Encoding: res.Encoding, Delimiter: res.Delimiter, Version: res.Version, Rows: res.Rows,
		Mapping: res.Mapping, UnusedColumns: res.Unused, MissingColumns: res.NoColumn,
		Places: make([]ImportedPlace, len(out.Outcomes)),
	}
	for i, o := range out.Outcomes {
		rec := res.Records[i]
		if o.Action == storage.ImportRejected {
			res.Reject(rec, o.Err)
		}
		rep.Places[i] = ImportedPlace{Record: rec.Index, Line: rec.Line, ID: rec.ID, Action: o.Action, Place: o.PlaceID}
		if o.Action != storage.ImportRejected && rec.Place.Draft() {
			rep.Places[i].ACompleter = rec.Place.ACompleter
			rep.Summary.Drafts++
		}
	}
	rep.Summary.Created, rep.Summary.Updated, rep.Summary.Unchanged = out.Created, out.Updated, out.Unchanged
	rep.Summary.Rejected, rep.Summary.Warnings = res.RejectedRows(), len(res.Warnings)
	rep.Rejected, rep.Warnings = nonNil(res.Rejected), nonNil(res.Warnings)
	return rep, nil
}

func nonNil(issues []standard.Issue) []standard.Issue {
	if issues == nil {
		return []standard.Issue{}
	}
	return issues
}

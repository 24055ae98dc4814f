package ui

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/standard"
	"github.com/maillage/maillage/storage"
)

// maxImportBody bounds the file of POST /api/v1/import: about 50,000
// places in CSV, twice the national catalogue.
const maxImportBody = 64 << 20

// importReport is the answer of POST /api/v1/import.
type importReport struct {
	DryRun    bool             `json:"dry_run"`
	Format    string           `json:"format"`
	Encoding  string           `json:"encoding"`
	Delimiter string           `json:"delimiter,omitempty"`
	Version   string           `json:"version"`
	Rows      int              `json:"rows"`
	Summary   importSummary    `json:"summary"`
	Rejected  []standard.Issue `json:"rejected"`
	Warnings  []standard.Issue `json:"warnings"`
	Places    []importedPlace  `json:"places"`
}

type importSummary struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Rejected  int `json:"rejected"`
	Warnings  int `json:"warnings"`
}

// importedPlace says what became of one valid record of the file.
type importedPlace struct {
	Record int    `json:"record"`
	Line   int    `json:"line"`
	ID     string `json:"id,omitempty"` // the record's id in the file
	Action string `json:"action"`       // created, updated, unchanged or rejected
	Place  string `json:"place,omitempty"`
}

// importPlaces is POST /api/v1/import: the body is a CSV or JSON file of
// places in the national standard, sent as is or as the "file" field of
// a multipart/form-data form. With ?dry_run=1 nothing is written.
func (s *server) importPlaces(w http.ResponseWriter, r *http.Request) {
	dryRun := false
	if v := r.URL.Query().Get("dry_run"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			s.writeError(w, r, &badRequest{msg: "paramètre invalide", fields: map[string]string{"dry_run": "1 ou 0 attendu"}})
			return
		}
		dryRun = b
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxImportBody)
	body, err := importBody(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	rep, err := s.runImport(body, dryRun)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// runImport reads a CSV or JSON file of places in the national standard
// and imports it (or, with dryRun, says what importing would do). A file
// it cannot read gives a *badRequest, one beyond maxImportBody
// errBodyTooLarge. The API and the admin pages both import through it.
func (s *server) runImport(body io.Reader, dryRun bool) (importReport, error) {
	res, err := standard.Read(body, standard.Options{Today: s.now().In(catalogue.Paris).Format("2006-01-02")})
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return importReport{}, errBodyTooLarge
	case errors.Is(err, standard.ErrFormat):
		return importReport{}, &badRequest{msg: err.Error()}
	case err != nil:
		return importReport{}, err
	}
	recs := make([]storage.ImportRecord, len(res.Records))
	for i, rec := range res.Records {
		recs[i] = storage.ImportRecord{SourceID: rec.ID, Place: rec.Place, Fields: rec.Fields}
	}
	out, err := s.store.ImportPlaces(recs, storage.ImportOptions{DryRun: dryRun})
	if err != nil {
		return importReport{}, err
	}
	rep := importReport{
		DryRun: dryRun, Format: res.Format, Encoding: res.Encoding, Delimiter: res.Delimiter, Version: res.Version, Rows: res.Rows,
		Places: make([]importedPlace, len(out.Outcomes)),
	}
	for i, o := range out.Outcomes {
		rec := res.Records[i]
		if o.Action == storage.ImportRejected {
			res.Reject(rec, o.Err)
		}
		rep.Places[i] = importedPlace{Record: rec.Index, Line: rec.Line, ID: rec.ID, Action: o.Action, Place: o.PlaceID}
	}
	rep.Summary = importSummary{Created: out.Created, Updated: out.Updated, Unchanged: out.Unchanged,
		Rejected: res.RejectedRows(), Warnings: len(res.Warnings)}
	rep.Rejected, rep.Warnings = nonNil(res.Rejected), nonNil(res.Warnings)
	return rep, nil
}

// importBody returns the file of an import request, limited to
// maxImportBody: the body, or the "file" part of a form.
func importBody(r *http.Request) (io.Reader, error) {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if !strings.HasPrefix(mediaType, "multipart/") {
		return r.Body, nil
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, &badRequest{msg: "formulaire multipart illisible"}
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, &badRequest{msg: "fichier manquant", fields: map[string]string{"file": "champ obligatoire"}}
		}
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, errBodyTooLarge
		}
		if err != nil {
			return nil, &badRequest{msg: "formulaire multipart illisible"}
		}
		if part.FormName() == "file" {
			return part, nil
		}
	}
}

func nonNil(issues []standard.Issue) []standard.Issue {
	if issues == nil {
		return []standard.Issue{}
	}
	return issues
}

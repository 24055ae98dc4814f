package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/maillage/maillage/ui/internal/server"
)

// importPlaces is POST /api/v1/import: the body is a CSV, JSON, XLSX or
// ODS file of places, sent as is or as the "file" field of a
// multipart/form-data form. With ?dry_run=1 nothing is written;
// ?mapping={"nom":"lib_fs"} overrides the detection of columns.
func (s *Module) importPlaces(w http.ResponseWriter, r *http.Request) {
	dryRun := false
	if v := r.URL.Query().Get("dry_run"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			s.WriteError(w, r, &server.BadRequest{Msg: "paramètre invalide", Fields: map[string]string{"dry_run": "1 ou 0 attendu"}})
			return
		}
		dryRun = b
	}
	var mapping map[string]string
	if v := r.URL.Query().Get("mapping"); v != "" {
		if err := json.Unmarshal([]byte(v), &mapping); err != nil {
			s.WriteError(w, r, &server.BadRequest{Msg: "paramètre invalide", Fields: map[string]string{
				"mapping": `objet JSON attendu, d'un champ du standard vers une colonne du fichier : {"nom": "lib_fs"}`}})
			return
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, server.MaxImportBody)
	body, err := importBody(r)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	rep, err := s.RunImportMapped(body, dryRun, mapping)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, rep)
}

// importBody returns the file of an import request, limited to
// MaxImportBody: the body, or the "file" part of a form.
func importBody(r *http.Request) (io.Reader, error) {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if !strings.HasPrefix(mediaType, "multipart/") {
		return r.Body, nil
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, &server.BadRequest{Msg: "formulaire multipart illisible"}
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, &server.BadRequest{Msg: "fichier manquant", Fields: map[string]string{"file": "champ obligatoire"}}
		}
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, server.ErrBodyTooLarge
		}
		if err != nil {
			return nil, &server.BadRequest{Msg: "formulaire multipart illisible"}
		}
		if part.FormName() == "file" {
			return part, nil
		}
	}
}

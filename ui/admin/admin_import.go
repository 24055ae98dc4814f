package admin

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/maillage/maillage/catalogue/standard"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/server"
)

// An import from the admin pages is in two steps: the file is uploaded
// and read without writing anything (a dry run, whose report is shown),
// then a button applies it. Between the two, the server keeps the file's
// bytes in memory under a random id, for the session that uploaded it
// only, for uploadTTL at most; a new upload replaces the session's
// previous one. Applying it runs the same import as the API.
//
// The preview shows, for each field of the standard, the column that
// gives it in a select; the editor may change them and preview again.
// The mapping in effect is kept with the file and applied by the import.
// A file imported for a registered source starts from the source's
// mapping, and importing it saves the mapping in effect to the source,
// for its scheduled runs and its next import here.

// Limits of the files waiting for confirmation.
const (
	uploadTTL      = 30 * time.Minute
	uploadsMaxSize = 256 << 20 // all waiting files together
)

type upload struct {
	session string // the id of the session that uploaded it
	name    string
	data    []byte
	expires time.Time

	source  string            // the id of the source it is imported for, or ""
	mapping map[string]string // the mapping in effect (standard.Options.Mapping)
	columns map[string]string // field → column, as the last preview found them
}

// uploads are the files waiting for confirmation, by random id.
type uploads struct {
	mu    sync.Mutex
	files map[string]*upload
}

func newUploads() *uploads { return &uploads{files: map[string]*upload{}} }

// put keeps a file for a session and returns its id, forgetting the
// session's previous file, the expired ones and, beyond uploadsMaxSize,
// the oldest.
func (u *uploads) put(now time.Time, session string, up *upload) string {
	var b [24]byte
	rand.Read(b[:])
	id := base64.RawURLEncoding.EncodeToString(b[:])
	u.mu.Lock()
	defer u.mu.Unlock()
	total := len(up.data)
	for k, f := range u.files {
		if f.session == session || now.After(f.expires) {
			delete(u.files, k)
			continue
		}
		total += len(f.data)
	}
	for total > uploadsMaxSize {
		var oldest string
		for k, f := range u.files {
			if oldest == "" || f.expires.Before(u.files[oldest].expires) {
				oldest = k
			}
		}
		if oldest == "" {
			break
		}
		total -= len(u.files[oldest].data)
		delete(u.files, oldest)
	}
	up.session, up.expires = session, now.Add(uploadTTL)
	u.files[id] = up
	return id
}

// peek returns a copy of the file id of a session, if it is still there,
// and keeps it.
func (u *uploads) peek(now time.Time, session, id string) (upload, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	f, ok := u.files[id]
	if !ok || f.session != session || now.After(f.expires) {
		return upload{}, false
	}
	return *f, true
}

// remember sets the mapping in effect for the file id and the columns
// its preview found.
func (u *uploads) remember(id string, mapping, columns map[string]string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if f, ok := u.files[id]; ok {
		f.mapping, f.columns = mapping, columns
	}
}

// take returns and forgets the file id of a session, if it is still there.
func (u *uploads) take(now time.Time, session, id string) (*upload, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	f, ok := u.files[id]
	if !ok || f.session != session || now.After(f.expires) {
		return nil, false
	}
	delete(u.files, id)
	return f, true
}

// importView is the data of /admin/import.
type importView struct {
	adminView
	Problem string
	File    string               // the file's name
	Upload  string               // the id of the file waiting for confirmation
	Report  *server.ImportReport // the dry run's, or the import's
	// The first issues of the report, and how many more there are.
	Rejected, Warnings         []standard.Issue
	MoreRejected, MoreWarnings int
	// Sources are the registered sources a file may be imported for;
	// Source is the one chosen (its name or URL), SourceSaved set once
	// the import saved the mapping to it.
	Sources     []option
	Source      string
	SourceSaved bool
	Editor      *mappingEditor
}

// mappingEditor is the form that changes the columns of a preview.
type mappingEditor struct {
	Upload string // the id of the file
	Rows   []mappingRow
	JSON   string // the mapping in effect, in the format of --mapping
}

// mappingRow is a field of the standard and the select of its column.
type mappingRow struct {
	Field, ID string
	Options   []option // "" (no column) first, then the file's columns
}

// maxIssues is how many rejected rows and warnings the page lists.
const maxIssues = 200

func (v *importView) setReport(rep server.ImportReport) {
	v.Report = &rep
	v.Rejected, v.MoreRejected = rep.Rejected[:min(maxIssues, len(rep.Rejected))], max(0, len(rep.Rejected)-maxIssues)
	v.Warnings, v.MoreWarnings = rep.Warnings[:min(maxIssues, len(rep.Warnings))], max(0, len(rep.Warnings)-maxIssues)
}

// newImportView is the page with the registered sources in the upload
// form, chosen the one of id.
func (p *Module) newImportView(w http.ResponseWriter, r *http.Request, a *adminSession, chosen string) (importView, error) {
	v := importView{adminView: p.adminView(w, r, a, "admin.import.title")}
	srcs, err := p.Store.Sources()
	if err != nil {
		return v, err
	}
	for _, src := range srcs {
		v.Sources = append(v.Sources, option{Value: src.ID, Label: sourceLabel(src), Checked: src.ID == chosen})
	}
	return v, nil
}

func sourceLabel(src storage.Source) string {
	if src.Name != "" {
		return src.Name + " (" + src.URL + ")"
	}
	return src.URL
}

func (p *Module) importPage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	v, err := p.newImportView(w, r, a, "")
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.Render(w, r, http.StatusOK, "admin_import", v)
}

// importUpload reads the uploaded file without writing anything and
// shows what importing it would do, with the mapping of the source it is
// imported for, if any.
func (p *Module) importUpload(w http.ResponseWriter, r *http.Request, a *adminSession) {
	chosen := r.PostFormValue("source")
	v, err := p.newImportView(w, r, a, chosen)
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	up := &upload{source: chosen}
	if chosen != "" {
		src, err := p.Store.Source(chosen)
		if errors.Is(err, storage.ErrNotFound) {
			v.Problem = p.Msg.Get("admin.import.source.unknown")
			p.Render(w, r, http.StatusUnprocessableEntity, "admin_import", v)
			return
		}
		if err != nil {
			p.adminFail(w, r, a, err)
			return
		}
		up.mapping, v.Source = src.Mapping, sourceLabel(src)
	}
	file, header, err := r.FormFile("fichier")
	if err != nil {
		v.Problem = p.Msg.Get("admin.import.nofile")
		p.Render(w, r, http.StatusUnprocessableEntity, "admin_import", v)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, server.MaxImportBody+1))
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	if len(data) > server.MaxImportBody {
		v.Problem = p.Msg.Get("admin.toolarge.text")
		p.Render(w, r, http.StatusRequestEntityTooLarge, "admin_import", v)
		return
	}
	up.name, up.data = header.Filename, data
	v.File = header.Filename
	id := p.uploads.put(p.Now(), a.id, up)
	p.preview(w, r, a, &v, id, *up, up.mapping)
}

// importRemap previews the file again with the columns the editor chose
// in the preview's selects ("colonne-FIELD": a column, or "" for none).
// A field that the previous preview gave a column and that now has none
// is mapped to "", so that detection does not give it one again.
func (p *Module) importRemap(w http.ResponseWriter, r *http.Request, a *adminSession) {
	id := r.PostFormValue("apercu")
	up, ok := p.uploads.peek(p.Now(), a.id, id)
	v, err := p.newImportView(w, r, a, up.source)
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	if !ok {
		v.Problem = p.Msg.Get("admin.import.expired")
		p.Render(w, r, http.StatusGone, "admin_import", v)
		return
	}
	v.File = up.name
	if up.source != "" {
		if src, err := p.Store.Source(up.source); err == nil {
			v.Source = sourceLabel(src)
		}
	}
	mapping := map[string]string{}
	for key, vals := range r.PostForm {
		field, isColumn := strings.CutPrefix(key, "colonne-")
		if !isColumn {
			continue
		}
		if !standard.MappingField(field) {
			v.Problem = p.Msg.Get("admin.import.mapping.badfield", field)
			p.preview(w, r, a, &v, id, up, up.mapping)
			return
		}
		col := ""
		if len(vals) > 0 {
			col = strings.TrimSpace(vals[0])
		}
		_, kept := up.mapping[field]
		switch {
		case col != "":
			mapping[field] = col
		case up.columns[field] != "" || kept:
			mapping[field] = ""
		}
	}
	p.preview(w, r, a, &v, id, up, mapping)
}

// preview runs the dry run of the file id with mapping and renders it
// with the mapping editor. A mapping that does not fit the file is said,
// and the preview falls back on the mapping kept with the file, then on
// none (detection); a file whose columns give no name or commune shows
// its columns in the editor, for the editor to choose.
func (p *Module) preview(w http.ResponseWriter, r *http.Request, a *adminSession, v *importView, id string, up upload, mapping map[string]string) {
	status := http.StatusOK
	if v.Problem != "" {
		status = http.StatusUnprocessableEntity
	}
	tries := []map[string]string{mapping}
	if !maps.Equal(mapping, up.mapping) {
		tries = append(tries, up.mapping)
	}
	if mapping != nil || up.mapping != nil {
		tries = append(tries, nil)
	}
	var rep server.ImportReport
	var err error
	for _, m := range tries {
		rep, err = p.RunImportMapped(bytes.NewReader(up.data), true, m)
		mapping = m
		if !errors.Is(err, standard.ErrMapping) {
			break
		}
		if v.Problem == "" {
			v.Problem = p.Msg.Get("admin.import.mapping.unfit", err.Error())
			status = http.StatusUnprocessableEntity
		}
	}
	var cerr *standard.ColumnsError
	if errors.As(err, &cerr) {
		p.uploads.remember(id, mapping, columnsOf(cerr.Mapping))
		if v.Problem == "" {
			v.Problem = p.Msg.Get("admin.import.unreadable", err.Error())
		}
		v.Editor = p.mappingEditor(id, cerr.Mapping, cerr.Unused, mapping)
		p.Render(w, r, http.StatusUnprocessableEntity, "admin_import", *v)
		return
	}
	if p.importFailed(w, r, a, v, err) {
		return
	}
	p.uploads.remember(id, mapping, columnsOf(rep.Mapping))
	v.setReport(rep)
	v.Editor = p.mappingEditor(id, rep.Mapping, rep.UnusedColumns, mapping)
	if rep.Summary.Created+rep.Summary.Updated > 0 {
		v.Upload = id
	}
	p.Render(w, r, status, "admin_import", *v)
}

// columnsOf is field → column of a mapping found by the reader.
func columnsOf(found []standard.Mapped) map[string]string {
	m := make(map[string]string, len(found))
	for _, f := range found {
		m[f.Field] = f.Column
	}
	return m
}

// mappingEditor lists every field of the standard, and the pseudo-columns
// the file has, each with a select of the file's columns, the one found
// chosen.
func (p *Module) mappingEditor(id string, found []standard.Mapped, unused []string, mapping map[string]string) *mappingEditor {
	ed := &mappingEditor{Upload: id, JSON: mappingJSON(mapping)}
	columns := columnsOf(found)
	var headers []string
	for _, f := range found {
		headers = append(headers, f.Column)
	}
	headers = append(headers, unused...)
	fields := slices.Clone(standard.ColumnsV1)
	for _, f := range found {
		if !slices.Contains(fields, f.Field) {
			fields = append(fields, f.Field)
		}
	}
	for _, f := range fields {
		row := mappingRow{Field: f, ID: "colonne-" + f, Options: []option{{Value: "", Label: p.Msg.Get("admin.import.mapping.none"), Checked: columns[f] == ""}}}
		for _, h := range headers {
			row.Options = append(row.Options, option{Value: h, Label: h, Checked: columns[f] == h})
		}
		ed.Rows = append(ed.Rows, row)
	}
	return ed
}

// importApply imports the file the session uploaded and confirmed, with
// the mapping in effect, and saves that mapping to the source it was
// imported for.
func (p *Module) importApply(w http.ResponseWriter, r *http.Request, a *adminSession) {
	f, ok := p.uploads.take(p.Now(), a.id, r.PostFormValue("envoi"))
	chosen := ""
	if ok {
		chosen = f.source
	}
	v, err := p.newImportView(w, r, a, chosen)
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	if !ok {
		v.Problem = p.Msg.Get("admin.import.expired")
		p.Render(w, r, http.StatusGone, "admin_import", v)
		return
	}
	v.File = f.name
	rep, err := p.RunImportMapped(bytes.NewReader(f.data), false, f.mapping)
	if p.importFailed(w, r, a, &v, err) {
		return
	}
	p.Log.Info("places imported", "file", f.name, "by", a.Email, "created", rep.Summary.Created, "updated", rep.Summary.Updated)
	if f.source != "" {
		src, err := p.Store.Source(f.source)
		switch {
		case errors.Is(err, storage.ErrNotFound): // removed meanwhile
		case err != nil:
			p.adminFail(w, r, a, err)
			return
		default:
			v.Source = sourceLabel(src)
			if !maps.Equal(src.Mapping, f.mapping) {
				// The same file read otherwise: the next run reads it again.
				err := p.Store.UpdateSource(src.ID, func(cur *storage.Source) {
					cur.Mapping, cur.Digest, cur.ETag, cur.LastModified = f.mapping, "", "", ""
				})
				if err != nil && !errors.Is(err, storage.ErrNotFound) {
					p.adminFail(w, r, a, err)
					return
				}
				p.Log.Info("source mapping saved", "source", src.ID, "by", a.Email)
			}
			v.SourceSaved = true
		}
	}
	v.setReport(rep)
	p.Render(w, r, http.StatusOK, "admin_import", v)
}

// importFailed answers an import that could not run, and says so.
func (p *Module) importFailed(w http.ResponseWriter, r *http.Request, a *adminSession, v *importView, err error) bool {
	var bad *server.BadRequest
	switch {
	case err == nil:
		return false
	case errors.As(err, &bad), errors.Is(err, standard.ErrFormat):
		v.Problem = p.Msg.Get("admin.import.unreadable", err.Error())
		p.Render(w, r, http.StatusUnprocessableEntity, "admin_import", *v)
	case errors.Is(err, server.ErrBodyTooLarge):
		v.Problem = p.Msg.Get("admin.toolarge.text")
		p.Render(w, r, http.StatusRequestEntityTooLarge, "admin_import", *v)
	default:
		p.adminFail(w, r, a, err)
	}
	return true
}

// mappingJSON writes a mapping in the format of --mapping, indented, or
// "" for none.
func mappingJSON(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return ""
	}
	return string(b)
}

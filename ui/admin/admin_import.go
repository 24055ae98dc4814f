package admin

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/maillage/maillage/catalogue/standard"
	"github.com/maillage/maillage/ui/internal/server"
)

// An import from the admin pages is in two steps: the file is uploaded
// and read without writing anything (a dry run, whose report is shown),
// then a button applies it. Between the two, the server keeps the file's
// bytes in memory under a random id, for the session that uploaded it
// only, for uploadTTL at most; a new upload replaces the session's
// previous one. Applying it runs the same import as the API.

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
func (u *uploads) put(now time.Time, session, name string, data []byte) string {
	var b [24]byte
	rand.Read(b[:])
	id := base64.RawURLEncoding.EncodeToString(b[:])
	u.mu.Lock()
	defer u.mu.Unlock()
	total := len(data)
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
	u.files[id] = &upload{session: session, name: name, data: data, expires: now.Add(uploadTTL)}
	return id
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
}

// maxIssues is how many rejected rows and warnings the page lists.
const maxIssues = 200

func (v *importView) setReport(rep server.ImportReport) {
	v.Report = &rep
	v.Rejected, v.MoreRejected = rep.Rejected[:min(maxIssues, len(rep.Rejected))], max(0, len(rep.Rejected)-maxIssues)
	v.Warnings, v.MoreWarnings = rep.Warnings[:min(maxIssues, len(rep.Warnings))], max(0, len(rep.Warnings)-maxIssues)
}

func (p *Module) importPage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	p.Render(w, r, http.StatusOK, "admin_import", importView{adminView: p.adminView(w, r, a, "admin.import.title")})
}

// importUpload reads the uploaded file without writing anything and
// shows what importing it would do.
func (p *Module) importUpload(w http.ResponseWriter, r *http.Request, a *adminSession) {
	v := importView{adminView: p.adminView(w, r, a, "admin.import.title")}
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
	v.File = header.Filename
	rep, err := p.RunImport(bytes.NewReader(data), true)
	if p.importFailed(w, r, a, &v, err) {
		return
	}
	v.setReport(rep)
	if rep.Summary.Created+rep.Summary.Updated > 0 {
		v.Upload = p.uploads.put(p.Now(), a.id, header.Filename, data)
	}
	p.Render(w, r, http.StatusOK, "admin_import", v)
}

// importApply imports the file the session uploaded and confirmed.
func (p *Module) importApply(w http.ResponseWriter, r *http.Request, a *adminSession) {
	v := importView{adminView: p.adminView(w, r, a, "admin.import.title")}
	f, ok := p.uploads.take(p.Now(), a.id, r.PostFormValue("envoi"))
	if !ok {
		v.Problem = p.Msg.Get("admin.import.expired")
		p.Render(w, r, http.StatusGone, "admin_import", v)
		return
	}
	v.File = f.name
	rep, err := p.RunImport(bytes.NewReader(f.data), false)
	if p.importFailed(w, r, a, &v, err) {
		return
	}
	p.Log.Info("places imported", "file", f.name, "by", a.Email, "created", rep.Summary.Created, "updated", rep.Summary.Updated)
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

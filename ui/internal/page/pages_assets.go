package page

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

//go:embed static
var staticFiles embed.FS

// asset is one embedded static file, with its gzipped form when that is
// smaller.
type asset struct {
	body, gz    []byte
	contentType string
	etag        string
	version     string // a short hash of the content, for cache busting
}

// assets serves the embedded files under /static/. A request that carries
// the file's current version (?v=…) may be cached for a year.
type Assets struct {
	files map[string]*asset
}

func NewAssets() *Assets {
	a := &Assets{files: map[string]*asset{}}
	err := fs.WalkDir(staticFiles, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFiles.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		f := &asset{body: body, version: hex.EncodeToString(sum[:6])}
		f.etag = `"` + f.version + `"`
		f.contentType = mime.TypeByExtension(path.Ext(name))
		switch path.Ext(name) {
		case ".css":
			f.contentType = "text/css; charset=utf-8"
		case ".js":
			f.contentType = "text/javascript; charset=utf-8"
		case ".png":
			f.contentType = "image/png"
		}
		if f.contentType == "" {
			f.contentType = "application/octet-stream"
		}
		if !strings.HasPrefix(f.contentType, "image/png") {
			var buf bytes.Buffer
			gz, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			gz.Write(body)
			gz.Close()
			if buf.Len() < len(body) {
				f.gz = buf.Bytes()
			}
		}
		a.files[strings.TrimPrefix(name, "static/")] = f
		return nil
	})
	if err != nil {
		panic(err) // the embedded files are part of the binary
	}
	return a
}

// url returns the path of a static file with its version.
func (a *Assets) URL(name string) string {
	f, ok := a.files[name]
	if !ok {
		return "/static/" + name
	}
	return "/static/" + name + "?v=" + f.version
}

func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := a.files[strings.TrimPrefix(r.URL.Path, "/static/")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("ETag", f.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept-Encoding")
	if r.URL.Query().Get("v") == f.version {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.body
	if f.gz != nil && acceptsGzip(r) {
		body = f.gz
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body) // the client may have gone; nothing to do then
}

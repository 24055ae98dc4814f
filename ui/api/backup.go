package api

import (
	"net/http"
	"time"
)

// backup answers GET /api/v1/admin/backup with a consistent copy of the
// database (storage.Store.Backup: every activity acknowledged before the
// request is in it), a bbolt file that `maillage restore` takes. It is
// what `maillage backup --url` reads.
func (s *Module) backup(w http.ResponseWriter, r *http.Request) {
	// A large database takes longer than the server's write timeout.
	if err := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Hour)); err != nil {
		s.Log.Warn("backup: cannot extend the write deadline", "err", err)
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="maillage-`+time.Now().UTC().Format("20060102T150405Z")+`.db"`)
	w.Header().Set("Cache-Control", "no-store")
	n, err := s.Store.Backup(w)
	if err != nil {
		// The status is sent: cut the answer short, so that the client
		// sees an incomplete body (and its check fails) rather than a
		// file that looks whole.
		s.Log.Error("backup: streaming failed", "bytes", n, "err", err)
		panic(http.ErrAbortHandler)
	}
	s.Log.Info("backup streamed", "bytes", n, "remote", r.RemoteAddr)
}

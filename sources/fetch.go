package sources

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/standard"
	"github.com/maillage/maillage/storage"
)

// Statuses of a storage.SourceRun.
const (
	StatusImported  = "imported"
	StatusUnchanged = "unchanged"
	StatusAlert     = "alert"
	StatusError     = "error"
)

// fetchAndImport does one run of src, filling run and src's state.
func (r *Runner) fetchAndImport(ctx context.Context, src *storage.Source, run *storage.SourceRun) {
	fail := func(format string, args ...any) {
		run.Status, run.Error = StatusError, fmt.Sprintf(format, args...)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src.URL, nil)
	if err != nil {
		fail("url : %v", err)
		return
	}
	if src.ETag != "" {
		req.Header.Set("If-None-Match", src.ETag)
	}
	if src.LastModified != "" {
		req.Header.Set("If-Modified-Since", src.LastModified)
	}
	resp, body, err := r.client.Do(req)
	if err != nil {
		fail("téléchargement de %s : %v", src.URL, err)
		return
	}
	run.HTTPStatus = resp.StatusCode
	if resp.StatusCode == http.StatusNotModified {
		run.Status = StatusUnchanged
		return
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		fail("téléchargement de %s : le serveur a répondu %s", src.URL, resp.Status)
		return
	}
	sum := sha256.Sum256(body)
	digest := hex.EncodeToString(sum[:])
	etag, modified := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if digest == src.Digest {
		src.ETag, src.LastModified = etag, modified
		run.Status = StatusUnchanged
		return
	}
	res, err := standard.Read(bytes.NewReader(body), standard.Options{Today: r.cfg.Now().In(catalogue.Paris).Format("2006-01-02"), Mapping: src.Mapping})
	if err != nil {
		fail("lecture du fichier : %v", err)
		return
	}
	recs := make([]storage.ImportRecord, len(res.Records))
	for i, rec := range res.Records {
		recs[i] = storage.ImportRecord{SourceID: rec.ID, Place: rec.Place, Fields: rec.Fields}
	}
	out, err := r.cfg.Store.ImportPlaces(recs, storage.ImportOptions{})
	if err != nil {
		fail("import : %v", err)
		return
	}
	for i, o := range out.Outcomes {
		if o.Action == storage.ImportRejected {
			res.Reject(res.Records[i], o.Err)
		}
	}
	run.Status = StatusImported
	run.Created, run.Updated, run.Unchanged = out.Created, out.Updated, out.Unchanged
	run.Rejected = res.RejectedRows()
	for _, is := range res.Warnings {
		run.Warnings = append(run.Warnings, is.String())
	}
	for _, is := range res.Rejected {
		run.Warnings = append(run.Warnings, "refusé : "+is.String())
	}

	// What the file holds now, and what vanished from it.
	present := map[string]bool{}
	records := map[string]string{}
	for i, rec := range res.Records {
		pid := out.Outcomes[i].PlaceID
		switch {
		case rec.ID != "":
			present[rec.ID] = true
			if pid != "" {
				records[rec.ID] = pid
			}
		case pid != "":
			records["#"+pid] = pid
		}
	}
	for _, is := range res.Rejected {
		if is.ID != "" {
			present[is.ID] = true
		}
	}
	var vanished []string // keys of src.Records
	for k, pid := range src.Records {
		switch {
		case strings.HasPrefix(k, "#"):
			if records[k] == "" {
				vanished = append(vanished, k)
			}
		case !present[k]:
			vanished = append(vanished, k)
		case records[k] == "":
			records[k] = pid // rejected this time: still there
		}
	}
	run.Vanished = len(vanished)
	share := src.MaxVanished
	if share <= 0 {
		share = storage.DefaultMaxVanished
	}
	switch {
	case len(vanished) == 0:
	case float64(len(vanished)) < share*float64(len(src.Records)):
		for _, k := range vanished {
			pid := src.Records[k]
			err := r.cfg.Store.DeletePlace(pid)
			switch {
			case err == nil:
				run.Deleted++
			case errors.Is(err, storage.ErrNotFound):
			default:
				records[k] = pid // tried again next time
				run.Warnings = append(run.Warnings, fmt.Sprintf("lieu %s disparu de la source mais non supprimé : %v", pid, err))
			}
		}
	default:
		for _, k := range vanished {
			records[k] = src.Records[k] // kept, and still followed
		}
		run.Status = StatusAlert
		msg := fmt.Sprintf("source %s : %d lieux sur %d ont disparu du fichier d'un coup (seuil : %.0f %%) ; aucun n'a été supprimé. Vérifiez le fichier, puis supprimez-les à la main s'ils n'existent plus.",
			src.URL, len(vanished), len(src.Records), share*100)
		run.Warnings = append(run.Warnings, msg)
		if _, err := r.cfg.Store.AddAlert(storage.Alert{Source: src.ID, Message: msg}); err != nil {
			r.cfg.Logger.Error("sources: alert", "source", src.ID, "err", err)
		}
		r.cfg.Logger.Warn("sources: too many records vanished, nothing deleted", "source", src.ID, "url", src.URL,
			"vanished", len(vanished), "records", len(src.Records))
	}
	src.Records = records
	src.ETag, src.LastModified, src.Digest = etag, modified, digest
}

package admin

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/server"
)

// One place, several networks, on a place's admin page: the records the
// place is merged with, a button to split a wrong merge and a form to
// link a missed one (storage.SplitPlace and storage.LinkPlaces).

// mergeBox is what a place's admin page shows of its group.
type mergeBox struct {
	ID     string        // the record shown
	Others []mergeSource // the other records of its group; none when it stands alone
	CSRF   string
}

// mergeSource is another record of the group.
type mergeSource struct {
	ID, Network, Updated string // Updated is a French date
}

func (p *Module) registerAdminMerge(post func(string, string, adminHandler)) {
	post("/lieux/{id}/separer", server.RoleCatalogue, p.splitPlaceForm)
	post("/lieux/{id}/lier", server.RoleCatalogue, p.linkPlaceForm)
}

// mergeBoxOf returns the group box of the record id.
func (p *Module) mergeBoxOf(id, csrf string) (*mergeBox, error) {
	m, err := p.Store.MergedPlace(id)
	if err != nil {
		return nil, err
	}
	b := &mergeBox{ID: id, CSRF: csrf}
	for _, s := range m.Sources {
		if s.ID == id {
			continue
		}
		o := mergeSource{ID: s.ID, Network: s.Network.Name}
		if t, err := time.Parse(time.RFC3339, s.Updated); err == nil {
			o.Updated = p.Msg.Date(t)
		}
		b.Others = append(b.Others, o)
	}
	return b, nil
}

// splitPlaceForm detaches a record from its group, for good.
func (p *Module) splitPlaceForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	id := mux.Vars(r)["id"]
	if err := p.Store.SplitPlace(id); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/lieux/"+url.PathEscape(id)+"?ok=separe", http.StatusSeeOther)
}

// linkPlaceForm says that a record and another one ("avec": its id, its
// ActivityPub id or the address of its public page) are one place.
func (p *Module) linkPlaceForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	id := mux.Vars(r)["id"]
	if _, err := p.Store.Place(id); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	other := recordRef(strings.TrimSpace(r.PostFormValue("avec")), r.Host)
	if other == "" {
		p.adminMessage(w, r, http.StatusUnprocessableEntity, a, "admin.merge.title", "admin.merge.link.empty")
		return
	}
	err := p.Store.LinkPlaces(id, other)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		p.adminMessage(w, r, http.StatusUnprocessableEntity, a, "admin.merge.title", "admin.merge.link.unknown")
		return
	case errors.Is(err, storage.ErrConflict):
		p.adminMessage(w, r, http.StatusUnprocessableEntity, a, "admin.merge.title", "admin.merge.link.self")
		return
	case err != nil:
		p.adminFail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/lieux/"+url.PathEscape(id)+"?ok=lie", http.StatusSeeOther)
}

// recordRef turns what an editor pasted into a record reference: the id
// in the address of one of this instance's place pages (public or
// admin), else the text as it is (an id or an ActivityPub id).
func recordRef(s, host string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host != "" && u.Host != host {
		return s
	}
	for _, prefix := range []string{"/lieux/", "/admin/lieux/"} {
		if id, ok := strings.CutPrefix(u.Path, prefix); ok && id != "" && !strings.Contains(id, "/") {
			return id
		}
	}
	return s
}

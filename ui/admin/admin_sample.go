package admin

import (
	"net/http"

	"github.com/maillage/maillage/catalogue"
)

// The first start: the home page of an empty catalogue offers to load
// the sample data of serve --demo-seed with one button, when the
// instance was given the means (server.Server.Sample).

// catalogueEmpty reports whether the instance holds no place at all,
// ours or another network's, draft or not.
func (p *Module) catalogueEmpty() (bool, error) {
	all, err := p.Store.Places(catalogue.PlaceQuery{Limit: 1, Records: true})
	if err != nil {
		return false, err
	}
	if all.Total > 0 {
		return false, nil
	}
	drafts, err := p.Store.Drafts()
	return len(drafts) == 0, err
}

// loadSample is POST /admin/exemple: it loads the sample data into an
// empty catalogue and goes back to the home page; a catalogue that holds
// anything is left alone, with a French message saying why.
func (p *Module) loadSample(w http.ResponseWriter, r *http.Request, a *adminSession) {
	if p.Sample == nil {
		p.adminMessage(w, r, http.StatusNotFound, a, "error.notfound.title", "admin.sample.unavailable")
		return
	}
	p.sampleMu.Lock()
	defer p.sampleMu.Unlock()
	empty, err := p.catalogueEmpty()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	if !empty {
		p.adminMessage(w, r, http.StatusConflict, a, "admin.sample.title", "admin.sample.notempty")
		return
	}
	n, err := p.Sample()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.Log.Info("sample data loaded from the admin home", "places", n, "by", a.Email)
	http.Redirect(w, r, "/admin?ok=exemple-charge", http.StatusSeeOther)
}

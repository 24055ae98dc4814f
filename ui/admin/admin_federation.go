package admin

import (
	"errors"
	"net/http"
	"path"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/admin/forms"
	"github.com/maillage/maillage/ui/internal/server"
)

// The federation and moderation pages, for admins, when the instance
// federates. They call the same Federation methods as the JSON API.

func (p *Module) registerAdminFederation(get, post func(string, string, adminHandler)) {
	get("/reseaux", server.RoleFederation, p.networksPage)
	post("/reseaux/suivre", server.RoleFederation, p.followForm)
	post("/reseaux/suivis/{id}/retirer", server.RoleFederation, p.unfollowForm)
	post("/reseaux/abonnes/{id}/accepter", server.RoleFederation, p.answerFollowerForm(true))
	post("/reseaux/abonnes/{id}/refuser", server.RoleFederation, p.answerFollowerForm(false))
	post("/reseaux/abonnes/{id}/retirer", server.RoleFederation, p.removeFollowerForm)
	get("/moderation", server.RoleModeration, p.moderationPage)
	post("/moderation/bloquer", server.RoleModeration, p.blockForm)
	post("/moderation/debloquer", server.RoleModeration, p.unblockForm)
	post("/moderation/masquer", server.RoleModeration, p.hideForm)
	post("/moderation/demasquer", server.RoleModeration, p.unhideForm)
}

// actorRow is a followed network or a follower, as the pages list it.
type actorRow struct {
	ID, Actor, Name, State string
	Pending                bool
}

// networksAdminView is the data of /admin/reseaux.
type networksAdminView struct {
	adminView
	Following, Followers []actorRow
	Handle               string
	Target, Problem      string
}

func (p *Module) networksPage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	p.renderNetworks(w, r, a, http.StatusOK, networksAdminView{})
}

func (p *Module) renderNetworks(w http.ResponseWriter, r *http.Request, a *adminSession, status int, v networksAdminView) {
	v.adminView = p.adminView(w, r, a, "admin.networks.title")
	fs, err := p.Store.Followings()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	for _, f := range fs {
		v.Following = append(v.Following, actorRow{ID: path.Base(f.ID), Actor: f.Actor, Name: p.ActorName(f.Actor), State: f.State})
	}
	followers, err := p.Store.Followers()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	for _, f := range followers {
		v.Followers = append(v.Followers, actorRow{ID: server.FollowerID(f.Actor), Actor: f.Actor, Name: p.ActorName(f.Actor),
			State: f.State, Pending: f.State == storage.FollowPending})
	}
	if st, err := p.Store.Settings(); err == nil && st.Handle != "" {
		v.Handle = st.Handle + "@" + storage.Domain(p.BaseURL())
	}
	p.Render(w, r, status, "admin_networks", v)
}

// followForm follows a network given as handle@host or an actor URL.
func (p *Module) followForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	target := forms.CleanLine(r.PostFormValue("cible"))
	if target == "" {
		p.renderNetworks(w, r, a, http.StatusUnprocessableEntity, networksAdminView{Problem: p.Msg.Get("admin.networks.target.required")})
		return
	}
	if _, err := p.Fed.Follow(r.Context(), target); err != nil {
		p.Log.Info("follow failed", "target", target, "err", err)
		p.renderNetworks(w, r, a, http.StatusUnprocessableEntity, networksAdminView{Target: target, Problem: p.Msg.Get("admin.networks.follow.failed", err.Error())})
		return
	}
	http.Redirect(w, r, "/admin/reseaux?ok=suivi", http.StatusSeeOther)
}

func (p *Module) unfollowForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	fs, err := p.Store.Followings()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	for _, f := range fs {
		if path.Base(f.ID) == mux.Vars(r)["id"] {
			if err := p.Fed.Unfollow(r.Context(), f.Actor); err != nil {
				p.adminFail(w, r, a, err)
				return
			}
			http.Redirect(w, r, "/admin/reseaux?ok=suivi-retire", http.StatusSeeOther)
			return
		}
	}
	p.adminFail(w, r, a, storage.ErrNotFound)
}

func (p *Module) answerFollowerForm(accept bool) adminHandler {
	return func(w http.ResponseWriter, r *http.Request, a *adminSession) {
		actor, err := p.FollowerActor(mux.Vars(r)["id"])
		if err == nil {
			_, err = p.Fed.AnswerFollower(actor, accept)
		}
		if err != nil {
			p.adminFail(w, r, a, err)
			return
		}
		flash := "abonne-refuse"
		if accept {
			flash = "abonne-accepte"
		}
		http.Redirect(w, r, "/admin/reseaux?ok="+flash, http.StatusSeeOther)
	}
}

func (p *Module) removeFollowerForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	actor, err := p.FollowerActor(mux.Vars(r)["id"])
	if err == nil {
		err = p.Fed.RemoveFollower(actor)
	}
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/reseaux?ok=abonne-retire", http.StatusSeeOther)
}

// moderationView is the data of /admin/moderation.
type moderationView struct {
	adminView
	Blocks, Hidden       []string
	Domain, BlockProblem string
	Record, HideProblem  string
}

func (p *Module) moderationPage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	p.renderModeration(w, r, a, http.StatusOK, moderationView{})
}

func (p *Module) renderModeration(w http.ResponseWriter, r *http.Request, a *adminSession, status int, v moderationView) {
	v.adminView = p.adminView(w, r, a, "admin.moderation.title")
	var err error
	if v.Blocks, err = p.Store.Blocks(); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	if v.Hidden, err = p.Store.Hidden(); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.Render(w, r, status, "admin_moderation", v)
}

// blockForm blocks a domain: its records leave the catalogue.
func (p *Module) blockForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	typed := forms.CleanLine(r.PostFormValue("domaine"))
	domain := storage.Domain(typed)
	if domain == "" {
		p.renderModeration(w, r, a, http.StatusUnprocessableEntity, moderationView{Domain: typed, BlockProblem: p.Msg.Get("admin.moderation.domain.required")})
		return
	}
	_, _, err := p.Fed.Block(domain)
	if errors.Is(err, storage.ErrForbidden) {
		p.renderModeration(w, r, a, http.StatusUnprocessableEntity, moderationView{Domain: typed, BlockProblem: p.Msg.Get("admin.moderation.domain.self")})
		return
	}
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.Log.Info("domain blocked", "domain", domain, "by", a.Email)
	http.Redirect(w, r, "/admin/moderation?ok=bloque", http.StatusSeeOther)
}

func (p *Module) unblockForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	if err := p.Fed.Unblock(r.PostFormValue("domaine")); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/moderation?ok=debloque", http.StatusSeeOther)
}

// hideForm hides another network's place or event.
func (p *Module) hideForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	ref := forms.CleanLine(r.PostFormValue("enregistrement"))
	if ref == "" {
		p.renderModeration(w, r, a, http.StatusUnprocessableEntity, moderationView{HideProblem: p.Msg.Get("admin.moderation.record.required")})
		return
	}
	_, err := p.Fed.Hide(ref)
	switch {
	case errors.Is(err, storage.ErrForbidden):
		p.renderModeration(w, r, a, http.StatusUnprocessableEntity, moderationView{Record: ref, HideProblem: p.Msg.Get("admin.moderation.record.local")})
	case errors.Is(err, storage.ErrNotFound):
		p.renderModeration(w, r, a, http.StatusUnprocessableEntity, moderationView{Record: ref, HideProblem: p.Msg.Get("admin.moderation.record.unknown")})
	case err != nil:
		p.adminFail(w, r, a, err)
	default:
		http.Redirect(w, r, "/admin/moderation?ok=masque", http.StatusSeeOther)
	}
}

func (p *Module) unhideForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	if err := p.Fed.Unhide(r.PostFormValue("ap_id")); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/moderation?ok=demasque", http.StatusSeeOther)
}

package ui

import (
	"errors"
	"net/http"
	"path"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/storage"
)

// The federation and moderation pages, for admins, when the instance
// federates. They call the same Federation methods as the JSON API.

func (p *pages) registerAdminFederation(get, post func(string, string, adminHandler)) {
	get("/reseaux", roleFederation, p.networksPage)
	post("/reseaux/suivre", roleFederation, p.followForm)
	post("/reseaux/suivis/{id}/retirer", roleFederation, p.unfollowForm)
	post("/reseaux/abonnes/{id}/accepter", roleFederation, p.answerFollowerForm(true))
	post("/reseaux/abonnes/{id}/refuser", roleFederation, p.answerFollowerForm(false))
	post("/reseaux/abonnes/{id}/retirer", roleFederation, p.removeFollowerForm)
	get("/moderation", roleModeration, p.moderationPage)
	post("/moderation/bloquer", roleModeration, p.blockForm)
	post("/moderation/debloquer", roleModeration, p.unblockForm)
	post("/moderation/masquer", roleModeration, p.hideForm)
	post("/moderation/demasquer", roleModeration, p.unhideForm)
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

func (p *pages) networksPage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	p.renderNetworks(w, r, a, http.StatusOK, networksAdminView{})
}

func (p *pages) renderNetworks(w http.ResponseWriter, r *http.Request, a *adminSession, status int, v networksAdminView) {
	v.adminView = p.adminView(w, r, a, "admin.networks.title")
	fs, err := p.s.store.Followings()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	for _, f := range fs {
		v.Following = append(v.Following, actorRow{ID: path.Base(f.ID), Actor: f.Actor, Name: p.actorName(f.Actor), State: f.State})
	}
	followers, err := p.s.store.Followers()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	for _, f := range followers {
		v.Followers = append(v.Followers, actorRow{ID: followerID(f.Actor), Actor: f.Actor, Name: p.actorName(f.Actor),
			State: f.State, Pending: f.State == storage.FollowPending})
	}
	if st, err := p.s.store.Settings(); err == nil && st.Handle != "" {
		v.Handle = st.Handle + "@" + storage.Domain(p.baseURL())
	}
	p.render(w, r, status, "admin_networks", v)
}

// followForm follows a network given as handle@host or an actor URL.
func (p *pages) followForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	target := cleanLine(r.PostFormValue("cible"))
	if target == "" {
		p.renderNetworks(w, r, a, http.StatusUnprocessableEntity, networksAdminView{Problem: p.msg.get("admin.networks.target.required")})
		return
	}
	if _, err := p.s.fed.Follow(r.Context(), target); err != nil {
		p.s.log.Info("follow failed", "target", target, "err", err)
		p.renderNetworks(w, r, a, http.StatusUnprocessableEntity, networksAdminView{Target: target, Problem: p.msg.get("admin.networks.follow.failed", err.Error())})
		return
	}
	http.Redirect(w, r, "/admin/reseaux?ok=suivi", http.StatusSeeOther)
}

func (p *pages) unfollowForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	fs, err := p.s.store.Followings()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	for _, f := range fs {
		if path.Base(f.ID) == mux.Vars(r)["id"] {
			if err := p.s.fed.Unfollow(r.Context(), f.Actor); err != nil {
				p.adminFail(w, r, a, err)
				return
			}
			http.Redirect(w, r, "/admin/reseaux?ok=suivi-retire", http.StatusSeeOther)
			return
		}
	}
	p.adminFail(w, r, a, storage.ErrNotFound)
}

func (p *pages) answerFollowerForm(accept bool) adminHandler {
	return func(w http.ResponseWriter, r *http.Request, a *adminSession) {
		actor, err := p.s.followerActor(mux.Vars(r)["id"])
		if err == nil {
			_, err = p.s.fed.AnswerFollower(actor, accept)
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

func (p *pages) removeFollowerForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	actor, err := p.s.followerActor(mux.Vars(r)["id"])
	if err == nil {
		err = p.s.fed.RemoveFollower(actor)
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

func (p *pages) moderationPage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	p.renderModeration(w, r, a, http.StatusOK, moderationView{})
}

func (p *pages) renderModeration(w http.ResponseWriter, r *http.Request, a *adminSession, status int, v moderationView) {
	v.adminView = p.adminView(w, r, a, "admin.moderation.title")
	var err error
	if v.Blocks, err = p.s.store.Blocks(); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	if v.Hidden, err = p.s.store.Hidden(); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.render(w, r, status, "admin_moderation", v)
}

// blockForm blocks a domain: its records leave the catalogue.
func (p *pages) blockForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	typed := cleanLine(r.PostFormValue("domaine"))
	domain := storage.Domain(typed)
	if domain == "" {
		p.renderModeration(w, r, a, http.StatusUnprocessableEntity, moderationView{Domain: typed, BlockProblem: p.msg.get("admin.moderation.domain.required")})
		return
	}
	_, _, err := p.s.fed.Block(domain)
	if errors.Is(err, storage.ErrForbidden) {
		p.renderModeration(w, r, a, http.StatusUnprocessableEntity, moderationView{Domain: typed, BlockProblem: p.msg.get("admin.moderation.domain.self")})
		return
	}
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.s.log.Info("domain blocked", "domain", domain, "by", a.Email)
	http.Redirect(w, r, "/admin/moderation?ok=bloque", http.StatusSeeOther)
}

func (p *pages) unblockForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	if err := p.s.fed.Unblock(r.PostFormValue("domaine")); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/moderation?ok=debloque", http.StatusSeeOther)
}

// hideForm hides another network's place or event.
func (p *pages) hideForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	ref := cleanLine(r.PostFormValue("enregistrement"))
	if ref == "" {
		p.renderModeration(w, r, a, http.StatusUnprocessableEntity, moderationView{HideProblem: p.msg.get("admin.moderation.record.required")})
		return
	}
	_, err := p.s.fed.Hide(ref)
	switch {
	case errors.Is(err, storage.ErrForbidden):
		p.renderModeration(w, r, a, http.StatusUnprocessableEntity, moderationView{Record: ref, HideProblem: p.msg.get("admin.moderation.record.local")})
	case errors.Is(err, storage.ErrNotFound):
		p.renderModeration(w, r, a, http.StatusUnprocessableEntity, moderationView{Record: ref, HideProblem: p.msg.get("admin.moderation.record.unknown")})
	case err != nil:
		p.adminFail(w, r, a, err)
	default:
		http.Redirect(w, r, "/admin/moderation?ok=masque", http.StatusSeeOther)
	}
}

func (p *pages) unhideForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	if err := p.s.fed.Unhide(r.PostFormValue("ap_id")); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/moderation?ok=demasque", http.StatusSeeOther)
}

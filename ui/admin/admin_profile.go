package admin

import (
	"io"
	"net/http"
	"net/mail"
	"strings"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/server"
)

// The network's profile as fediverse users see it (federation/profile.go
// serves it): summary, contact, web site, territory, logo and header.

// maxImage bounds an uploaded logo or header.
const maxImage = 2 << 20

// imageTypes are the formats GoToSocial and Mastodon accept, by the
// content sniffed from the file.
var imageTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

type profileView struct {
	adminView
	Profile  storage.Profile
	Problems map[string]string // field → why it was refused
}

func (p *Module) registerAdminProfile(get, post func(path, role string, h adminHandler)) {
	get("/profil", server.RoleFederation, p.profilePage)
	post("/profil", server.RoleFederation, p.saveProfile)
}

func (p *Module) profilePage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	pr, err := p.Store.Profile()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.Render(w, r, http.StatusOK, "admin_profile", profileView{adminView: p.adminView(w, r, a, "admin.profile.title"), Profile: pr})
}

// saveProfile stores the form; a bad field is refused, named, and
// nothing changes. An image field left empty keeps the current image;
// "retirer_logo" and "retirer_entete" go back to the drawn defaults.
func (p *Module) saveProfile(w http.ResponseWriter, r *http.Request, a *adminSession) {
	pr, err := p.Store.Profile()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	problems := map[string]string{}
	pr.Summary = strings.TrimSpace(r.PostFormValue("presentation"))
	pr.Contact = strings.TrimSpace(r.PostFormValue("contact"))
	pr.Website = strings.TrimSpace(r.PostFormValue("site"))
	pr.Territory = strings.TrimSpace(r.PostFormValue("territoire"))
	if pr.Contact != "" {
		if addr, err := mail.ParseAddress(pr.Contact); err != nil || addr.Address != pr.Contact {
			problems["contact"] = p.Msg.Get("admin.profile.contact.bad")
		}
	}
	if pr.Website != "" && !strings.HasPrefix(pr.Website, "https://") && !strings.HasPrefix(pr.Website, "http://") {
		problems["site"] = p.Msg.Get("admin.profile.site.bad")
	}
	if len(pr.Summary) > 2000 {
		problems["presentation"] = p.Msg.Get("admin.profile.summary.long")
	}
	for _, f := range []struct {
		field, remove string
		data          *[]byte
		kind          *string
	}{{"logo", "retirer_logo", &pr.Logo, &pr.LogoType}, {"entete", "retirer_entete", &pr.Header, &pr.HeaderType}} {
		if r.PostFormValue(f.remove) != "" {
			*f.data, *f.kind = nil, ""
			continue
		}
		file, _, err := r.FormFile(f.field)
		if err != nil {
			continue // none given: keep the current one
		}
		data, err := io.ReadAll(io.LimitReader(file, maxImage+1))
		file.Close()
		kind := http.DetectContentType(data)
		switch {
		case err != nil:
			p.adminFail(w, r, a, err)
			return
		case len(data) > maxImage:
			problems[f.field] = p.Msg.Get("admin.profile.image.large")
		case !imageTypes[kind]:
			problems[f.field] = p.Msg.Get("admin.profile.image.type")
		default:
			*f.data, *f.kind = data, kind
		}
	}
	if len(problems) > 0 {
		p.Render(w, r, http.StatusUnprocessableEntity, "admin_profile", profileView{adminView: p.adminView(w, r, a, "admin.profile.title"), Profile: pr, Problems: problems})
		return
	}
	if err := p.Store.SetProfile(pr); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/profil?ok=profil-enregistre", http.StatusSeeOther)
}

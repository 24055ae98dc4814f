package web

import (
	"net/http"
	"net/url"
	"sort"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/page"
)

// networkRow is a network on the networks page.
type networkRow struct {
	Name    string
	Actor   string
	Handle  string // @name@host when known
	State   string // pending, accepted or rejected
	Since   time.Time
	Places  int
	Events  int
	Counted bool
	Filter  string // the search of its places
}

// networksView is the data of /reseaux.
type networksView struct {
	page.Layout
	Local     networkRow
	Handle    string
	Following []networkRow
	Followers []networkRow
}

func (p *Module) networks(w http.ResponseWriter, r *http.Request) {
	st, err := p.Store.Settings()
	if err != nil {
		p.Fail(w, r, err)
		return
	}
	v := networksView{Layout: p.Layout(p.Msg.Get("networks.title"), "reseaux")}
	host := ""
	if u, err := url.Parse(p.BaseURL()); err == nil {
		host = u.Host
	}
	if st.Handle != "" && host != "" {
		v.Handle = "@" + st.Handle + "@" + host
	}
	v.Local = networkRow{Name: v.Site, Actor: p.Store.ActorIRI(), Handle: v.Handle, State: storage.FollowAccepted}
	if err := p.count(&v.Local, "local"); err != nil {
		p.Fail(w, r, err)
		return
	}
	fs, err := p.Store.Followings()
	if err != nil {
		p.Fail(w, r, err)
		return
	}
	for _, f := range fs {
		row := p.remoteRow(f.Actor, f.State, f.Created)
		if f.State == storage.FollowAccepted {
			if err := p.count(&row, f.Actor); err != nil {
				p.Fail(w, r, err)
				return
			}
		}
		v.Following = append(v.Following, row)
	}
	followers, err := p.Store.Followers()
	if err != nil {
		p.Fail(w, r, err)
		return
	}
	for _, f := range followers {
		v.Followers = append(v.Followers, p.remoteRow(f.Actor, f.State, f.Since))
	}
	for _, list := range [][]networkRow{v.Following, v.Followers} {
		sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	}
	p.Render(w, r, http.StatusOK, "networks", v)
}

func (p *Module) remoteRow(actor, state string, since time.Time) networkRow {
	row := networkRow{Actor: actor, State: state, Since: since, Name: p.ActorName(actor)}
	if a, err := p.Store.Actor(actor); err == nil && a.PreferredUsername != "" {
		if u, err := url.Parse(actor); err == nil {
			row.Handle = "@" + a.PreferredUsername + "@" + u.Host
		}
	}
	return row
}

// count fills the numbers of places and upcoming events of a network.
func (p *Module) count(row *networkRow, network string) error {
	places, err := p.Store.Places(catalogue.PlaceQuery{Network: network, Limit: 1})
	if err != nil {
		return err
	}
	events, err := p.Store.Events(catalogue.EventQuery{Network: network, From: p.Now(), Limit: 1})
	if err != nil {
		return err
	}
	row.Places, row.Events, row.Counted = places.Total, events.Total, true
	row.Filter = "/lieux?network=" + url.QueryEscape(network)
	return nil
}

package storage

import (
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// One physical place may be published by several networks. Its records
// then form a group, kept in the same transaction as every write of a
// place:
//
//   - place_match files each place under its catalogue.MatchKeys, so a
//     write finds the records that may describe the same place with a few
//     seeks, never a walk of all places;
//   - two records of different networks are the same place when
//     catalogue.SamePlace says so; two records of one network only when
//     an editor links them;
//   - place_decisions keeps the editors' decisions, by ActivityPub id so
//     that they outlive a record deleted and published again: "link" (the
//     same place) and "split" (never the same place); they override
//     SamePlace;
//   - place_groups maps each record of a group to its group id and each
//     group to its records. A record alone has no entry.
//
// Grouping is connected components (cluster): link decisions join two
// records' components always; then SamePlace joins them unless a split
// decision separates a record of one from a record of the other. When a
// record is written, it, the records it matches or is linked to, and the
// groups of all of them are grouped again together; when one is deleted,
// the rest of its group is.
//
// Each group has an index entry of its own (kind 'g', see load.go): its
// merged place (catalogue.MergePlaces), indexed under the group id with
// the networks of all its records. Searches show the group instead of
// its records.

// groupPrefix starts every group id; record ids (base32) never hold a '-'.
const groupPrefix = "g-"

func isGroupID(id string) bool { return strings.HasPrefix(id, groupPrefix) }

func matchEntries(p *catalogue.Place) []entry {
	keys := catalogue.MatchKeys(p)
	es := make([]entry, len(keys))
	for i, k := range keys {
		es[i] = entry{bucketPlaceMatch, joinKey(k, p.ID), nil}
	}
	return es
}

// Keys of place_groups and place_decisions.
func memberKey(id string) []byte { return append([]byte{'m'}, id...) }
func groupKey(gid string) []byte { return append([]byte{'g'}, gid...) }
func decisionKey(kind byte, a, b string) []byte {
	return append(append(append([]byte{kind}, a...), ' '), b...)
}

const (
	decisionLink  = 'l'
	decisionSplit = 's'
)

// decided is the value of a decision: not empty, as bbolt answers nil for
// an empty value written in the same transaction.
var decided = []byte{1}

// grouper regroups places within one write transaction. Make one per
// transaction (a batched function may run twice), call place or removed
// after each write of a place, then finish.
type grouper struct {
	tx      *bolt.Tx
	groups  *bolt.Bucket
	records map[string]*catalogue.Place // read or written in tx; nil: deleted
	dirty   map[string]bool             // group ids changed
}

func newGrouper(tx *bolt.Tx) *grouper {
	return &grouper{tx: tx, groups: tx.Bucket(bucketPlaceGroups), records: map[string]*catalogue.Place{}, dirty: map[string]bool{}}
}

func (g *grouper) record(id string) (*catalogue.Place, error) {
	if p, ok := g.records[id]; ok {
		if p == nil {
			return nil, fmt.Errorf("place %s: %w", id, ErrNotFound)
		}
		return p, nil
	}
	p, err := getPlace(g.tx, id)
	if err != nil {
		return nil, err
	}
	g.records[id] = p
	return p, nil
}

func (g *grouper) groupOf(id string) string { return string(g.groups.Get(memberKey(id))) }

func (g *grouper) members(gid string) []string {
	v := g.groups.Get(groupKey(gid))
	if len(v) == 0 {
		return nil
	}
	return strings.Split(string(v), "\n")
}

// setGroup makes members (sorted here) the group gid; fewer than two
// dissolve it.
func (g *grouper) setGroup(gid string, members []string) error {
	g.dirty[gid] = true
	for _, m := range g.members(gid) {
		if g.groupOf(m) == gid && (len(members) < 2 || !slices.Contains(members, m)) {
			if err := g.groups.Delete(memberKey(m)); err != nil {
				return err
			}
		}
	}
	if len(members) < 2 {
		return g.groups.Delete(groupKey(gid))
	}
	slices.Sort(members)
	for _, m := range members {
		if err := g.groups.Put(memberKey(m), []byte(gid)); err != nil {
			return err
		}
	}
	return g.groups.Put(groupKey(gid), []byte(strings.Join(members, "\n")))
}

// place regroups p, just written: p, the records it is the same place as
// by itself (matches, or a link), and the groups of all of them are
// grouped again together.
func (g *grouper) place(p *catalogue.Place) error {
	if p.Draft() {
		return g.removed(p.ID) // a draft is merged with nothing until completed
	}
	g.records[p.ID] = p
	ids := []string{p.ID}
	var gids []string
	addGroup := func(id string) {
		gid := g.groupOf(id)
		if gid == "" || slices.Contains(gids, gid) {
			return
		}
		gids = append(gids, gid)
		for _, m := range g.members(gid) {
			if !slices.Contains(ids, m) {
				ids = append(ids, m)
			}
		}
	}
	addGroup(p.ID)
	cands, err := g.candidates(p)
	if err != nil {
		return err
	}
	for _, c := range cands {
		if link, split := g.decision(p, c); !link && (split || !matches(p, c)) {
			continue // the others are no business of p's
		}
		if !slices.Contains(ids, c.ID) {
			ids = append(ids, c.ID)
		}
		addGroup(c.ID)
	}
	if len(ids) == 1 {
		return nil
	}
	for _, gid := range gids {
		if err := g.setGroup(gid, nil); err != nil {
			return err
		}
	}
	slices.Sort(ids)
	return g.cluster(ids, gids)
}

// removed regroups what was the group of the place id, just deleted.
func (g *grouper) removed(id string) error {
	g.records[id] = nil
	if gid := g.groupOf(id); gid != "" {
		return g.leave(id, gid)
	}
	return nil
}

// leave takes id out of the group gid and groups the rest again.
func (g *grouper) leave(id, gid string) error {
	var rest []string
	for _, m := range g.members(gid) {
		if m != id {
			rest = append(rest, m)
		}
	}
	if err := g.setGroup(gid, nil); err != nil {
		return err
	}
	return g.cluster(rest, []string{gid})
}

// cluster groups ids among themselves: link decisions join two records'
// components always; then, in id order, matches joins them unless a split
// decision separates a record of one from a record of the other. The
// groups of two or more take the ids reuse in order, then new ones.
func (g *grouper) cluster(ids []string, reuse []string) error {
	recs := make([]*catalogue.Place, 0, len(ids))
	for _, id := range ids {
		p, err := g.record(id)
		if err != nil {
			return err
		}
		recs = append(recs, p)
	}
	comp := make([]int, len(recs)) // component of each record: a union-find without ranks, the lists are short
	for i := range comp {
		comp[i] = i
	}
	find := func(i int) int {
		for comp[i] != i {
			i = comp[i]
		}
		return i
	}
	membersOf := func(c int) []*catalogue.Place {
		var out []*catalogue.Place
		for i := range recs {
			if find(i) == c {
				out = append(out, recs[i])
			}
		}
		return out
	}
	for _, linksOnly := range []bool{true, false} {
		for i := range recs {
			for j := i + 1; j < len(recs); j++ {
				ci, cj := find(i), find(j)
				if ci == cj {
					continue
				}
				link, split := g.decision(recs[i], recs[j])
				switch {
				case linksOnly && link:
				case !linksOnly && !split && matches(recs[i], recs[j]) && g.joinable(membersOf(ci), membersOf(cj)):
				default:
					continue
				}
				comp[cj] = ci
			}
		}
	}
	byComp := map[int][]string{}
	var order []int
	for i := range recs {
		c := find(i)
		if byComp[c] == nil {
			order = append(order, c)
		}
		byComp[c] = append(byComp[c], recs[i].ID)
	}
	for _, c := range order {
		if len(byComp[c]) < 2 {
			continue
		}
		gid := groupPrefix + newID()
		if len(reuse) > 0 {
			gid, reuse = reuse[0], reuse[1:]
		}
		if err := g.setGroup(gid, byComp[c]); err != nil {
			return err
		}
	}
	return nil
}

// candidates are the records that may be the same place as p, in id
// order: those sharing a match key, and those linked to it.
func (g *grouper) candidates(p *catalogue.Place) ([]*catalogue.Place, error) {
	seen := map[string]bool{p.ID: true}
	var ids []string
	c := g.tx.Bucket(bucketPlaceMatch).Cursor()
	for _, k := range catalogue.MatchLookups(p) {
		prefix := k + "/"
		for key, _ := c.Seek([]byte(prefix)); hasPrefix(key, prefix); key, _ = c.Next() {
			if id := string(key[len(prefix):]); !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	for _, ap := range g.linked(p.APID) {
		if id, ok := resolve(g.tx, kindPlace, ap); ok && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	out := make([]*catalogue.Place, 0, len(ids))
	for _, id := range ids {
		q, err := g.record(id)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}

// linked lists the ActivityPub ids linked to apID.
func (g *grouper) linked(apID string) []string {
	var out []string
	prefix := string(decisionKey(decisionLink, apID, ""))
	c := g.tx.Bucket(bucketPlaceDecisions).Cursor()
	for k, _ := c.Seek([]byte(prefix)); hasPrefix(k, prefix); k, _ = c.Next() {
		out = append(out, string(k[len(prefix):]))
	}
	return out
}

// decision tells whether an editor linked or split a and b.
func (g *grouper) decision(a, b *catalogue.Place) (link, split bool) {
	d := g.tx.Bucket(bucketPlaceDecisions)
	return d.Get(decisionKey(decisionLink, a.APID, b.APID)) != nil, d.Get(decisionKey(decisionSplit, a.APID, b.APID)) != nil
}

// joinable says whether no record of a was split from a record of b.
func (g *grouper) joinable(a, b []*catalogue.Place) bool {
	for _, x := range a {
		for _, y := range b {
			if _, split := g.decision(x, y); split {
				return false
			}
		}
	}
	return true
}

// matches is the automatic rule between two records: SamePlace, for
// records of different networks.
func matches(a, b *catalogue.Place) bool {
	return differentNetworks(a, b) && catalogue.SamePlace(a, b)
}

func differentNetworks(a, b *catalogue.Place) bool {
	if a.Network.Local || b.Network.Local {
		return a.Network.Local != b.Network.Local
	}
	return a.Network.Actor != b.Network.Actor
}

// finish writes the index entries of the groups changed and notes them
// in t.
func (g *grouper) finish(t *touched) error {
	gids := make([]string, 0, len(g.dirty))
	for gid := range g.dirty {
		gids = append(gids, gid)
	}
	slices.Sort(gids)
	journal := g.tx.Bucket(bucketIndexJournal)
	for _, gid := range gids {
		var ie []byte
		if g.groups.Get(groupKey(gid)) != nil {
			m, recs, err := mergeRecords(g.tx, gid, g.record)
			if err != nil {
				return err
			}
			ie = catalogue.AppendGroupEntry(nil, m, recs)
		} else {
			ie = []byte{}
		}
		if err := journal.Put(journalKey(kindGroup, gid), ie); err != nil {
			return err
		}
		if t != nil {
			t.groups = append(t.groups, gid)
		}
	}
	clear(g.dirty)
	return nil
}

// groupAll groups every place from scratch: the migration to schema
// version 4.
func groupAll(tx *bolt.Tx) error {
	for _, name := range groupBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	g := newGrouper(tx)
	var ps []*catalogue.Place
	err := tx.Bucket(bucketPlaces).ForEach(func(k, v []byte) error {
		var p catalogue.Place
		if err := decodePlace(v, &p); err != nil {
			return fmt.Errorf("decode place %s: %w", k, err)
		}
		ps = append(ps, &p)
		for _, e := range matchEntries(&p) {
			if err := tx.Bucket(e.bucket).Put(e.key, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range ps {
		if err := g.place(p); err != nil {
			return err
		}
	}
	return g.finish(nil)
}

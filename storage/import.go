package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/communes"
)

// bucketImportKeys maps the identity of an imported record, its source
// and its id in the file (source "\x00" id), to the local place it
// became. It is created by the first import.
//
// TODO(schema): declare it in schema.go with the other buckets (it is
// created lazily here so that the schema version need not change).
var bucketImportKeys = []byte("import_keys")

// Actions of an ImportOutcome.
const (
	ImportCreated   = "created"
	ImportUpdated   = "updated"
	ImportUnchanged = "unchanged"
	ImportRejected  = "rejected"
)

// ImportRecord is one place read from a file, for ImportPlaces.
type ImportRecord struct {
	// SourceID is the record's id in the file, "" when it has none. With
	// Place.Source it identifies the record from one import to the next.
	SourceID string
	// Place is normalised and validated.
	Place *catalogue.Place
	// Fields are the JSON names of the Place fields the file gives; when
	// a stored place is updated, the others keep their stored values. Nil
	// means every field. Without date_maj, an unchanged place keeps its
	// date and a changed one takes Place.DateMaj.
	Fields []string
}

// ImportOutcome is what became of one ImportRecord.
type ImportOutcome struct {
	Action  string // ImportCreated, ImportUpdated, ImportUnchanged or ImportRejected
	PlaceID string // the local place; "" for a rejection and for a creation in a dry run
	// Err says why a record was rejected, in French: the place as merged
	// with the stored one breaks a rule (a *catalogue.ValidationError), an
	// earlier record gave the same source and id, or it matches a place
	// that an earlier record of the same import took.
	Err error
}

// ImportResult counts the outcomes of ImportPlaces.
type ImportResult struct {
	Created, Updated, Unchanged, Rejected int
	// Outcomes has one entry per record, in the order given.
	Outcomes []ImportOutcome
}

// ImportOptions tune ImportPlaces.
type ImportOptions struct {
	// DryRun computes the outcomes without writing anything.
	DryRun bool
	// Progress, when set, is called after every 1,000th record and after
	// the last one, from inside the transaction.
	Progress func(done, total int)
}

// ImportPlaces creates or updates local places from the records of a
// file, in one transaction: all are written, or none (the error is then
// returned). Each record is matched with a local place on its (source,
// id) first, then on its pivot and address (pivot, postal code and
// street, with the same name when the pivot is the standard's unknown
// 00000000000000). A matched place whose content would not change is left
// alone, so importing the same file twice changes nothing. Every created
// or updated place is published to the followers like any local write,
// in the same transaction. The records' places get their ids, ActivityPub
// ids and update times, even when the transaction then fails.
func (s *Store) ImportPlaces(recs []ImportRecord, opts ImportOptions) (ImportResult, error) {
	var res ImportResult
	var written []*catalogue.Place
	var t touched
	run := func(tx *bolt.Tx) error {
		im := &importer{s: s, tx: tx, dry: opts.DryRun, now: s.now().UTC(), ownName: s.localNetwork().Name, claimed: map[string]int{}, newKeys: map[string]string{}, seen: map[string]int{}}
		im.keys = tx.Bucket(bucketImportKeys)
		res = ImportResult{Outcomes: make([]ImportOutcome, len(recs))}
		for i := range recs {
			out, err := im.decide(i, recs[i])
			if err != nil {
				return err
			}
			res.Outcomes[i] = out
			switch out.Action {
			case ImportCreated:
				res.Created++
			case ImportUpdated:
				res.Updated++
			case ImportUnchanged:
				res.Unchanged++
			case ImportRejected:
				res.Rejected++
			}
			if opts.Progress != nil && ((i+1)%1000 == 0 || i+1 == len(recs)) {
				opts.Progress(i+1, len(recs))
			}
		}
		if opts.DryRun {
			return nil
		}
		var err error
		if written, err = im.write(); err != nil {
			return err
		}
		t = touched{}
		g := newGrouper(tx)
		for _, p := range written {
			if err := g.place(p); err != nil {
				return err
			}
		}
		return g.finish(&t)
	}
	var err error
	if opts.DryRun {
		err = s.db.View(run)
	} else {
		err = s.update(run, func() {
			for _, p := range written {
				s.indexPlace(p)
			}
			s.applyGroups(t.groups)
			if len(written) > 0 {
				s.wake()
			}
		})
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("import places: %w", err)
	}
	return res, nil
}

// importer is the state of one ImportPlaces transaction. It first decides
// what becomes of every record, reading only; then it writes, each bucket
// in key order: bbolt keeps the nodes a transaction touches in memory
// until it commits, and inserting 25,000 random keys in the middle of
// them would move their entries 25,000 times.
type importer struct {
	s    *Store
	tx   *bolt.Tx
	dry  bool
	now  time.Time
	keys *bolt.Bucket // nil before the first import
	// ownName is this instance's network name, which the exports give as
	// source to its places that name none.
	ownName string

	byAddress map[string][]candidate // local places by addressKey, read at the first need
	claimed   map[string]int         // place id → the record that matched or created it
	newKeys   map[string]string      // import key → place id, to write
	seen      map[string]int         // import key → the record that gave it
	creates   []*catalogue.Place
	updates   []placeUpdate
}

type placeUpdate struct {
	old, merged *catalogue.Place
}

// keyValue is an index entry with its value, as putRecord writes it.
type keyValue struct {
	entry
	value []byte
}

// decide matches record i and says what becomes of it; creations and
// updates are kept for write.
func (im *importer) decide(i int, rec ImportRecord) (ImportOutcome, error) {
	p := rec.Place
	if err := resolveSkills(im.tx, p); err != nil {
		return ImportOutcome{Action: ImportRejected, Err: err}, nil
	}
	if rec.SourceID != "" {
		k := string(importKey(p.Source, rec.SourceID))
		if first, dup := im.seen[k]; dup {
			return ImportOutcome{Action: ImportRejected, Err: fmt.Errorf("même source et même id que l'enregistrement n° %d du fichier", first+1)}, nil
		}
		im.seen[k] = i
	}
	old, err := im.match(rec)
	if err != nil {
		return ImportOutcome{}, err
	}
	if old != nil {
		if first, taken := im.claimed[old.ID]; taken {
			return ImportOutcome{Action: ImportRejected, Err: fmt.Errorf("même lieu que l'enregistrement n° %d du fichier (même source et id, ou même pivot et adresse)", first+1)}, nil
		}
		im.claimed[old.ID] = i
	}
	if old == nil {
		if im.dry {
			return ImportOutcome{Action: ImportCreated}, nil
		}
		p.ID = newID()
		p.APID = im.s.baseURL + "/lieux/" + p.ID
		p.Network = catalogue.Network{Local: true}
		p.Published = publishedAt(im.now)
		p.Updated = p.Published
		communes.France().Settle(p, nil)
		im.claimed[p.ID] = i
		im.addAddress(p)
		im.remember(rec, p.ID)
		im.creates = append(im.creates, p)
		return ImportOutcome{Action: ImportCreated, PlaceID: p.ID}, nil
	}

	fields := rec.Fields
	if p.Draft() && !old.Draft() && fields != nil {
		// A published place keeps what the record lacks: it does not go
		// back to being a draft.
		fields = slices.DeleteFunc(slices.Clone(fields), func(f string) bool { return slices.Contains(p.ACompleter, f) })
	}
	merged := mergeAbsent(p, old, fields)
	if !old.Draft() {
		merged.ACompleter = nil
	}
	communes.France().Settle(merged, old)
	if merged.Draft() {
		merged.Normalize() // what the stored place gives is no longer missing
	}
	if im.ownSource(p, old) {
		merged.Source = ""
	}
	if rec.Fields != nil && !contains(rec.Fields, "horaires") {
		merged.HoursError = old.HoursError
	}
	dated := rec.Fields == nil || contains(rec.Fields, "date_maj")
	if !dated {
		merged.DateMaj = old.DateMaj
	}
	im.remember(rec, old.ID)
	if sameContent(merged, old) {
		return ImportOutcome{Action: ImportUnchanged, PlaceID: old.ID}, nil
	}
	if !dated {
		merged.DateMaj = p.DateMaj
	}
	if err := merged.Validate(); err != nil {
		return ImportOutcome{Action: ImportRejected, Err: err}, nil
	}
	if im.dry {
		return ImportOutcome{Action: ImportUpdated, PlaceID: old.ID}, nil
	}
	merged.ID, merged.APID, merged.Network = old.ID, old.APID, old.Network
	merged.Published = keptPublished(old.Published, old.Updated)
	merged.Updated = editedAt(merged.Published, im.now)
	*p = *merged
	im.updates = append(im.updates, placeUpdate{old: old, merged: p})
	return ImportOutcome{Action: ImportUpdated, PlaceID: old.ID}, nil
}

// write stores what decide kept, publishes each change, and returns the
// places written.
func (im *importer) write() ([]*catalogue.Place, error) {
	written := make([]*catalogue.Place, 0, len(im.updates)+len(im.creates))
	for _, u := range im.updates {
		if err := putRecord(im.tx, bucketPlaces, u.merged.ID, u.merged, kindPlace, placeEntries(u.old), placeEntries(u.merged)); err != nil {
			return nil, err
		}
		if err := im.s.publish(im.tx, Change{Verb: updateVerb(u.old), Place: u.merged}); err != nil {
			return nil, err
		}
		written = append(written, u.merged)
	}
	// New places in id order, then their index entries in key order.
	slices.SortFunc(im.creates, func(a, b *catalogue.Place) int { return strings.Compare(a.ID, b.ID) })
	var entries []keyValue
	for _, p := range im.creates {
		if err := putRecord(im.tx, bucketPlaces, p.ID, p, kindPlace, nil, nil); err != nil {
			return nil, err
		}
		if err := im.s.publish(im.tx, Change{Verb: VerbCreate, Place: p}); err != nil {
			return nil, err
		}
		for _, e := range placeEntries(p) {
			kv := keyValue{entry: e}
			if bytes.Equal(e.bucket, bucketObjects) {
				kv.value = objectValue(kindPlace, p.ID)
			}
			entries = append(entries, kv)
		}
		written = append(written, p)
	}
	slices.SortFunc(entries, func(a, b keyValue) int {
		if c := bytes.Compare(a.bucket, b.bucket); c != 0 {
			return c
		}
		return bytes.Compare(a.key, b.key)
	})
	for _, e := range entries {
		if err := im.tx.Bucket(e.bucket).Put(e.key, e.value); err != nil {
			return nil, err
		}
	}
	if len(im.newKeys) > 0 {
		if im.keys == nil {
			var err error
			if im.keys, err = im.tx.CreateBucket(bucketImportKeys); err != nil {
				return nil, fmt.Errorf("create bucket %s: %w", bucketImportKeys, err)
			}
		}
		keys := make([]string, 0, len(im.newKeys))
		for k := range im.newKeys {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if err := im.keys.Put([]byte(k), []byte(im.newKeys[k])); err != nil {
				return nil, err
			}
		}
	}
	return written, nil
}

// match finds the local place a record stands for, or nil.
func (im *importer) match(rec ImportRecord) (*catalogue.Place, error) {
	p := rec.Place
	if rec.SourceID != "" {
		k := importKey(p.Source, rec.SourceID)
		id, pending := im.newKeys[string(k)]
		if !pending && im.keys != nil {
			id = string(im.keys.Get(k))
		}
		if id != "" {
			old, err := im.local(id)
			if old != nil || err != nil {
				return old, err
			}
		}
		// A file exported by this instance gives its places' own ids.
		if old, err := im.local(rec.SourceID); old != nil && (old.Source == p.Source || im.ownSource(p, old)) || err != nil {
			return old, err
		}
	}
	if err := im.loadAddresses(); err != nil {
		return nil, err
	}
	best, bestScore := "", 0
	name := matchKey(p.Nom)
	for _, c := range im.byAddress[addressKey(p)] {
		if _, taken := im.claimed[c.id]; taken {
			continue
		}
		score := 1
		switch {
		case c.name == name && c.source == p.Source:
			score = 3
		case c.name == name:
			score = 2
		case p.Pivot == placeholderPivot:
			continue // an unknown pivot says nothing: the name must agree too
		}
		if score > bestScore {
			best, bestScore = c.id, score
		}
	}
	if best == "" {
		return nil, nil
	}
	return im.local(best)
}

// candidate is what matching on the address needs of a stored place.
type candidate struct {
	id, name, source string
}

// local returns the local place id, or nil when there is none (deleted
// since, or another network's).
func (im *importer) local(id string) (*catalogue.Place, error) {
	p, err := getPlace(im.tx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !p.Network.Local {
		return nil, nil
	}
	return p, nil
}

// remember records, for write, that rec is the place id, unless the
// import keys say so already.
func (im *importer) remember(rec ImportRecord, id string) {
	if im.dry || rec.SourceID == "" {
		return
	}
	k := importKey(rec.Place.Source, rec.SourceID)
	if im.keys != nil && string(im.keys.Get(k)) == id {
		return
	}
	im.newKeys[string(k)] = id
}

// ownSource says whether p, read from a file, names this instance's
// network as its source where old, the local place it matches, names
// none: that is how the exports write our own places (a file exported
// here and imported again says nothing new), so old keeps no source.
func (im *importer) ownSource(p, old *catalogue.Place) bool {
	return old.Source == "" && im.ownName != "" && p.Source == im.ownName
}

// loadAddresses reads the address of every local place, once.
func (im *importer) loadAddresses() error {
	if im.byAddress != nil {
		return nil
	}
	im.byAddress = map[string][]candidate{}
	return im.tx.Bucket(bucketPlaces).ForEach(func(k, v []byte) error {
		var p struct {
			catalogue.Network `json:"network"`
			Pivot             string `json:"pivot"`
			Nom               string `json:"nom"`
			Adresse           string `json:"adresse"`
			CodePostal        string `json:"code_postal"`
			Source            string `json:"source"`
		}
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("decode place %s: %w", k, err)
		}
		if p.Network.Local {
			im.addAddress(&catalogue.Place{ID: string(k), Pivot: p.Pivot, Nom: p.Nom, Adresse: p.Adresse, CodePostal: p.CodePostal, Source: p.Source})
		}
		return nil
	})
}

func (im *importer) addAddress(p *catalogue.Place) {
	if im.byAddress != nil {
		k := addressKey(p)
		im.byAddress[k] = append(im.byAddress[k], candidate{id: p.ID, name: matchKey(p.Nom), source: p.Source})
	}
}

func importKey(source, id string) []byte {
	return []byte(source + "\x00" + id)
}

// placeholderPivot is the standard's "unknown" pivot.
const placeholderPivot = "00000000000000"

// addressKey is a place's pivot, postal code and street, folded.
func addressKey(p *catalogue.Place) string {
	return p.Pivot + "/" + p.CodePostal + "/" + matchKey(p.Adresse)
}

// matchKey keeps only the folded letters and digits of s.
func matchKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, catalogue.Fold(s))
}

// readOnlyPlaceFields are set by the server, never by a file; the
// record's a_completer stands too, for what the stored place gives.
var readOnlyPlaceFields = map[string]bool{
	"a_completer": true, "id": true, "ap_id": true, "network": true, "updated": true, "horaires_erreur": true, "distance_km": true,
}

// mergeAbsent returns a copy of p whose fields missing from fields (JSON
// names) are those of old. Nil fields means all are given.
func mergeAbsent(p, old *catalogue.Place, fields []string) *catalogue.Place {
	merged := *p
	if fields == nil {
		return &merged
	}
	given := make(map[string]bool, len(fields))
	for _, f := range fields {
		given[f] = true
	}
	dst, src := reflect.ValueOf(&merged).Elem(), reflect.ValueOf(old).Elem()
	t := dst.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" || readOnlyPlaceFields[name] || given[name] {
			continue
		}
		dst.Field(i).Set(src.Field(i))
	}
	return &merged
}

// sameContent reports whether two places hold the same data, leaving out
// what the server sets.
func sameContent(a, b *catalogue.Place) bool {
	x, y := contentOf(*a), contentOf(*b)
	return reflect.DeepEqual(x, y)
}

// contentOf is p without what the server sets, its empty lists nil as
// they are once stored.
func contentOf(p catalogue.Place) catalogue.Place {
	p.ID, p.APID, p.Network, p.Updated, p.Published, p.HoursError, p.DistanceKm = "", "", catalogue.Network{}, time.Time{}, time.Time{}, "", nil
	v := reflect.ValueOf(&p).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.Slice && f.Len() == 0 {
			f.Set(reflect.Zero(f.Type()))
		}
	}
	return p
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

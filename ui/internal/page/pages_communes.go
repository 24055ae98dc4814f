package page

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/server"
)

// communeTTL is how long the list of the catalogue's communes is kept
// before it is read again.
const communeTTL = 10 * time.Minute

// commune is a commune of the catalogue, in one département, with the
// centre of its places.
type Commune struct {
	Name    string
	Dept    string
	Postals []string
	Lat     float64
	Lon     float64
	n       int // places with coordinates
	key     string
}

// Label is how suggestions write a commune: "Marseille (13)".
func (c *Commune) Label() string {
	return c.Name + " (" + c.Dept + ")"
}

// communes is the directory of the communes the catalogue's places are
// in, for the "où ?" field. It is built from the store on first use and
// rebuilt at most every communeTTL, by one request at a time while the
// others keep the previous list.
type Communes struct {
	store *storage.Store
	now   func() time.Time

	build sync.Mutex // held while (re)building
	dir   atomic.Pointer[communeDir]
}

// communeDir is one reading of the catalogue's communes.
type communeDir struct {
	built  time.Time
	list   []*Commune // by folded name, then département
	byName map[string][]*Commune
	byCode map[string]*Commune // postal code to its commune with the most places
}

// load returns the current directory, building it if needed. When it is
// stale, one request rebuilds it while the others keep the previous one.
func (c *Communes) load() (*communeDir, error) {
	d := c.dir.Load()
	if d != nil && c.now().Sub(d.built) < communeTTL {
		return d, nil
	}
	if d != nil && !c.build.TryLock() {
		return d, nil
	}
	if d == nil {
		c.build.Lock()
	}
	defer c.build.Unlock()
	if cur := c.dir.Load(); cur != d {
		return cur, nil // built by another request meanwhile
	}
	d, err := c.read()
	if err != nil {
		return nil, err
	}
	c.dir.Store(d)
	return d, nil
}

func (c *Communes) read() (*communeDir, error) {
	type sum struct {
		*Commune
		lat, lon float64
		codes    map[string]bool
	}
	sums := map[string]*sum{}
	q := catalogue.PlaceQuery{Limit: catalogue.MaxLimit}
	for {
		page, err := c.store.Places(q)
		if err != nil {
			return nil, fmt.Errorf("list communes: %w", err)
		}
		for _, p := range page.Items {
			name := strings.TrimSpace(p.Commune)
			dept := p.Departement()
			if name == "" || dept == "" {
				continue
			}
			key := catalogue.Fold(name) + "|" + dept
			s := sums[key]
			if s == nil {
				s = &sum{Commune: &Commune{Name: name, Dept: dept, key: catalogue.Fold(name)}, codes: map[string]bool{}}
				sums[key] = s
			}
			if p.CodePostal != "" {
				s.codes[p.CodePostal] = true
			}
			if p.HasCoordinates() {
				s.lat += *p.Latitude
				s.lon += *p.Longitude
				s.n++
			}
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	d := &communeDir{built: c.now(), byName: map[string][]*Commune{}, byCode: map[string]*Commune{}}
	for _, s := range sums {
		cm := s.Commune
		if s.n > 0 {
			cm.Lat, cm.Lon = s.lat/float64(s.n), s.lon/float64(s.n)
		}
		for code := range s.codes {
			cm.Postals = append(cm.Postals, code)
			if old, ok := d.byCode[code]; !ok || old.n < cm.n {
				d.byCode[code] = cm
			}
		}
		sort.Strings(cm.Postals)
		d.list = append(d.list, cm)
		d.byName[cm.key] = append(d.byName[cm.key], cm)
	}
	sort.Slice(d.list, func(i, j int) bool {
		if d.list[i].key != d.list[j].key {
			return d.list[i].key < d.list[j].key
		}
		return d.list[i].Dept < d.list[j].Dept
	})
	return d, nil
}

// suggest returns up to n communes whose name (or a word of it) or postal
// code starts with prefix, most places first.
func (c *Communes) Suggest(prefix string, n int) ([]*Commune, error) {
	key := catalogue.Fold(strings.TrimSpace(prefix))
	if len([]rune(key)) < 2 {
		return nil, nil
	}
	d, err := c.load()
	if err != nil {
		return nil, err
	}
	var out []*Commune
	for _, cm := range d.list {
		if matchesCommune(cm, key) {
			out = append(out, cm)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		pi, pj := strings.HasPrefix(out[i].key, key), strings.HasPrefix(out[j].key, key)
		if pi != pj {
			return pi
		}
		return out[i].n > out[j].n
	})
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

func matchesCommune(cm *Commune, key string) bool {
	if strings.HasPrefix(cm.key, key) {
		return true
	}
	for _, w := range strings.FieldsFunc(cm.key, func(r rune) bool { return r == ' ' || r == '-' || r == '\'' }) {
		if strings.HasPrefix(w, key) {
			return true
		}
	}
	for _, code := range cm.Postals {
		if strings.HasPrefix(code, key) {
			return true
		}
	}
	return false
}

// where is what the "où ?" field resolved to.
type Where struct {
	Commune *Commune // a commune with coordinates: search around it
	Dept    string   // a département code alone
	Choices []*Commune
	Unknown bool
}

// resolve reads what a person typed in "où ?": a postal code, a
// commune's name, a suggestion's label "Nom (13)" or a département code.
func (c *Communes) Resolve(text string) (Where, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return Where{}, nil
	}
	if server.ValidDepartement(strings.ToUpper(text)) && len(text) <= 3 {
		return Where{Dept: strings.ToUpper(text)}, nil
	}
	d, err := c.load()
	if err != nil {
		return Where{}, err
	}
	if IsPostalCode(text) {
		if cm, ok := d.byCode[text]; ok && cm.n > 0 {
			return Where{Commune: cm}, nil
		}
		return Where{Unknown: true}, nil
	}
	name, dept := text, ""
	if i := strings.LastIndex(text, " ("); i > 0 && strings.HasSuffix(text, ")") {
		name, dept = strings.TrimSpace(text[:i]), strings.ToUpper(text[i+2:len(text)-1])
	}
	var found []*Commune
	for _, cm := range d.byName[catalogue.Fold(name)] {
		if (dept == "" || cm.Dept == dept) && cm.n > 0 {
			found = append(found, cm)
		}
	}
	switch {
	case len(found) == 1:
		return Where{Commune: found[0]}, nil
	case len(found) > 1:
		return Where{Choices: found}, nil
	}
	var close []*Commune
	key := catalogue.Fold(name)
	for _, cm := range d.list {
		if len(close) < 8 && len(key) >= 2 && matchesCommune(cm, key) {
			close = append(close, cm)
		}
	}
	return Where{Unknown: true, Choices: close}, nil
}

func IsPostalCode(s string) bool {
	if len(s) != 5 {
		return false
	}
	for i := 0; i < 5; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

package communes

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/maillage/maillage/catalogue"
)

//go:embed communes.tsv.gz
var embedded []byte

// Commune is one commune of the official list (or one municipal
// arrondissement of Paris, Lyon or Marseille).
type Commune struct {
	Code       string   // INSEE code, "13055"
	Name       string   // "Marseille"
	Dept       string   // département code, "13", "2A", "971"
	Postals    []string // postal codes, sorted
	Population int
	// City is the INSEE code of the commune a municipal arrondissement
	// belongs to; "" for a commune.
	City string
	// Lat and Lon are the centre, valid only when HasCentre.
	Lat, Lon  float64
	HasCentre bool

	key string // folded name
}

// Label is how suggestions write a commune: "Marseille (13)".
func (c *Commune) Label() string {
	return c.Name + " (" + c.Dept + ")"
}

// List is the set of communes with its indexes. It is immutable and safe
// for concurrent use.
type List struct {
	all      []Commune // by INSEE code
	prefixes []entry   // by s: names, each word of a name, postal codes
	// top holds the best suggestions (topK) for the prefixes that start
	// more than heavy entries, so that "sa" or "saint" need no scan.
	top map[string][]int32
}

// entry is one way to find a commune by prefix.
type entry struct {
	s    string // a folded name, its suffix from a word on, or a postal code
	i    int32
	kind uint8
}

// Kinds of entry.
const (
	whole  uint8 = iota // the commune's whole folded name
	word                // its name from a word on
	postal              // one of its postal codes
)

// France returns the list of the communes of France, read from the
// embedded file on first call and shared afterwards.
var France = sync.OnceValue(func() *List {
	l, err := parse(embedded)
	if err != nil {
		panic("communes: embedded list: " + err.Error()) // the tests read it
	}
	return l
})

// Len returns the number of communes in the list.
func (l *List) Len() int { return len(l.all) }

// All calls f on each commune in INSEE code order until f returns false.
func (l *List) All(f func(*Commune) bool) {
	for i := range l.all {
		if !f(&l.all[i]) {
			return
		}
	}
}

func parse(gz []byte) (*List, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	text := string(raw) // names and codes are substrings of this one string
	n := strings.Count(text, "\n")
	l := &List{all: make([]Commune, 0, n), prefixes: make([]entry, 0, 3*n)}
	for line := range strings.Lines(text) {
		f := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
		if len(f) != 9 {
			return nil, fmt.Errorf("line %q: %d fields, want 9", line, len(f))
		}
		c := Commune{Code: f[0], Name: f[1], Dept: f[2], City: f[7]}
		if f[3] != "" {
			c.Postals = strings.Split(f[3], ",")
		}
		if f[4] != "" {
			if c.Lat, err = strconv.ParseFloat(f[4], 64); err != nil {
				return nil, fmt.Errorf("%s latitude: %w", c.Code, err)
			}
			if c.Lon, err = strconv.ParseFloat(f[5], 64); err != nil {
				return nil, fmt.Errorf("%s longitude: %w", c.Code, err)
			}
			c.HasCentre = true
		}
		if c.Population, err = strconv.Atoi(f[6]); err != nil {
			return nil, fmt.Errorf("%s population: %w", c.Code, err)
		}
		c.key = Key(c.Name)
		if len(l.all) > 0 && l.all[len(l.all)-1].Code >= c.Code {
			return nil, fmt.Errorf("%s: not in INSEE code order", c.Code)
		}
		i := int32(len(l.all))
		l.all = append(l.all, c)
		for _, cp := range c.Postals {
			l.prefixes = append(l.prefixes, entry{s: cp, i: i, kind: postal})
		}
		l.prefixes = append(l.prefixes, entry{s: c.key, i: i, kind: whole})
		for j := 1; j < len(c.key); j++ {
			if c.key[j-1] == ' ' {
				l.prefixes = append(l.prefixes, entry{s: c.key[j:], i: i, kind: word})
			}
		}
	}
	sort.Slice(l.prefixes, func(a, b int) bool { return l.prefixes[a].s < l.prefixes[b].s })
	l.top = l.heavyPrefixes()
	return l, nil
}

// exact returns the communes with an entry of this kind equal to s.
func (l *List) exact(s string, kind uint8) []int32 {
	var out []int32
	j := sort.Search(len(l.prefixes), func(j int) bool { return l.prefixes[j].s >= s })
	for ; j < len(l.prefixes) && l.prefixes[j].s == s; j++ {
		if l.prefixes[j].kind == kind {
			out = append(out, l.prefixes[j].i)
		}
	}
	return out
}

// separators are the characters Key reads as spaces.
var separators = strings.NewReplacer("-", " ", "'", " ", "’", " ", ".", " ")

// Key folds a commune's name for matching: lower case, no accents,
// hyphens and apostrophes as spaces, "St"/"Ste" as "saint"/"sainte".
func Key(name string) string {
	f := catalogue.Fold(strings.TrimSpace(name))
	if !strings.ContainsAny(f, "-'’.") && !strings.Contains(f, "  ") && !strings.HasPrefix(f, "st") && !strings.Contains(f, " st") {
		return f
	}
	f = separators.Replace(f)
	words := strings.Fields(f)
	for i, w := range words {
		switch w {
		case "st":
			words[i] = "saint"
		case "ste":
			words[i] = "sainte"
		}
	}
	return strings.Join(words, " ")
}

// ByCode returns the commune of an INSEE code.
func (l *List) ByCode(insee string) (*Commune, bool) {
	code := strings.ToUpper(strings.TrimSpace(insee))
	i := sort.Search(len(l.all), func(i int) bool { return l.all[i].Code >= code })
	if i == len(l.all) || l.all[i].Code != code {
		return nil, false
	}
	return &l.all[i], true
}

// ByPostal returns the communes served by a postal code, most populous
// first.
func (l *List) ByPostal(code string) []*Commune {
	return l.pick(l.exact(strings.TrimSpace(code), postal), "")
}

// Named returns the communes with this name (folded as Key), in the
// département dept when it is not "", most populous first.
func (l *List) Named(name, dept string) []*Commune {
	return l.pick(l.exact(Key(name), whole), strings.ToUpper(dept))
}

func (l *List) pick(idx []int32, dept string) []*Commune {
	var out []*Commune
	for _, i := range idx {
		if c := &l.all[i]; dept == "" || c.Dept == dept {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Population > out[b].Population })
	return out
}

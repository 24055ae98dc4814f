package communes

import (
	"sort"
	"strings"
)

// topK is how many suggestions are kept for a heavy prefix; heavy is
// how many entries make a prefix heavy.
const (
	topK  = 16
	heavy = 256
)

// Suggest returns up to n communes whose name, a word of their name, or a
// postal code starts with prefix (folded as Key): those whose name starts
// with it first, then the most populous. A prefix shorter than two
// letters gives nothing.
func (l *List) Suggest(prefix string, n int) []*Commune {
	key := Key(prefix)
	if len(key) < 2 || n <= 0 {
		return nil
	}
	var top []int32
	if cached, ok := l.top[key]; ok && n <= topK {
		top = cached
	} else {
		lo := sort.Search(len(l.prefixes), func(j int) bool { return l.prefixes[j].s >= key })
		hi := lo + sort.Search(len(l.prefixes)-lo, func(j int) bool { return !strings.HasPrefix(l.prefixes[lo+j].s, key) })
		top = l.best(l.prefixes[lo:hi], n)
	}
	out := make([]*Commune, 0, min(n, len(top)))
	for _, i := range top[:min(n, len(top))] {
		out = append(out, &l.all[i])
	}
	return out
}

// best returns the n best communes of entries: whole names first, then
// the most populous, then by INSEE code; each commune once.
func (l *List) best(entries []entry, n int) []int32 {
	type hit struct {
		i     int32
		whole bool
		pop   int
	}
	better := func(a, b hit) bool {
		if a.whole != b.whole {
			return a.whole
		}
		if a.pop != b.pop {
			return a.pop > b.pop
		}
		return a.i < b.i
	}
	top := make([]hit, 0, n+1)
	for _, e := range entries {
		h := hit{i: e.i, whole: e.kind == whole, pop: l.all[e.i].Population}
		if len(top) == n && !better(h, top[n-1]) {
			continue
		}
		dup := -1
		for k := range top {
			if top[k].i == h.i {
				dup = k
				break
			}
		}
		if dup >= 0 {
			if !better(h, top[dup]) {
				continue
			}
			top = append(top[:dup], top[dup+1:]...)
		}
		k := sort.Search(len(top), func(k int) bool { return better(h, top[k]) })
		top = append(top, hit{})
		copy(top[k+1:], top[k:])
		top[k] = h
		if len(top) > n {
			top = top[:n]
		}
	}
	out := make([]int32, len(top))
	for k, h := range top {
		out[k] = h.i
	}
	return out
}

// heavyPrefixes computes the best topK communes of every prefix, two to
// eight bytes long, that more than heavy entries start with.
func (l *List) heavyPrefixes() map[string][]int32 {
	top := map[string][]int32{}
	for size := 2; size <= 8; size++ {
		for lo := 0; lo < len(l.prefixes); {
			s := l.prefixes[lo].s
			if len(s) < size {
				lo++
				continue
			}
			p := s[:size]
			hi := lo + 1
			for hi < len(l.prefixes) && strings.HasPrefix(l.prefixes[hi].s, p) {
				hi++
			}
			if hi-lo > heavy {
				top[p] = l.best(l.prefixes[lo:hi], topK)
			}
			lo = hi
		}
	}
	return top
}

// Where is what a text typed in "Où ?" stands for.
type Where struct {
	// Commune is the commune to search around; Choices then lists the
	// other communes the text could mean (a postal code shared by
	// several).
	Commune *Commune
	// Dept is a département code typed alone ("13", "2A").
	Dept string
	// Choices without Commune are homonyms to choose from, or, when
	// Unknown, the communes whose name starts like the text.
	Choices []*Commune
	Unknown bool
}

// Resolve reads what a person typed in "Où ?": a postal code, an INSEE
// code, a commune's name, a suggestion's label "Nom (13)", "13001
// Marseille", or a département code alone. Every commune of the list is
// known, whether or not the catalogue has a place there.
func (l *List) Resolve(text string) Where {
	text = strings.TrimSpace(text)
	if text == "" {
		return Where{}
	}
	if up := strings.ToUpper(text); len(text) <= 3 && IsDepartement(up) {
		return Where{Dept: up}
	}
	if isDigits(text) && len(text) == 5 {
		if cs := l.ByPostal(text); len(cs) > 0 {
			return pickPostal(cs)
		}
		if c, ok := l.ByCode(text); ok {
			return Where{Commune: c}
		}
		return Where{Unknown: true}
	}
	if c, ok := l.ByCode(text); ok && len(text) == 5 { // "2A004"
		return Where{Commune: c}
	}
	name, dept := text, ""
	if i := strings.LastIndex(text, " ("); i > 0 && strings.HasSuffix(text, ")") {
		name, dept = strings.TrimSpace(text[:i]), strings.ToUpper(strings.TrimSpace(text[i+2:len(text)-1]))
	}
	if f := strings.Fields(name); len(f) > 1 {
		postal, rest := "", ""
		switch {
		case len(f[0]) == 5 && isDigits(f[0]):
			postal, rest = f[0], strings.Join(f[1:], " ")
		case len(f[len(f)-1]) == 5 && isDigits(f[len(f)-1]):
			postal, rest = f[len(f)-1], strings.Join(f[:len(f)-1], " ")
		}
		if postal != "" {
			if cs := l.matchPostal(postal, Key(rest)); len(cs) > 0 {
				return pickPostal(cs)
			}
			name = rest
		}
	}
	found := l.Named(name, dept)
	switch {
	case len(found) == 1:
		return Where{Commune: found[0]}
	case len(found) > 1:
		return Where{Choices: found}
	}
	return Where{Unknown: true, Choices: l.near(name, 8)}
}

// near suggests communes for a name that matches none: those starting
// like it, shortening it letter by letter down to three ("Marseile"
// finds Marseille).
func (l *List) near(name string, n int) []*Commune {
	key := []rune(Key(name))
	for len(key) >= 3 {
		if cs := l.Suggest(string(key), n); len(cs) > 0 {
			return cs
		}
		key = key[:len(key)-1]
	}
	return nil
}

// matchPostal returns the communes of a postal code whose name is key, or
// whose city is (a municipal arrondissement of it).
func (l *List) matchPostal(postal, key string) []*Commune {
	var out []*Commune
	for _, c := range l.ByPostal(postal) {
		if c.key == key || strings.HasPrefix(c.key, key+" ") {
			out = append(out, c)
		}
	}
	return out
}

// pickPostal chooses among the communes of one postal code: the municipal
// arrondissement when the code is a city's (13001 is Marseille's 1st),
// else the most populous, the others as Choices.
func pickPostal(cs []*Commune) Where {
	var arr []*Commune
	for _, c := range cs {
		if c.City != "" {
			arr = append(arr, c)
		}
	}
	if len(arr) == 1 {
		return Where{Commune: arr[0]}
	}
	return Where{Commune: cs[0], Choices: cs[1:]}
}

// IsDepartement reports whether code is a département code: "01" to
// "95", "2A", "2B", or three digits starting with 97 or 98.
func IsDepartement(code string) bool {
	switch len(code) {
	case 2:
		return code == "2A" || code == "2B" || isDigits(code) && code != "00" && code != "20" && code < "96"
	case 3:
		return isDigits(code) && (strings.HasPrefix(code, "97") || strings.HasPrefix(code, "98"))
	}
	return false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

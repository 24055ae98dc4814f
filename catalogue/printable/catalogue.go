package printable

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/maillage/maillage/catalogue"
)

// Groupings of the places in the catalogue.
const (
	ByChamp   = "champ"   // by champ d'intervention (ARSENIC), the default
	ByCommune = "commune" // by commune, in alphabetical order
)

// ErrGrouping is returned for an Options.GroupBy other than ByChamp and
// ByCommune.
var ErrGrouping = errors.New("regroupement inconnu : « champ » ou « commune » attendu")

// Options describe a catalogue.
type Options struct {
	// Title is the cover's title; "Catalogue des lieux de médiation
	// numérique" when empty.
	Title string
	// Network is the name of the network that publishes the catalogue.
	Network string
	// Edition is the date of the edition, on the cover and every page;
	// opening hours are described for the weeks that follow it.
	Edition time.Time
	// GroupBy is ByChamp (when empty) or ByCommune.
	GroupBy string
	// Filters says in French which places were selected, for the cover
	// ("Services : Aide aux démarches administratives"); empty for all.
	Filters string
	// PageURL gives the address of a place's page, encoded in its QR code;
	// without it, or when it returns "", the place has no QR code.
	PageURL func(*catalogue.Place) string
}

// Write renders places as a PDF catalogue to w. Places may come in any
// order and from any network; each is printed once. By champ, a place
// is printed under its first champ d'intervention and listed, with its
// page, under its others; places without one come last, under "Autres
// lieux". It returns ErrGrouping for an unknown GroupBy, or the error of
// w.
func Write(w io.Writer, places []*catalogue.Place, opts Options) error {
	switch opts.GroupBy {
	case "":
		opts.GroupBy = ByChamp
	case ByChamp, ByCommune:
	default:
		return ErrGrouping
	}
	if opts.Title == "" {
		opts.Title = "Catalogue des lieux de médiation numérique"
	}
	if opts.Edition.IsZero() {
		opts.Edition = time.Now()
	}
	entries := prepare(places, opts)
	groups := groupEntries(entries, opts.GroupBy)

	// Page numbers appear before the pages they point to (contents,
	// cross-references), so the document is laid out again with the
	// numbers of the previous pass until they no longer change; the
	// second pass normally settles it.
	var prev *positions
	for pass := 0; pass < 5; pass++ {
		r := newRenderer(opts, prev, len(entries))
		r.document(groups, entries)
		if err := r.pdf.Error(); err != nil {
			return fmt.Errorf("render catalogue: %w", err)
		}
		if prev != nil && r.pos.equal(prev) {
			return r.pdf.Output(w)
		}
		prev = r.pos
	}
	return errors.New("render catalogue: page numbers do not settle")
}

// entry is a place as the catalogue prints it, prepared once for every
// pass.
type entry struct {
	index     int // position in the sorted list of places
	p         *catalogue.Place
	name      string
	nameKey   string
	commune   string // "Marseille (13)"
	comKey    string
	url       string
	qr        [][]bool
	subtitle  string
	fields    []field
	resume    string
	indexName string // "Nom, Commune" in the index by name
}

type field struct{ label, value string }

type group struct {
	title   string
	entries []*entry
	seeAlso []*entry // printed under another group, active in this one too
}

// prepare sorts the places by name and turns each into an entry.
func prepare(places []*catalogue.Place, opts Options) []*entry {
	hours := map[string][]string{}
	entries := make([]*entry, 0, len(places))
	for _, p := range places {
		e := &entry{p: p, name: clean(p.Nom)}
		e.nameKey = sortKey(p.Nom) + "\x00" + sortKey(p.Commune) + "\x00" + p.ID
		dept := p.Departement()
		e.commune = clean(p.Commune)
		if dept != "" {
			e.commune += " (" + dept + ")"
		}
		e.comKey = sortKey(p.Commune) + "\x00" + dept
		e.indexName = e.name + ", " + clean(p.Commune)
		if opts.PageURL != nil {
			e.url = opts.PageURL(p)
			e.qr = qrModules(e.url)
		}
		e.subtitle = subtitle(p)
		h, ok := hours[p.Horaires]
		if !ok {
			h = HoursInWords(p.Horaires, opts.Edition)
			hours[p.Horaires] = h
		}
		e.fields = fieldsOf(p, h, opts.GroupBy)
		e.resume = clean(p.PresentationResume)
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].nameKey < entries[j].nameKey })
	for i, e := range entries {
		e.index = i
	}
	return entries
}

func subtitle(p *catalogue.Place) string {
	var parts []string
	for _, t := range p.Typologie {
		if l := catalogue.TypologieLabel(t); l != "" {
			parts = append(parts, l)
		}
	}
	if !p.Network.Local && p.Network.Name != "" {
		parts = append(parts, "réseau "+p.Network.Name)
	}
	return clean(strings.Join(parts, " · "))
}

func fieldsOf(p *catalogue.Place, hours []string, groupBy string) []field {
	var fs []field
	add := func(label string, values ...string) {
		var kept []string
		for _, v := range values {
			if v = strings.TrimSpace(v); v != "" {
				kept = append(kept, clean(v))
			}
		}
		if len(kept) > 0 {
			fs = append(fs, field{label, strings.Join(kept, ", ")})
		}
	}
	address := p.Adresse
	if p.ComplementAdresse != "" {
		address += ", " + p.ComplementAdresse
	}
	fs = append(fs, field{"Adresse", clean(address + "\n" + p.CodePostal + " " + p.Commune)})
	if len(p.Itinerance) == 1 && p.Itinerance[0] == "Itinérant" {
		fs[0].value += "\n(lieu itinérant)"
	}
	if len(hours) > 0 {
		fs = append(fs, field{"Horaires", clean(strings.Join(hours, "\n"))})
	}
	add("Services", p.Services...)
	publics := append(append([]string(nil), p.Publics...), p.PriseEnCharge...)
	if len(publics) == 0 {
		publics = []string{"Tout public"}
	}
	add("Publics", publics...)
	add("Accueil", p.ModalitesAccompagnement...)
	add("Accès", append(append([]string(nil), p.Frais...), p.ModalitesAcces...)...)
	contact := []string{phoneInWords(p.Telephone)}
	contact = append(contact, p.Courriels...)
	for _, s := range p.SiteWeb {
		contact = append(contact, shortURL(s))
	}
	if p.PriseRDV != "" {
		contact = append(contact, "rendez-vous : "+shortURL(p.PriseRDV))
	}
	add("Contact", contact...)
	champs := p.ChampsIntervention
	label := "Champs"
	if groupBy == ByChamp && len(champs) > 0 {
		champs, label = champs[1:], "Aussi"
	}
	add(label, champs...)
	add("Équipement", p.Equipements...)
	var skills []string
	for _, s := range p.Competences {
		skills = append(skills, s.Libelle)
	}
	add("Compétences", skills...)
	return fs
}

// groupEntries puts the entries, sorted by name, in their groups.
func groupEntries(entries []*entry, by string) []*group {
	if by == ByCommune {
		var groups []*group
		byKey := map[string]*group{}
		for _, e := range entries {
			g := byKey[e.comKey]
			if g == nil {
				g = &group{title: e.commune}
				byKey[e.comKey] = g
				groups = append(groups, g)
			}
			g.entries = append(g.entries, e)
		}
		sort.SliceStable(groups, func(i, j int) bool {
			return groups[i].entries[0].comKey < groups[j].entries[0].comKey
		})
		return groups
	}
	groups := make([]*group, len(catalogue.ChampsIntervention.Values)+1)
	for i, c := range catalogue.ChampsIntervention.Values {
		groups[i] = &group{title: c}
	}
	others := &group{title: "Autres lieux"}
	groups[len(groups)-1] = others
	for _, e := range entries {
		placed := false
		for _, c := range e.p.ChampsIntervention {
			for i, v := range catalogue.ChampsIntervention.Values {
				if v != c {
					continue
				}
				if placed {
					groups[i].seeAlso = append(groups[i].seeAlso, e)
				} else {
					groups[i].entries = append(groups[i].entries, e)
					placed = true
				}
			}
		}
		if !placed {
			others.entries = append(others.entries, e)
		}
	}
	var kept []*group
	for _, g := range groups {
		if len(g.entries) > 0 || len(g.seeAlso) > 0 {
			kept = append(kept, g)
		}
	}
	return kept
}

// sortKey orders French names: case, accents and punctuation aside.
func sortKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' {
			return r
		}
		return ' '
	}, catalogue.Fold(strings.TrimSpace(s)))
}

// clean keeps what the fonts can show: no control characters but line
// breaks, nothing beyond the Basic Multilingual Plane (emoji).
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r), r > 0xFFFF, r == '\uFFFD':
			return -1
		}
		return r
	}, s)
}

// phoneInWords writes a French number the French way: "04 91 00 00 00".
func phoneInWords(s string) string {
	for _, cc := range []string{"+33", "+590", "+594", "+262", "+596", "+269", "+687", "+689", "+508", "+681"} {
		rest, ok := strings.CutPrefix(s, cc)
		if !ok || len(rest) != 9 || cc == "+687" || cc == "+689" || cc == "+508" || cc == "+681" || cc == "+269" {
			continue
		}
		d := "0" + rest
		return d[0:2] + " " + d[2:4] + " " + d[4:6] + " " + d[6:8] + " " + d[8:10]
	}
	return s
}

func shortURL(s string) string {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	return strings.TrimSuffix(s, "/")
}

// frenchDate writes "13 juillet 2026".
func frenchDate(t time.Time) string {
	months := []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
		"septembre", "octobre", "novembre", "décembre"}
	t = t.In(catalogue.Paris)
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return day + " " + months[t.Month()-1] + " " + fmt.Sprint(t.Year())
}

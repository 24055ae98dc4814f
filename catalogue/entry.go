package catalogue

import (
	"encoding/binary"
	"errors"
	"math"
	"strings"
)

// Index entries are what the index keeps of a record, already analysed, in
// a compact binary form. A store keeps one next to each record and hands
// them to PutPlaceEntry and PutEventEntry at start-up, so that building the
// index neither decodes the records nor analyses their text again.
//
// An entry is a version byte, then fields in a fixed order: uvarint
// lengths and counts, varint times, little-endian float64 coordinates.

// EntryVersion is the format of the index entries and of the text analysis
// they hold (Terms). Bump it whenever either changes: entries of another
// version are refused with ErrEntryVersion, and the store then rebuilds
// them from its records.
const EntryVersion = 2

// ErrEntryVersion is returned for an index entry of another EntryVersion.
var ErrEntryVersion = errors.New("index entry of another version")

// errBadEntry is returned for an index entry that cannot be read.
var errBadEntry = errors.New("index entry truncated or corrupt")

// AppendPlaceEntry appends the index entry of p to dst.
func AppendPlaceEntry(dst []byte, p *Place) []byte {
	return appendPlaceEntry(dst, p, networkOf(p.Network), nil)
}

// AppendGroupEntry appends to dst the index entry of a place published by
// several networks: merged from its records by MergePlaces, indexed with
// the networks of all its records (a search by network finds it through
// any of them) and the names they give it (a search finds it by any),
// and followed by the ids of the records, which searches of merged places
// then leave out.
func AppendGroupEntry(dst []byte, merged *Place, records []*Place) []byte {
	networks := make([]string, 0, len(records))
	members := make([]string, 0, len(records))
	var names []string
	for _, r := range records {
		if n := networkOf(r.Network); !contains(networks, n) {
			networks = append(networks, n)
		}
		members = append(members, r.ID)
		names = append(names, Terms(r.Nom)...)
	}
	dst = appendPlaceEntry(dst, merged, strings.Join(networks, "\n"), names)
	return appendStrings(dst, members)
}

func appendPlaceEntry(dst []byte, p *Place, network string, moreTerms []string) []byte {
	name := distinct(Terms(p.Nom))
	terms := distinct(append(placeText(p), moreTerms...)) // starts with the name's terms
	dst = append(dst, EntryVersion)
	dst = appendString(dst, Fold(p.Nom))
	dst = binary.AppendUvarint(dst, uint64(len(name)))
	dst = appendStrings(dst, terms)
	dst = appendStrings(dst, p.Services)
	dst = appendStrings(dst, concat(p.Publics, p.PriseEnCharge))
	dst = appendStrings(dst, p.Typologie)
	dst = appendStrings(dst, concat(p.Dispositifs, p.FormationsLabels, p.AutresLabels))
	dst = appendStrings(dst, p.Frais)
	dst = appendString(dst, network)
	dst = appendString(dst, p.Departement())
	if p.HasCoordinates() {
		dst = append(dst, 1)
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(*p.Latitude))
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(*p.Longitude))
	} else {
		dst = append(dst, 0)
	}
	hours := ""
	if p.HoursError == "" {
		hours = p.Horaires
	}
	return appendString(dst, hours)
}

// AppendEventEntry appends the index entry of e to dst.
func AppendEventEntry(dst []byte, e *Event) []byte {
	dst = append(dst, EntryVersion)
	dst = appendString(dst, e.Lieu)
	dst = appendString(dst, networkOf(e.Network))
	dst = appendStrings(dst, e.Services)
	dst = appendStrings(dst, e.Publics)
	dst = binary.AppendVarint(dst, e.Debut.Unix())
	dst = binary.AppendUvarint(dst, uint64(e.Debut.Nanosecond()))
	dst = binary.AppendVarint(dst, e.Fin.Unix())
	dst = binary.AppendUvarint(dst, uint64(e.Fin.Nanosecond()))
	dst = appendString(dst, e.Recurrence)
	terms := append(Terms(e.Nom), Terms(e.Description)...)
	if e.Etape != nil {
		terms = append(append(terms, Terms(e.Etape.Nom)...), Terms(e.Etape.Commune)...)
	}
	dst = appendStrings(dst, distinct(terms))
	dst = appendStrings(dst, e.Frais) // since version 2: the agenda's price filter
	if e.Etape == nil {
		return dst
	}
	// A stop: its département and coordinates, after the fields every
	// entry has (an entry without them is an event at its place).
	dst = appendString(dst, e.Etape.Departement())
	if !e.Etape.HasCoordinates() {
		return append(dst, 0)
	}
	dst = append(dst, 1)
	dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(*e.Etape.Latitude))
	return binary.LittleEndian.AppendUint64(dst, math.Float64bits(*e.Etape.Longitude))
}

// networkOf is the actor of a record of another network, "" for a local one.
func networkOf(n Network) string {
	if n.Local {
		return ""
	}
	return n.Actor
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func appendStrings(dst []byte, list []string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(list)))
	for _, s := range list {
		dst = appendString(dst, s)
	}
	return dst
}

// distinct returns the distinct strings of list in the order of their
// first appearance, reusing list.
func distinct(list []string) []string {
	out := list[:0]
	if len(list) <= 32 {
		for _, s := range list {
			if !contains(out, s) {
				out = append(out, s)
			}
		}
		return out
	}
	seen := make(map[string]bool, len(list))
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, t := range list {
		if t == s {
			return true
		}
	}
	return false
}

// entryReader reads the fields of an entry. Its slices alias the entry.
// After the first error every read returns zero values and err is set.
type entryReader struct {
	b   []byte
	err error
}

func (r *entryReader) fail() {
	if r.err == nil {
		r.err = errBadEntry
	}
	r.b = nil
}

func (r *entryReader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *entryReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *entryReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a number of items, each taking at least one byte.
func (r *entryReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *entryReader) bytes() []byte {
	n := r.count()
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

// list reads a list of strings into buf, reused.
func (r *entryReader) list(buf [][]byte) [][]byte {
	buf = buf[:0]
	for n := r.count(); n > 0 && r.err == nil; n-- {
		buf = append(buf, r.bytes())
	}
	return buf
}

func (r *entryReader) float() float64 {
	if len(r.b) < 8 {
		r.fail()
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return f
}

// end checks that the entry is exactly consumed.
func (r *entryReader) end() error {
	if r.err == nil && len(r.b) != 0 {
		r.err = errBadEntry
	}
	return r.err
}

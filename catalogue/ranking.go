package catalogue

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
)

// hit is a candidate result with its sort key: primary (distance, negated
// score or start time) then secondary (sort name or id), of which key is
// the sortKey.
type hit struct {
	primary   float64
	key       sortKey
	secondary string
	num       uint32
	start     int64 // events only
	end       int64 // events only
}

func (a *hit) less(b *hit) bool {
	if a.primary != b.primary {
		return a.primary < b.primary
	}
	if a.key != b.key {
		return a.key.less(b.key)
	}
	return a.secondary < b.secondary
}

// topK keeps the k smallest hits after the cursor, and counts all of them
// (total) and those after the cursor (rest). Its kept hits are a max-heap:
// the root is the largest.
type topK struct {
	k     int
	after *hit
	h     []hit
	total int
	rest  int
}

func (t *topK) offer(c *hit) {
	t.total++
	if t.after != nil && !t.after.less(c) {
		return
	}
	t.rest++
	h := t.h
	if len(h) < t.k {
		if h == nil {
			h = make([]hit, 0, t.k)
		}
		h = append(h, *c)
		for i := len(h) - 1; i > 0; { // up
			parent := (i - 1) / 2
			if !h[parent].less(&h[i]) {
				break
			}
			h[parent], h[i] = h[i], h[parent]
			i = parent
		}
		t.h = h
		return
	}
	if !c.less(&h[0]) {
		return
	}
	h[0] = *c
	for i := 0; ; { // down
		largest, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && h[largest].less(&h[l]) {
			largest = l
		}
		if r < len(h) && h[largest].less(&h[r]) {
			largest = r
		}
		if largest == i {
			break
		}
		h[i], h[largest] = h[largest], h[i]
		i = largest
	}
}

// sorted returns the kept hits in order.
func (t *topK) sorted() []hit {
	slices.SortFunc(t.h, func(a, b hit) int {
		if a.less(&b) {
			return -1
		}
		return 1 // no two hits are equal
	})
	return t.h
}

// next returns the cursor of the page after this one, or "".
func (t *topK) next(order byte, page []hit) string {
	if len(page) == 0 || t.rest <= len(page) {
		return ""
	}
	return encodeCursor(order, page[len(page)-1])
}

// Cursors carry the sort key of the last hit of a page and the kind of
// order, so a page starts right after it even if records were added.
func encodeCursor(order byte, h hit) string {
	s := string(order) + strconv.FormatFloat(h.primary, 'g', -1, 64) + "\x00" + h.secondary
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func decodeCursor(order byte, cursor string) (*hit, error) {
	if cursor == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(b) < 2 || b[0] != order {
		return nil, ErrBadCursor
	}
	primary, secondary, ok := strings.Cut(string(b[1:]), "\x00")
	if !ok {
		return nil, ErrBadCursor
	}
	f, err := strconv.ParseFloat(primary, 64)
	if err != nil {
		return nil, ErrBadCursor
	}
	return &hit{primary: f, key: sortKeyOf(secondary), secondary: secondary}, nil
}

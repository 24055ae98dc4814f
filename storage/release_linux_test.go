package storage

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
)

// mappedResident is how much of the store's file is resident in this
// process, from /proc/self/smaps.
func mappedResident(t *testing.T, dir string) int64 {
	t.Helper()
	data, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	in := false
	for line := range strings.Lines(string(data)) {
		f := strings.Fields(line)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-"):
			in = len(f) == 6 && f[5] == dir+"/"+FileName
		case in && len(f) == 3 && f[0] == "Rss:":
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			total += kb << 10
		}
	}
	return total
}

// A walk of every place leaves none of the file's pages in the process:
// they stay in the kernel's page cache, not in the instance's memory.
func TestWalkGivesBackTheFilesPages(t *testing.T) {
	s, dir := openTestStore(t)
	var ps []*catalogue.Place
	for i := range 400 {
		p := testPlace("Médiathèque " + strconv.Itoa(i))
		p.PresentationDetail = strings.Repeat("Ateliers numériques pour tous. ", 40)
		ps = append(ps, p)
	}
	if err := s.CreatePlaces(ps); err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if _, err := s.Place(p.ID); err != nil {
			t.Fatal(err)
		}
	}
	if got := mappedResident(t, dir); got < 256<<10 {
		t.Fatalf("reading 400 places left %d bytes of the file resident; the test reads too little", got)
	}
	n := 0
	err := s.EachPlace(func(*catalogue.Place) error { n++; return nil })
	if err != nil || n != len(ps) {
		t.Fatalf("EachPlace: %d places, %v", n, err)
	}
	if got := mappedResident(t, dir); got > 64<<10 {
		t.Errorf("after a walk of every place, %d bytes of the file are resident; want them given back", got)
	}
	if _, err := s.Place(ps[0].ID); err != nil { // and the pages read again
		t.Fatal(err)
	}
}

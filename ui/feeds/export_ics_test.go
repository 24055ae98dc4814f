package feeds

import (
	"bytes"
	"strings"
	"testing"
)

func TestICSLineFolding(t *testing.T) {
	var b bytes.Buffer
	cw := &icsWriter{w: &b}
	long := strings.Repeat("é", 100) // two octets each: a fold must not split one
	cw.prop("SUMMARY", "", long)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\r\n"), "\r\n")
	var joined strings.Builder
	for i, l := range lines {
		if len(l) > 75 {
			t.Errorf("line %d: %d octets", i, len(l))
		}
		if i > 0 {
			l = strings.TrimPrefix(l, " ")
		}
		joined.WriteString(l)
	}
	if joined.String() != "SUMMARY:"+long {
		t.Errorf("unfolded = %q", joined.String())
	}
	if got := icsText("a,b;c\\d\ne"); got != `a\,b\;c\\d\ne` {
		t.Errorf("icsText = %q", got)
	}
	for in, want := range map[string]string{
		"FREQ=WEEKLY;BYDAY=WE;COUNT=10":          "FREQ=WEEKLY;BYDAY=WE;COUNT=10",
		"FREQ=WEEKLY;UNTIL=20260701T000000Z":     "FREQ=WEEKLY;UNTIL=20260701T000000Z",
		"freq=monthly;byday=1MO;until=20261231":  "FREQ=MONTHLY;BYDAY=1MO;UNTIL=20261231T225959Z",
		"FREQ=DAILY;UNTIL=20260105T180000":       "FREQ=DAILY;UNTIL=20260105T170000Z",
		"RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU ": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
	} {
		if got := icsRule(in); got != want {
			t.Errorf("icsRule(%q) = %q; want %q", in, got, want)
		}
	}
}

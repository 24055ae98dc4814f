package main

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

// TestVersionPrintsStampedValues checks `maillage version` with the
// values release.sh stamps through -ldflags -X.
func TestVersionPrintsStampedValues(t *testing.T) {
	oldV, oldC := version, commit
	t.Cleanup(func() { version, commit = oldV, oldC })
	version, commit = "v1.2.3", "abc1234"
	var out bytes.Buffer
	if err := run(t.Context(), []string{"version"}, strings.NewReader(""), &out, &out); err != nil {
		t.Fatal(err)
	}
	want := "maillage v1.2.3\ncommit abc1234\n" + runtime.Version() + "\n"
	if out.String() != want {
		t.Errorf("maillage version = %q; want %q", out.String(), want)
	}
}

// TestVersionUnstamped checks that a plain `go build` still names a
// version and a commit rather than printing empty lines.
func TestVersionUnstamped(t *testing.T) {
	oldV, oldC := version, commit
	t.Cleanup(func() { version, commit = oldV, oldC })
	version, commit = "", ""
	ver, rev, goVersion := buildInfo()
	if ver == "" || rev == "" || goVersion != runtime.Version() {
		t.Errorf("buildInfo() = %q, %q, %q; want non-empty values and %s", ver, rev, goVersion, runtime.Version())
	}
}

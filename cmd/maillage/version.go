package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version and commit are stamped at build time by scripts/release.sh:
//
//	go build -ldflags "-X main.version=v1.2.0 -X main.commit=abc1234" ./cmd/maillage
//
// When they are not, buildInfo falls back on what the Go toolchain
// recorded (the module version, the VCS revision of a build from a git
// checkout).
var (
	version = ""
	commit  = ""
)

// buildInfo returns the version, the commit and the Go version of this
// binary; "inconnue" stands for what neither the build nor the toolchain
// recorded.
func buildInfo() (ver, rev, goVersion string) {
	ver, rev, goVersion = version, commit, runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		if ver == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			ver = bi.Main.Version
		}
		var vcsRev, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				vcsRev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if rev == "" && vcsRev != "" {
			rev = vcsRev
			if modified == "true" {
				rev += " (modifications non commitées)"
			}
		}
	}
	if ver == "" {
		ver = "dev"
	}
	if rev == "" {
		rev = "inconnu"
	}
	return ver, rev, goVersion
}

// printVersion is `maillage version`.
func printVersion(args []string, stdout io.Writer) error {
	fs := newFlagSet("version", "affiche la version, le commit et la version de Go du binaire.")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("argument inattendu « %s »", fs.Arg(0))
	}
	ver, rev, goVersion := buildInfo()
	fmt.Fprintf(stdout, "maillage %s\ncommit %s\n%s\n", ver, rev, goVersion)
	return nil
}

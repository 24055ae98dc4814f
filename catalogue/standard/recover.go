package standard

import (
	"fmt"
)

// A record must never stop the program that reads it: the records are
// built in goroutines of their own, out of reach of an HTTP server's
// recovery, so one that makes the building panic would take the whole
// server down. It is rejected instead, with its line, and the others
// are read.

// buildSafely builds b from row, turning a panic into the record's
// rejection.
func buildSafely(b *builder, row rawRow) {
	defer func() {
		if v := recover(); v != nil {
			b.problems = map[string]string{} // what was found before is moot
			b.warnings = nil
			b.problem("", fmt.Sprintf("enregistrement illisible : erreur interne en le lisant (%v)", v))
		}
	}()
	b.build(row)
}

// recoverRead, deferred by Read, turns a panic while reading a file into
// an error wrapping ErrFormat.
func recoverRead(res **Result, err *error) {
	if v := recover(); v != nil {
		*res, *err = nil, fmt.Errorf("%w : erreur interne en lisant le fichier (%v)", ErrFormat, v)
	}
}

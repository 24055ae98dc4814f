// Package storage keeps one Maillage instance in one bbolt file: places,
// events, their indexes, ActivityPub ids, accounts and API tokens, the
// schema version and its migrations, and the outgoing delivery queue;
// and, next to that file, the inbox log where accepted activities wait to
// be applied (inboxlog.go); and what keeps them whole: the checks and
// repairs of a damaged directory (integrity.go, logscan.go), consistent
// backups and their restoration (backup.go), and the push-back of an
// inbox it cannot keep up with (overload.go).
//
// It is the only package that imports bbolt. It speaks catalogue types and
// keeps catalogue's in-memory search index in step with what is committed.
// It must not import net/http handlers, go-fed or the ui package.
package storage

package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/maillage/maillage/storage"
)

// backupPath is the admin route (ui/api) that streams a backup of the
// running instance (see storage.Store.Backup): what `maillage backup
// --url` reads.
const backupPath = "/api/v1/admin/backup"

// backupEvery is the period of serve's backups (--backup-dir).
const backupEvery = 24 * time.Hour

// backupPrefix and backupSuffix frame the names of serve's backups, whose
// UTC time in between sorts them.
const backupPrefix, backupSuffix = "maillage-", ".db"

// backupLoop writes a backup to dir every period, the first one when the
// newest there is a period old, and keeps the keep newest. It returns
// when stop is closed. done is told the time of each backup written.
func backupLoop(st *storage.Store, dir string, keep int, period time.Duration, now func() time.Time, log *slog.Logger, done func(time.Time), stop <-chan struct{}) {
	for {
		wait := time.Duration(0)
		if last, ok := newestBackup(dir); ok {
			wait = last.Add(period).Sub(now())
		}
		t := time.NewTimer(max(wait, 0))
		select {
		case <-stop:
			t.Stop()
			return
		case <-t.C:
		}
		path := filepath.Join(dir, backupPrefix+now().UTC().Format("20060102T150405.000Z")+backupSuffix)
		start := time.Now()
		n, err := st.BackupFile(path)
		if err != nil {
			log.Error("daily backup failed, retrying in an hour", "path", path, "err", err)
			select {
			case <-stop:
				return
			case <-time.After(min(time.Hour, period)):
			}
			continue
		}
		log.Info("backup written", "path", path, "bytes", n, "took", time.Since(start).Round(time.Millisecond))
		done(now())
		if err := pruneBackups(dir, keep); err != nil {
			log.Error("removing old backups", "dir", dir, "err", err)
		}
	}
}

// serveBackups lists serve's backups in dir, oldest first.
func serveBackups(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, backupPrefix) && strings.HasSuffix(n, backupSuffix) && e.Type().IsRegular() {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// newestBackup returns when the newest of serve's backups in dir was
// written.
func newestBackup(dir string) (time.Time, bool) {
	names := serveBackups(dir)
	if len(names) == 0 {
		return time.Time{}, false
	}
	stamp := strings.TrimSuffix(strings.TrimPrefix(names[len(names)-1], backupPrefix), backupSuffix)
	t, err := time.Parse("20060102T150405.000Z", stamp)
	return t, err == nil
}

// pruneBackups removes serve's oldest backups in dir beyond the keep newest.
func pruneBackups(dir string, keep int) error {
	names := serveBackups(dir)
	for len(names) > keep {
		if err := os.Remove(filepath.Join(dir, names[0])); err != nil {
			return err
		}
		names = names[1:]
	}
	return nil
}

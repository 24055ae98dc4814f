package storage

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the database to w, as a bbolt file
// that Restore (or Open, once named maillage.db) reads. Every activity
// the inbox acknowledged before the call is in it: Backup first waits
// until they are applied (Settle), then copies one read transaction
// (bbolt's Tx.WriteTo), so the copy is the state at one instant and
// needs no inbox.log beside it. Writers are not blocked meanwhile; the
// file grows by the pages they free during the copy, reused afterwards.
// It returns the number of bytes written.
func (s *Store) Backup(w io.Writer) (int64, error) {
	s.Settle()
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("backup: %w", diskFull(err))
	}
	return n, nil
}

// BackupFile writes Backup's copy to path, through a temporary file in
// the same directory renamed once synced: path is a whole backup or
// absent.
func (s *Store) BackupFile(path string) (int64, error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", diskFull(err))
	}
	n, err := s.Backup(f)
	if err == nil {
		err = f.Sync()
	}
	err = errors.Join(err, f.Close())
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("backup to %s: %w", path, diskFull(err))
	}
	return n, nil
}

// CheckFile verifies a backup (a bbolt file) as CheckDir verifies a
// data directory's database, without changing it.
func CheckFile(path string) (CheckReport, error) {
	var r CheckReport
	err := checkDB(path, &r)
	return r, err
}

// Restore makes the backup file the database of the data directory dir.
// It checks the file first (CheckFile) and refuses a damaged one. A
// directory that already holds a database is refused unless force is
// set; then no process may hold it (ErrLocked), and the old database and
// inbox log are kept beside it as maillage.db.before-restore-TIME and
// inbox.log.before-restore-TIME. now names those files.
func Restore(file, dir string, force bool, now time.Time) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	_, err := os.Stat(path)
	exists := err == nil
	if exists && !force {
		return fmt.Errorf("%s contient déjà une base de données : ajoutez --force pour la remplacer (elle sera gardée à côté, sous %s.before-restore-DATE)", dir, FileName)
	}
	tmp := path + ".restore"
	if err := copyFile(file, tmp); err != nil {
		return fmt.Errorf("copier %s : %w", file, diskFull(err))
	}
	defer os.Remove(tmp)
	r, err := CheckFile(tmp)
	if err != nil {
		return err
	}
	if len(r.Problems) > 0 {
		return fmt.Errorf("%s n'est pas une sauvegarde intacte, rien n'a été restauré :\n  %s", file, strings.Join(r.Problems, "\n  "))
	}
	stamp := ".before-restore-" + now.UTC().Format("20060102T150405Z")
	if exists {
		// Hold the old file's lock while it is replaced: serve must not
		// be running on it.
		var old *bolt.DB
		err := guard(path, func() error {
			var err error
			old, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: 200 * time.Millisecond})
			return err
		})
		if errors.Is(err, bolt.ErrTimeout) {
			return fmt.Errorf("open %s: %w", path, ErrLocked)
		}
		if old != nil {
			defer old.Close()
		} // a damaged old file is replaced all the same
		if err := os.Rename(path, path+stamp); err != nil {
			return err
		}
	}
	log := filepath.Join(dir, InboxLogName)
	if fi, err := os.Stat(log); err == nil {
		// Its activities are of the old database, not of the backup.
		if fi.Size() > 0 {
			err = os.Rename(log, log+stamp)
		} else {
			err = os.Remove(log)
		}
		if err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// copyFile copies src to a new file dst, synced.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	return errors.Join(err, out.Close())
}

package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/communes"
)

// guard runs open in a goroutine of its own, where a memory fault is a
// panic (debug.SetPanicOnFault) and a panic is a *CorruptError for path:
// bbolt panics on some damaged files ("assertion failed: page N"), and a
// file shorter than the pages it references faults (SIGBUS) when read.
func guard(path string, open func() error) error {
	done := make(chan error, 1)
	if err := checkSize(path); err != nil {
		return err
	}
	go func() {
		debug.SetPanicOnFault(true)
		defer func() {
			if v := recover(); v != nil {
				done <- &CorruptError{Path: path, Detail: fmt.Sprintf("sa lecture a échoué (%v)", v)}
			}
		}()
		done <- open()
	}()
	return <-done
}

// checkSize fails with a *CorruptError when the bbolt file at path is
// shorter than its meta page says (a truncated copy, say): bbolt maps
// past the end of the file then, and reading there is a SIGBUS. It reads
// the meta pages itself (bbolt's layout: a 16-byte page header, then
// magic, version, page size, flags, root bucket (16 bytes), freelist page,
// high-water page, transaction id, FNV-64a checksum), trusting the newer
// valid one; a file
// whose meta pages are both unreadable is left to bbolt to refuse.
func checkSize(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return err
	}
	var best struct{ pages, pageSize, txid uint64 }
	for _, at := range []int64{0, -1} { // the first meta page; the second, at one page size
		if at < 0 {
			if best.pageSize == 0 {
				at = 4096
			} else {
				at = int64(best.pageSize)
			}
		}
		var m [80]byte
		if _, err := f.ReadAt(m[:], at); err != nil {
			continue
		}
		const magic = 0xED0CDAED
		sum := fnv.New64a()
		sum.Write(m[16:72])
		if binary.LittleEndian.Uint32(m[16:]) != magic || sum.Sum64() != binary.LittleEndian.Uint64(m[72:]) {
			continue
		}
		size := uint64(binary.LittleEndian.Uint32(m[24:]))
		pages := binary.LittleEndian.Uint64(m[56:])
		txid := binary.LittleEndian.Uint64(m[64:])
		if best.pageSize == 0 || txid > best.txid {
			best.pages, best.pageSize, best.txid = pages, size, txid
		}
	}
	if want := best.pages * best.pageSize; best.pageSize > 0 && uint64(fi.Size()) < want {
		return &CorruptError{Path: path, Detail: fmt.Sprintf("le fichier fait %d octets, son en-tête en annonce au moins %d : il a été tronqué", fi.Size(), want)}
	}
	return nil
}

// isBoltDamage reports whether err is bbolt's refusal of a damaged file.
func isBoltDamage(err error) bool {
	return errors.Is(err, bolt.ErrInvalid) || errors.Is(err, bolt.ErrChecksum) ||
		errors.Is(err, bolt.ErrVersionMismatch) || errors.Is(err, bolt.ErrInvalidMapping)
}

// CheckReport is what CheckDir found.
type CheckReport struct {
	// Problems says what is wrong, in French, one line each; empty
	// when all is well.
	Problems []string
	// Notes says what is worth knowing and not wrong, in French.
	Notes []string
}

// maxListed caps the problems of one kind a report lists.
const maxListed = 20

// CheckDir verifies the data directory dir without changing anything:
// bbolt's own check of maillage.db (every page reachable once, no page
// past the end), the indexes against the records and the search index's
// entries (as Store.Check), and the frames of inbox.log. No process may
// hold the directory: it fails with ErrLocked then.
func CheckDir(dir string) (CheckReport, error) {
	var r CheckReport
	if err := checkDB(filepath.Join(dir, FileName), &r); err != nil {
		return r, err
	}
	checkLog(dir, &r)
	return r, nil
}

// checkDB adds to r what is wrong with the bbolt file at path. It fails
// when the file cannot be checked at all: missing, or locked (ErrLocked).
func checkDB(path string, r *CheckReport) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("%s : %w", path, err)
	}
	name := filepath.Base(path)
	add := func(prefix string, errs []error) {
		for i, err := range errs {
			if i == maxListed {
				r.Problems = append(r.Problems, fmt.Sprintf("%s : … et %d autres problèmes", prefix, len(errs)-maxListed))
				break
			}
			r.Problems = append(r.Problems, fmt.Sprintf("%s : %v", prefix, err))
		}
	}
	var db *bolt.DB
	err := guard(path, func() error {
		var err error
		db, err = bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
		if errors.Is(err, bolt.ErrTimeout) {
			return fmt.Errorf("open %s: %w", path, ErrLocked)
		}
		if err != nil {
			return err
		}
		var structure []error
		err = db.View(func(tx *bolt.Tx) error {
			for err := range tx.Check() {
				structure = append(structure, err)
			}
			return nil
		})
		add(name+", structure du fichier bbolt", structure)
		if err != nil || len(structure) > 0 {
			return err // the records cannot be trusted to be read
		}
		return checkRecords(db, func(prefix string, errs []error) {
			add(strings.Replace(prefix, "maillage.db", name, 1), errs)
		})
	})
	if db != nil {
		db.Close()
	}
	var ce *CorruptError
	switch {
	case errors.Is(err, ErrLocked):
		return err
	case errors.As(err, &ce):
		r.Problems = append(r.Problems, name+" : "+ce.Detail)
	case isBoltDamage(err):
		r.Problems = append(r.Problems, fmt.Sprintf("%s : bbolt ne peut pas l'ouvrir (%v)", name, err))
	case err != nil:
		r.Problems = append(r.Problems, fmt.Sprintf("%s : %v", name, err))
	}
	return nil
}

// checkRecords runs Store.Check's verifications on db, opened read-only.
func checkRecords(db *bolt.DB, add func(string, []error)) error {
	s := &Store{db: db, now: time.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta)
		if v == nil {
			add("maillage.db", []error{errors.New("pas de bucket meta : ce n'est pas une base de Maillage")})
			return nil
		}
		if b := v.Get(keySchemaVersion); len(b) == 8 && binary.BigEndian.Uint64(b) > schemaVersion {
			add("maillage.db", []error{fmt.Errorf("version de schéma %d, plus récente que celle de ce programme (%d) : mettez maillage à jour", binary.BigEndian.Uint64(b), schemaVersion)})
			return nil
		}
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil {
				return nil // an older schema: Open migrates it, nothing to compare yet
			}
		}
		if _, err := s.readEntries(); err != nil {
			add("maillage.db, entrées de l'index de recherche", []error{err})
			return nil
		}
		add("maillage.db, index et fiches", s.checkTx(tx))
		return nil
	})
}

// checkLog adds to r what the inbox log of dir holds.
func checkLog(dir string, r *CheckReport) {
	path := filepath.Join(dir, InboxLogName)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil {
		r.Problems = append(r.Problems, fmt.Sprintf("%s : %v", InboxLogName, err))
		return
	}
	sc := scanLog(data)
	for _, b := range sc.bad {
		r.Problems = append(r.Problems, fmt.Sprintf("%s : trame n° %d (octets %d à %d) illisible : %s", InboxLogName, b.frame, b.from, b.to, b.why))
	}
	if len(sc.ops) > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%s : %d activité(s) reçue(s) en attente, appliquée(s) au prochain démarrage", InboxLogName, len(sc.ops)))
	}
}

// RepairReport is what Repair did.
type RepairReport struct {
	Frames   int    // valid frames of inbox.log, applied
	SetAside string // the file holding what could not be read, or ""
	Bytes    int    // its size
	Records  int    // places and events whose indexes were rebuilt
	// Placed is the number of places without coordinates, stored before
	// places were placed at their commune's centre, that repair placed
	// there (flagged position_approximative).
	Placed int
	// Remaining lists, in French, what Check still finds afterwards.
	Remaining []string
}

// Repair mends the data directory dir, which no process may hold
// (ErrLocked): it rebuilds every index from the records (the buckets of
// the indexes and the search index's entries), applies every valid frame
// of inbox.log, and moves the stretches it could not read to a side file,
// inbox.log.unreadable-TIME, next to it. It places at their commune's
// centre the places stored without coordinates before the importer and
// the forms did so (communes.List.Settle). A maillage.db that bbolt's own
// check finds damaged is not repaired (its records cannot be trusted to
// be read): the error says so, and a backup must be restored.
func Repair(dir string, opts Options) (RepairReport, error) {
	var r RepairReport
	path := filepath.Join(dir, FileName)
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	var db *bolt.DB
	err := guard(path, func() error {
		var err error
		db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: 200 * time.Millisecond, FreelistType: bolt.FreelistMapType})
		if errors.Is(err, bolt.ErrTimeout) {
			return fmt.Errorf("open %s: %w", path, ErrLocked)
		}
		if isBoltDamage(err) {
			return &CorruptError{Path: path, Detail: fmt.Sprintf("bbolt ne peut pas l'ouvrir (%v)", err)}
		}
		if err != nil {
			return err
		}
		var first error
		err = db.View(func(tx *bolt.Tx) error {
			for err := range tx.Check() {
				if first == nil {
					first = err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if first != nil {
			return fmt.Errorf("%s : la structure du fichier bbolt est endommagée (%v) ; « maillage repair » ne sait pas la réparer : restaurez une sauvegarde (« maillage restore »)", path, first)
		}
		if err := db.Update(migrate); err != nil {
			return err
		}
		return db.Update(func(tx *bolt.Tx) error {
			n, err := placeAtCommunes(tx)
			r.Placed = n
			if err != nil {
				return err
			}
			n, err = rebuildIndexes(tx)
			r.Records = n
			return err
		})
	})
	if db != nil {
		if cerr := db.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return r, err
	}
	if err := repairLog(dir, now(), &r); err != nil {
		return r, err
	}
	s, err := Open(dir, opts)
	if err != nil {
		return r, err
	}
	for _, p := range s.checkProblems() {
		r.Remaining = append(r.Remaining, p.Error())
	}
	return r, s.Close()
}

// checkProblems is Check, as a list.
func (s *Store) checkProblems() []error {
	err := s.Check()
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err != nil {
		return []error{err}
	}
	return nil
}

// repairLog rewrites the inbox log of dir with only its valid frames, and
// writes what it could not read to a side file.
func repairLog(dir string, now time.Time, r *RepairReport) error {
	path := filepath.Join(dir, InboxLogName)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	sc := scanLog(data)
	r.Frames = len(sc.ops)
	if len(sc.bad) == 0 {
		return nil // Open applies it as it is
	}
	var aside []byte
	for _, b := range sc.bad {
		aside = append(aside, data[b.from:b.to]...)
	}
	r.SetAside = path + ".unreadable-" + now.UTC().Format("20060102T150405Z")
	r.Bytes = len(aside)
	if err := writeFileSync(r.SetAside, aside); err != nil {
		return err
	}
	var log []byte
	for i, op := range sc.ops {
		frame, err := encodeFrame(op, uint64(i+1))
		if err != nil {
			return err
		}
		log = append(log, frame...)
	}
	tmp := path + ".repair"
	if err := writeFileSync(tmp, log); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// writeFileSync writes data to a new file at path and syncs it.
func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

// syncDir syncs a directory, so that the files renamed in it stay.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}

// indexBuckets are the buckets rebuildIndexes derives from the records.
var indexBuckets = [][]byte{bucketPlacesByService, bucketPlacesByDept, bucketEventsByStart, bucketEventsByPlace, bucketObjects, bucketPlaceMatch}

// rebuildIndexes empties the index buckets and the search index's entries,
// and writes them again from the records. It returns the number of
// records read.
func rebuildIndexes(tx *bolt.Tx) (int, error) {
	for _, name := range indexBuckets {
		if err := tx.DeleteBucket(name); err != nil && !errors.Is(err, bolt.ErrBucketNotFound) {
			return 0, err
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return 0, err
		}
	}
	put := func(kind byte, id string, es []entry) error {
		for _, e := range es {
			var v []byte
			if string(e.bucket) == string(bucketObjects) {
				v = objectValue(kind, id)
			}
			if err := tx.Bucket(e.bucket).Put(e.key, v); err != nil {
				return err
			}
		}
		return nil
	}
	n := 0
	err := tx.Bucket(bucketPlaces).ForEach(func(k, v []byte) error {
		var p catalogue.Place
		if err := decodePlace(v, &p); err != nil {
			return fmt.Errorf("fiche de lieu %s illisible : %w", k, err)
		}
		n++
		return put(kindPlace, string(k), placeEntries(&p))
	})
	if err != nil {
		return n, err
	}
	err = tx.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
		var e catalogue.Event
		if err := decodeEvent(v, &e); err != nil {
			return fmt.Errorf("fiche d'événement %s illisible : %w", k, err)
		}
		n++
		return put(kindEvent, string(k), eventEntries(&e))
	})
	if err != nil {
		return n, err
	}
	return n, rebuildEntries(tx)
}

// placeAtCommunes places every place without coordinates whose commune
// is known at its commune's centre, flagged position_approximative, as a
// write would now: places stored before that rule get it here. It
// returns how many it placed; the caller rebuilds the indexes. The
// approximate position is not sent to the followers, so nothing is
// published.
func placeAtCommunes(tx *bolt.Tx) (int, error) {
	b := tx.Bucket(bucketPlaces)
	var placed []*catalogue.Place
	var keys [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var p catalogue.Place
		if err := decodePlace(v, &p); err != nil {
			return fmt.Errorf("fiche de lieu %s illisible : %w", k, err)
		}
		if p.Latitude != nil || p.Longitude != nil {
			return nil
		}
		if communes.France().Settle(&p, nil) {
			placed, keys = append(placed, &p), append(keys, slices.Clone(k))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for i, p := range placed {
		data, err := json.Marshal(p)
		if err != nil {
			return 0, fmt.Errorf("encode %s: %w", keys[i], err)
		}
		if err := b.Put(keys[i], data); err != nil {
			return 0, err
		}
	}
	return len(placed), nil
}

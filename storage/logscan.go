package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"path/filepath"
)

// ErrCorrupt means a file of the data directory is damaged: Open refuses
// it rather than start on part of the data. Errors wrapping it are
// *CorruptError values, whose message names the file and what is wrong,
// and says which commands to run.
var ErrCorrupt = errors.New("fichier endommagé")

// CorruptError is the error of Open, Check and Repair for a damaged file.
type CorruptError struct {
	Path   string // the damaged file
	Detail string // what is wrong, in French
}

func (e *CorruptError) Error() string {
	dir := filepath.Dir(e.Path)
	return fmt.Sprintf("%s est endommagé : %s. Rien n'a été modifié ; lancez « maillage check --data %s » pour le détail, "+
		"puis « maillage repair --data %s » (ou « maillage restore » d'une sauvegarde)", e.Path, e.Detail, dir, dir)
}

// Unwrap makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// logScan is what a read of the inbox log found: the changes of its valid
// frames, in order, and the damaged stretches between them.
//
// The log ends at zeros, at a frame cut short, or at a frame older than
// the one before (a frame an earlier write left past the last one). A
// frame that fails its CRC, or an unreadable stretch, is a torn tail only
// when no valid frame newer than the last one read comes after it: a
// crash cuts the last write short, it does not damage what came before.
// A damaged frame followed by newer valid frames is damage (a flipped
// bit, a zeroed block), and every frame after it was acknowledged to a
// peer: Open refuses to start rather than drop them.
type logScan struct {
	ops    []logOp
	frames []int     // the frame number of each op, from 1
	bad    []logSpan // damaged stretches, in order
}

// logSpan is a damaged stretch of the log: bytes [from, to), found where
// frame number frame was expected.
type logSpan struct {
	from, to int
	frame    int
	why      string // in French
}

// validFrame reports whether a whole frame with a right CRC starts at at,
// with its sequence number and its length, header included.
func validFrame(data []byte, at int) (seq uint64, size int, ok bool) {
	if at < 0 || len(data)-at < frameHeader {
		return 0, 0, false
	}
	n := int(binary.LittleEndian.Uint32(data[at:]))
	if n == 0 || n > len(data)-at-frameHeader {
		return 0, 0, false
	}
	if crc32.Checksum(data[at+8:at+frameHeader+n], castagnoli) != binary.LittleEndian.Uint32(data[at+4:]) {
		return 0, 0, false
	}
	return binary.LittleEndian.Uint64(data[at+8:]), frameHeader + n, true
}

// nextFrame returns where the first valid frame newer than last starts,
// at or after at, or -1. Payloads are JSON, which holds no zero byte and
// so no plausible length field: candidates failing the length test cost
// nothing, and few reach the CRC.
func nextFrame(data []byte, at int, last uint64) int {
	for ; at+frameHeader <= len(data); at++ {
		if seq, _, ok := validFrame(data, at); ok && seq > last {
			return at
		}
	}
	return -1
}

// scanLog reads the frames of data.
func scanLog(data []byte) logScan {
	var sc logScan
	var last uint64
	started := false
	frame := 1
	for at := 0; ; {
		seq, size, ok := validFrame(data, at)
		if ok && (!started || seq == last+1) {
			var op logOp
			if err := json.Unmarshal(data[at+frameHeader:at+size], &op); err != nil {
				sc.bad = append(sc.bad, logSpan{at, at + size, frame, fmt.Sprintf("intacte mais illisible (%v)", err)})
			} else {
				sc.ops = append(sc.ops, op)
				sc.frames = append(sc.frames, frame)
			}
			last, started = seq, true
			at += size
			frame++
			continue
		}
		// The end, unless newer valid frames follow.
		next := nextFrame(data, at, last)
		if next < 0 {
			return sc
		}
		why := "somme de contrôle (CRC) fausse ou longueur invalide"
		if next == at {
			why = fmt.Sprintf("numéro de séquence %d après %d : des trames manquent", seq, last)
		}
		sc.bad = append(sc.bad, logSpan{at, next, frame, why})
		frame++
		last = 0 // the next valid frame starts a new run
		started = false
		at = next
	}
}

// corruption returns the CorruptError for path, or nil when the scan found
// no damage.
func (sc *logScan) corruption(path string) error {
	if len(sc.bad) == 0 {
		return nil
	}
	b := sc.bad[0]
	after := 0
	for _, f := range sc.frames {
		if f > b.frame {
			after++
		}
	}
	detail := fmt.Sprintf("la trame n° %d (octet %d) est illisible : %s ; %d trame(s) valide(s) la suivent, qui seraient perdues",
		b.frame, b.from, b.why, after)
	if len(sc.bad) > 1 {
		detail += fmt.Sprintf(" (%d passages endommagés en tout)", len(sc.bad))
	}
	return &CorruptError{Path: path, Detail: detail}
}

// encodeFrame returns op as a frame numbered seq.
func encodeFrame(op logOp, seq uint64) ([]byte, error) {
	payload, err := json.Marshal(op)
	if err != nil {
		return nil, err
	}
	frame := make([]byte, frameHeader, frameHeader+len(payload))
	binary.LittleEndian.PutUint32(frame, uint32(len(payload)))
	binary.LittleEndian.PutUint64(frame[8:], seq)
	frame = append(frame, payload...)
	binary.LittleEndian.PutUint32(frame[4:], crc32.Checksum(frame[8:], castagnoli))
	return frame, nil
}

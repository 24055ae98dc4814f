package storage

import (
	"os"
	"syscall"
)

// syncData flushes f's data, and the metadata needed to read it back, to
// the disk: fdatasync, as bbolt does on Linux.
func syncData(f *os.File) error { return syscall.Fdatasync(int(f.Fd())) }

// Package atomicfile replaces a file's contents so that a reader sees either
// the old contents or the new, never a half-written file:
//
//	write  DIR/.NAME.tmp-123   (same directory, so rename cannot cross filesystems)
//	fsync  DIR/.NAME.tmp-123
//	rename DIR/.NAME.tmp-123 → DIR/NAME
//	fsync  DIR
//
// zdial's link records are read by `zdial status` and `zdial ensure` while the
// supervisor rewrites them, and node_exporter reads the metrics file at any
// moment; both need this. The temporary name starts with a dot, which
// node_exporter's textfile collector (it reads only *.prom) and zdial's own
// readers skip.
package atomicfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Write replaces path's contents with data, with permissions perm (not
// subject to the umask). If path is a symbolic link, the link itself is
// replaced; its target is left alone.
func Write(path string, data []byte, perm fs.FileMode) (err error) {
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	// The rename is durable only once the directory is synced. A failure
	// here leaves the new contents in place, so it is not reported as a
	// failed write (tmpfs, where /run lives, has nothing to sync anyway).
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

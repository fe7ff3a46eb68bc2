package sysfstest

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Copy copies the fake sysfs tree at src into dst, symlinks as symlinks
// (sysfs is made of them: driver links, bus/usb/devices entries), so that
// a test can let zdial write to it without touching the shared fixture.
func Copy(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, out)
		case d.IsDir():
			return os.MkdirAll(out, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
	if err != nil {
		t.Fatalf("sysfstest: copying %s: %v", src, err)
	}
}

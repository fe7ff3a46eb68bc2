package safefile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteAtomic replaces the file at path with data: it writes a temporary
// file in the same directory (created O_EXCL by os.CreateTemp, so nothing
// planted there is followed), syncs it, sets perm and renames it over
// path, then syncs the directory. If path is a symbolic link, the link
// itself is replaced, never its target. A reader sees the old file or the new one, never half of either;
// a crash leaves at worst a temporary file named .NAME.* beside it.
func WriteAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+name+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	// The rename is durable only once the directory is synced. A failure
	// here leaves the new contents in place, so it is not reported (tmpfs,
	// where /run lives, has nothing to sync anyway).
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// PrivateDir makes sure dir exists as a directory only its owner can enter
// (0700), owned by this process's user, creating it and its parents as
// needed. zdial's state directory holds rejected-PIN records and port
// caches: whichever of them is written first must not leave it open to
// others, and a directory another user made (or a link they planted) in its
// place is refused, not used.
func PrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return &fs.PathError{Op: "mkdir", Path: dir, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind(fi.Mode()))}
	}
	if err := Self().ownedBySelf(dir, fi); err != nil {
		return err
	}
	if fi.Mode().Perm() != 0o700 {
		return os.Chmod(dir, 0o700)
	}
	return nil
}

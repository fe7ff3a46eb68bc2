package uucplock

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
)

// FileName returns the lock file name for a device path as given, without
// resolving links: LCK..ttyUSB0. Dir.LockPath names the device a path
// resolves to.
func FileName(device string) string {
	return "LCK.." + filepath.Base(device)
}

// LockPath returns the lock file for device: an absolute path, or a name
// such as "ttyUSB2" relative to DevRoot (as pppd reads it). Symlinks are
// resolved first, so every name udev gives a port (/dev/gsmmodem,
// /dev/serial/by-id/…) locks the device node itself, LCK..ttyUSB2: the lock
// pppd and minicom take when given /dev/ttyUSB2. (Given a by-id link they
// lock LCK..serial_by-id_…, a name no other program checks.) A device that
// does not exist is named as given; opening it will fail with its own error.
func (d Dir) LockPath(device string) (string, error) {
	p := device
	if !filepath.IsAbs(device) {
		root := d.DevRoot
		if root == "" {
			root = "/dev"
		}
		p = filepath.Join(root, device)
	}
	real, err := filepath.EvalSymlinks(p)
	switch {
	case err == nil:
		p = real
	case !errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("uucplock: %w", err) // names the path that failed
	}
	return filepath.Join(d.Path, FileName(p)), nil
}

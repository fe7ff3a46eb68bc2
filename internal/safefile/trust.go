package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// ErrUntrusted is matched by every *UntrustedError.
var ErrUntrusted = errors.New("untrusted file")

// UntrustedError says why a file may not be used by the user zdial runs
// as, and how to fix it. Path is the file or directory at fault, which
// may be a parent of the file asked about.
type UntrustedError struct {
	File   string // the file asked about
	Path   string // the file or directory at fault
	Reason string // "owned by uid 1000", "writable by others"…
	Fix    string // a command that fixes it
}

func (e *UntrustedError) Error() string {
	what := e.File
	if e.Path != e.File {
		what = fmt.Sprintf("%s: %s", e.File, e.Path)
	}
	return fmt.Sprintf("%s is %s, so zdial will not use it (running as uid %d); fix: %s", what, e.Reason, os.Geteuid(), e.Fix)
}

// Is makes errors.Is(err, ErrUntrusted) true.
func (e *UntrustedError) Is(target error) bool { return target == ErrUntrusted }

// Owner is who may own the files a process trusts: root always, and the
// process's own user. zdial as root trusts only root's files; zdial as
// user 1000 trusts root's and user 1000's.
type Owner struct {
	UID uint32
}

// Self is the Owner for the running process.
func Self() Owner { return Owner{UID: uint32(os.Geteuid())} }

// Trusted checks that the file at path, after following symbolic links,
// and every directory above it are owned by root or by o.UID and not
// writable by group or others. This is the test OpenSSH applies to
// authorized_keys, for the same reason: whoever can write any of them can
// make root read or run what they like. A sticky directory (/tmp) may be
// writable by others; see Check. It does not open the file.
func (o Owner) Trusted(path string) error { return o.trusted(path, true) }

// trusted is Trusted; sticky says whether a sticky directory writable by
// others may stand above the file.
func (o Owner) trusted(path string, sticky bool) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return err
	}
	if err := o.check(path, real, fi, sticky); err != nil {
		return err
	}
	for dir := filepath.Dir(real); ; dir = filepath.Dir(dir) {
		di, err := os.Stat(dir)
		if err != nil {
			return err
		}
		if err := o.check(path, dir, di, sticky); err != nil {
			return err
		}
		if dir == "/" {
			return nil
		}
	}
}

// TrustedExecutable is Trusted for a program zdial will run: it must also
// be a regular file with an execute bit.
func (o Owner) TrustedExecutable(path string) error {
	if err := o.Trusted(path); err != nil {
		return err
	}
	return executable(path)
}

// TrustedForLater is TrustedExecutable for a program whose path zdial
// writes down for root to run later, unchecked: in a udev rule, a systemd
// unit, a pppd peers file. Then no directory above it may be writable by
// others even if it is sticky: a sticky directory keeps others from
// replacing root's file, but once the file is gone (a reboot empties /run,
// a clean-up empties /var/tmp) anyone may create one at that path, and
// root would run it.
func (o Owner) TrustedForLater(path string) error {
	if err := o.trusted(path, false); err != nil {
		return err
	}
	return executable(path)
}

func executable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
		return &fs.PathError{Op: "exec", Path: path, Err: errors.New("not an executable file")}
	}
	return nil
}

// Check applies Trusted's test to one file or directory already stat'ed
// (or fstat'ed, for a file opened with Open): owned by root or o.UID, and
// not writable by group or others unless it is a sticky directory.
func (o Owner) Check(path string, fi fs.FileInfo) error {
	return o.check(path, path, fi, true)
}

func (o Owner) check(file, path string, fi fs.FileInfo, sticky bool) error {
	dir := fi.IsDir()
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fmt.Errorf("%s: no owner information", path)
	}
	if st.Uid != 0 && st.Uid != o.UID {
		return &UntrustedError{File: file, Path: path,
			Reason: fmt.Sprintf("owned by uid %d", st.Uid),
			Fix:    fmt.Sprintf("chown root %s", path)}
	}
	perm := fi.Mode().Perm()
	if perm&0o022 == 0 {
		return nil
	}
	// A sticky directory (/tmp, /run/lock) lets others add entries but not
	// rename or remove those of root or of o.UID, so it may stand above a
	// trusted file; it may not be the file itself.
	if dir && fi.Mode()&fs.ModeSticky != 0 {
		if sticky {
			return nil
		}
		return &UntrustedError{File: file, Path: path,
			Reason: "a sticky directory others can write to (once the file is gone, anyone may create it there)",
			Fix:    "install it in a directory only root can write, such as /usr/local/sbin"}
	}
	what := "writable by others"
	if perm&0o002 == 0 {
		what = "writable by its group"
	}
	if dir {
		what = "a directory " + what
	}
	return &UntrustedError{File: file, Path: path, Reason: what,
		Fix: fmt.Sprintf("chmod go-w %s", path)}
}

// ownedBySelf refuses a file that o.UID does not own (root's files
// included, unless o is root): for what zdial writes and then trusts.
func (o Owner) ownedBySelf(path string, fi fs.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fmt.Errorf("%s: no owner information", path)
	}
	if st.Uid != o.UID {
		return &UntrustedError{File: path, Path: path,
			Reason: fmt.Sprintf("owned by uid %d, not %d", st.Uid, o.UID),
			Fix:    fmt.Sprintf("remove it, or chown %d %s", o.UID, path)}
	}
	return nil
}

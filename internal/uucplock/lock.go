// Package uucplock takes and releases UUCP-style lock files for serial
// devices, in the HDB format that pppd, minicom and chat's users share:
//
//	/var/lock/LCK..ttyUSB0   contains "      4711\n"  (PID, ten columns, newline)
//
// A device is locked under the name of the device node its path resolves
// to, so /dev/gsmmodem, /dev/serial/by-id/usb-… and /dev/ttyUSB2 take the one
// lock LCK..ttyUSB2.
//
// A lock whose PID no longer runs, or a file at the lock path that is not a
// lock at all (unparsable, oversized, a FIFO, a symlink), is stale and taken
// over; the one exception is a directory, which is reported, never removed.
// A lock held by a live process is reported as a *BusyError naming the
// holder, so a user can see which program has the modem.
//
// The lock directory (/run/lock) is usually world-writable, so everything in
// it is another user's to plant: every file there is opened with O_NOFOLLOW
// and O_NONBLOCK, must be a regular file, is read for at most 128 bytes, and
// its content never appears in an error.
//
// Taking a lock never exposes a half-written file: the PID goes into a
// private temporary file that link(2) puts in place, and link fails if a
// lock exists. Taking over a stale lock happens under flock(2) on the lock
// directory, so among zdials exactly one contender removes a given stale
// lock and wins.
package uucplock

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// ErrBusy is matched (errors.Is) by every *BusyError.
var ErrBusy = errors.New("uucplock: device is locked by another process")

// BusyError says who holds a device's lock.
type BusyError struct {
	Path string // the lock file
	PID  int
	Name string // the holder's command name (printable ASCII only), "" if unknown
}

func (e *BusyError) Error() string {
	who := strconv.Itoa(e.PID)
	if e.Name != "" {
		who = fmt.Sprintf("%s (%s)", who, e.Name)
	}
	return fmt.Sprintf("uucplock: %s is held by process %s", e.Path, who)
}

// Is makes errors.Is(err, ErrBusy) true.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// Dir is a lock directory such as /var/lock. ProcRoot (normally /proc) is
// read only to name a holder's command; "" leaves holders unnamed. DevRoot
// (normally /dev, the default when "") is where a bare device name such as
// "ttyUSB2" is looked up.
type Dir struct {
	Path     string
	ProcRoot string
	DevRoot  string
}

// Lock is a held lock file. Release removes it.
type Lock struct {
	path string
	pid  int
	fd   int // our lock file, kept open so its inode number cannot be reused
}

// Path returns the lock file's path.
func (l *Lock) Path() string { return l.path }

// maxAttempts bounds how often Acquire goes round when the lock path keeps
// changing under it (someone recreating a stale file in a loop).
const maxAttempts = 8

// AcquireContext locks device for the current process. It waits only while
// another process takes over a stale lock in the same directory, and at most
// until ctx is done; that error matches both ErrBusy and ctx's error.
func (d Dir) AcquireContext(ctx context.Context, device string) (*Lock, error) {
	return d.acquire(ctx, device, os.Getpid())
}

// Acquire is AcquireContext that never waits: if another process is taking
// over a stale lock in the same directory at that moment, it reports ErrBusy.
func (d Dir) Acquire(device string) (*Lock, error) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return d.AcquireContext(ctx, device)
}

func (d Dir) acquire(ctx context.Context, device string, pid int) (*Lock, error) {
	path, err := d.LockPath(device)
	if err != nil {
		return nil, err
	}
	tmp, fd, err := writeTemp(d.Path, pid)
	if err != nil {
		return nil, err
	}
	defer unix.Unlink(tmp)
	l, err := d.place(ctx, path, tmp, pid)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	l.fd = fd
	return l, nil
}

func (d Dir) place(ctx context.Context, path, tmp string, pid int) (*Lock, error) {
	for range maxAttempts {
		won, err := link(tmp, path, d.Path)
		if err != nil {
			return nil, err
		}
		if won {
			return &Lock{path: path, pid: pid}, nil
		}
		st, err := inspect(path)
		if err != nil {
			return nil, err
		}
		switch {
		case st.verdict == free: // removed since link failed: link again
			continue
		case st.verdict == held && st.pid != pid:
			return nil, d.busy(path, st.pid)
		}
		// Stale, or our own PID left by an earlier process (as pppd does).
		won, err = d.takeOver(ctx, path, tmp, pid)
		if err != nil {
			return nil, err
		}
		if won {
			return &Lock{path: path, pid: pid}, nil
		}
	}
	return nil, fmt.Errorf("uucplock: %s keeps changing while zdial takes it; another program is recreating it", path)
}

// takeOver replaces the stale lock at path by tmp under the directory's
// guard. Among zdials only the guard's holder removes anything, so the file
// it judges stale is the file it removes; a contender that links in between
// wins, and this one then reports it as the holder.
func (d Dir) takeOver(ctx context.Context, path, tmp string, pid int) (bool, error) {
	unlock, err := d.guard(ctx)
	if err != nil {
		return false, permissionHint(err, d.Path)
	}
	defer unlock()
	st, err := inspect(path)
	if err != nil {
		return false, err
	}
	if st.verdict == held && st.pid != pid {
		return false, d.busy(path, st.pid)
	}
	if st.verdict != free {
		if err := removeStale(path, st); err != nil {
			if errors.Is(err, ErrNotLock) {
				return false, err // says who can remove it
			}
			return false, permissionHint(err, d.Path)
		}
	}
	return link(tmp, path, d.Path)
}

// removeStale unlinks what inspect judged stale, unless it has been replaced
// since. unlink(2) removes a symlink itself, never its target.
func removeStale(path string, st state) error {
	var now unix.Stat_t
	if err := unix.Lstat(path, &now); err != nil {
		if err == unix.ENOENT {
			return nil
		}
		return fmt.Errorf("uucplock: %w", &fs.PathError{Op: "lstat", Path: path, Err: err})
	}
	if idOf(&now) != st.id {
		return nil // replaced: the link that follows fails, and Acquire looks again
	}
	err := unix.Unlink(path)
	if err == nil || err == unix.ENOENT {
		return nil
	}
	var notLock *NotLockError
	if errors.As(st.why, &notLock) {
		return &NotLockError{Path: notLock.Path, Reason: notLock.Reason, Err: err}
	}
	return fmt.Errorf("uucplock: removing the stale lock %s (%v): %w", path, st.why, err)
}

// link puts the lock in place: false when something is already there.
func link(tmp, path, dir string) (bool, error) {
	err := unix.Link(tmp, path)
	switch err {
	case nil:
		return true, nil
	case unix.EEXIST:
		return false, nil
	}
	return false, permissionHint(fmt.Errorf("uucplock: %w", &os.LinkError{Op: "link", Old: tmp, New: path, Err: err}), dir)
}

// writeTemp writes pid in HDB format to a new private file in dir and
// returns its name and an open descriptor. It is created with
// O_EXCL|O_NOFOLLOW, so nothing planted there is opened, and is 0644 whatever
// the umask, so pppd and minicom can read it.
func writeTemp(dir string, pid int) (string, int, error) {
	for range maxAttempts {
		name := filepath.Join(dir, ".LTMP.zdial."+rand.Text())
		fd, err := unix.Open(name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o644)
		if err == unix.EEXIST {
			continue
		}
		if err != nil {
			return "", -1, permissionHint(fmt.Errorf("uucplock: creating a lock file in %s: %w", dir, err), dir)
		}
		if err := fillTemp(fd, pid); err != nil {
			unix.Close(fd)
			unix.Unlink(name)
			return "", -1, fmt.Errorf("uucplock: writing a lock file in %s: %w", dir, err)
		}
		return name, fd, nil
	}
	return "", -1, fmt.Errorf("uucplock: no free temporary name in %s", dir)
}

func fillTemp(fd, pid int) error {
	if err := unix.Fchmod(fd, 0o644); err != nil {
		return err
	}
	b := fmt.Appendf(nil, "%10d\n", pid)
	n, err := unix.Write(fd, b)
	if err != nil {
		return err
	}
	if n != len(b) {
		return fmt.Errorf("short write (%d of %d bytes)", n, len(b))
	}
	return nil
}

// Holder reports the live process that holds device's lock: nil, nil when
// the device is free or its lock is stale, by the same rule Acquire uses.
// The error is for what neither frees nor holds the device (a directory at
// the lock path, an unreadable lock file) and never shows file content.
func (d Dir) Holder(device string) (*BusyError, error) {
	path, err := d.LockPath(device)
	if err != nil {
		return nil, err
	}
	st, err := inspect(path)
	if err != nil || st.verdict != held {
		return nil, err
	}
	return d.busy(path, st.pid), nil
}

func (d Dir) busy(path string, pid int) *BusyError {
	return &BusyError{Path: path, PID: pid, Name: d.command(pid)}
}

// Release removes the lock file if it is still the file Acquire made (the
// same inode, which our open descriptor keeps from being reused) and holds
// our PID. Among zdials nobody removes a lock whose PID is alive, so the file
// checked is the file removed.
func (l *Lock) Release() error {
	if l == nil || l.path == "" {
		return nil
	}
	path := l.path
	l.path = ""
	defer unix.Close(l.fd)
	var ours unix.Stat_t
	if err := unix.Fstat(l.fd, &ours); err != nil {
		return fmt.Errorf("uucplock: %w", &fs.PathError{Op: "fstat", Path: path, Err: err})
	}
	b, e, err := readLock(path)
	if err != nil {
		return nil // gone, or replaced by something that is not our lock
	}
	if pid, err := parsePID(b); err != nil || pid != l.pid || e.id != idOf(&ours) {
		return nil // taken over; not ours to remove
	}
	if err := unix.Unlink(path); err != nil && err != unix.ENOENT {
		return fmt.Errorf("uucplock: %w", &fs.PathError{Op: "remove", Path: path, Err: err})
	}
	return nil
}

// command names pid from ProcRoot/PID/comm, which the process itself sets:
// read like a lock file, and kept to printable ASCII.
func (d Dir) command(pid int) string {
	if d.ProcRoot == "" {
		return ""
	}
	b, _, err := readSmall(filepath.Join(d.ProcRoot, strconv.Itoa(pid), "comm"), maxCommSize)
	if err != nil {
		return ""
	}
	return printable(strings.TrimSpace(string(b)))
}

// maxCommSize bounds the read of /proc/PID/comm (TASK_COMM_LEN is 16).
const maxCommSize = 64

func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '?'
		}
		return r
	}, s)
}

func permissionHint(err error, dir string) error {
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("%w (zdial needs write access to the lock directory %s: run as root or join the group that owns it, usually dialout or uucp)", err, dir)
	}
	return err
}

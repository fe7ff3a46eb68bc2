// Package uucplock takes and releases UUCP-style lock files for serial
// devices, in the HDB format that pppd, minicom and chat's users share:
//
//	/var/lock/LCK..ttyUSB0   contains "      4711\n"  (PID, ten columns, newline)
//
// A lock whose PID no longer runs is stale and taken over. A lock held by a
// live process is reported as a *BusyError naming the holder, so a user can
// see which program has the modem.
package uucplock

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ErrBusy is matched (errors.Is) by every *BusyError.
var ErrBusy = errors.New("uucplock: device is locked by another process")

// BusyError says who holds a device's lock.
type BusyError struct {
	Path string // the lock file
	PID  int
	Name string // the holder's command name, "" if unknown
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
// read only to name a holder's command.
type Dir struct {
	Path     string
	ProcRoot string
}

// Lock is a held lock file. Release removes it.
type Lock struct {
	path string
	pid  int
}

// Path returns the lock file's path.
func (l *Lock) Path() string { return l.path }

// FileName returns the lock file name for a device path: LCK..ttyUSB0.
func FileName(device string) string {
	return "LCK.." + filepath.Base(device)
}

// Acquire locks device for the current process.
func (d Dir) Acquire(device string) (*Lock, error) {
	return d.acquire(device, os.Getpid())
}

func (d Dir) acquire(device string, pid int) (*Lock, error) {
	path := filepath.Join(d.Path, FileName(device))
	// Write the PID to a private temporary file, then link it into place:
	// link fails if the lock exists, so two dialers can never both win.
	tmp, err := os.CreateTemp(d.Path, ".zdial-lock-*")
	if err != nil {
		return nil, permissionHint(fmt.Errorf("uucplock: %w", err), d.Path)
	}
	defer os.Remove(tmp.Name())
	if _, err := fmt.Fprintf(tmp, "%10d\n", pid); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("uucplock: %w", err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("uucplock: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("uucplock: %w", err)
	}
	for attempt := 0; attempt < 2; attempt++ {
		err := os.Link(tmp.Name(), path)
		if err == nil {
			return &Lock{path: path, pid: pid}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, permissionHint(fmt.Errorf("uucplock: %w", err), d.Path)
		}
		holder, rerr := ReadPID(path)
		if rerr == nil && holder != pid && alive(holder) {
			return nil, &BusyError{Path: path, PID: holder, Name: d.command(holder)}
		}
		// Stale (dead PID, unreadable, or ours from an earlier run): take it over.
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, permissionHint(fmt.Errorf("uucplock: removing stale lock: %w", err), d.Path)
		}
	}
	return nil, fmt.Errorf("uucplock: %s: lock keeps reappearing", path)
}

// Holder reports the live process that holds device's lock, or nil if
// the device is not locked (or the lock is stale).
func (d Dir) Holder(device string) *BusyError {
	path := filepath.Join(d.Path, FileName(device))
	pid, err := ReadPID(path)
	if err != nil || !alive(pid) {
		return nil
	}
	return &BusyError{Path: path, PID: pid, Name: d.command(pid)}
}

// Release removes the lock file if it still holds our PID.
func (l *Lock) Release() error {
	if l == nil || l.path == "" {
		return nil
	}
	path := l.path
	l.path = ""
	pid, err := ReadPID(path)
	if err != nil || pid != l.pid {
		return nil // already gone or taken over; not ours to remove
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("uucplock: %w", err)
	}
	return nil
}

// ReadPID parses a lock file: HDB ASCII (the norm) or a 4-byte binary PID
// written by old Kermit-era tools.
func ReadPID(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("uucplock: %w", err)
	}
	return parsePID(b)
}

func parsePID(b []byte) (int, error) {
	if s := strings.TrimSpace(string(b)); s != "" {
		if pid, err := strconv.Atoi(s); err == nil && pid > 0 {
			return pid, nil
		}
	}
	// Linux PIDs are below 2^22, so a binary PID always ends in a zero byte.
	if len(b) == 4 && b[3] == 0 {
		pid := int(b[0]) | int(b[1])<<8 | int(b[2])<<16 | int(b[3])<<24
		if pid > 0 {
			return pid, nil
		}
	}
	return 0, fmt.Errorf("uucplock: no PID in lock file %q", b)
}

// alive reports whether a process exists. EPERM means it exists but is
// someone else's, which still holds the lock.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func (d Dir) command(pid int) string {
	if d.ProcRoot == "" {
		return ""
	}
	b, err := os.ReadFile(filepath.Join(d.ProcRoot, strconv.Itoa(pid), "comm"))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func permissionHint(err error, dir string) error {
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("%w (zdial needs write access to the lock directory %s: run as root or join the group that owns it, usually dialout or uucp)", err, dir)
	}
	return err
}

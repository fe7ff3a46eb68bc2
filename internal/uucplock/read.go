package uucplock

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"

	"golang.org/x/sys/unix"
)

// maxLockSize bounds what is read of a lock file. An HDB lock is 11 bytes;
// minicom's "      4711 minicom alice\n" is under 40.
const maxLockSize = 128

// maxPID is PID_MAX_LIMIT on 64-bit Linux: no process has a larger PID. The
// bound also keeps a lock from making kill(2) address a process group.
const maxPID = 1 << 22

// ErrNotLock is matched (errors.Is) by every *NotLockError.
var ErrNotLock = errors.New("uucplock: not a lock file")

// NotLockError says that what sits at a lock path is not a lock another
// program made. It never carries the file's content.
type NotLockError struct {
	Path   string
	Reason string // "is a FIFO", "holds no PID", …
	Err    error  // why it could not be removed; nil when it was not tried
}

func (e *NotLockError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("uucplock: %s %s, not a lock file, and removing it failed (%v): its owner or root must remove it", e.Path, e.Reason, e.Err)
	}
	return fmt.Sprintf("uucplock: %s %s, not a lock file: remove it", e.Path, e.Reason)
}

// Is makes errors.Is(err, ErrNotLock) true.
func (e *NotLockError) Is(target error) bool { return target == ErrNotLock }

func (e *NotLockError) Unwrap() error { return e.Err }

// fileID is a file's identity: what sits at a path is the same file only if
// its device and inode are.
type fileID struct{ dev, ino uint64 }

func idOf(st *unix.Stat_t) fileID { return fileID{uint64(st.Dev), st.Ino} }

// entry is what readSmall found at a path.
type entry struct {
	id   fileID
	mode uint32 // S_IFMT bits
}

// readPID reads the PID from a lock file: HDB ASCII (the norm, also with
// minicom's trailing words) or a 4-byte binary PID from old Kermit-era tools.
// It never follows a symlink, never blocks, reads at most 128 bytes, and its
// errors (*NotLockError for anything that is not a lock, fs.ErrNotExist when
// nothing is there) never show the file's content.
func readPID(path string) (int, error) {
	b, _, err := readLock(path)
	if err != nil {
		return 0, err
	}
	pid, err := parsePID(b)
	if err != nil {
		return 0, &NotLockError{Path: path, Reason: err.Error()}
	}
	return pid, nil
}

func readLock(path string) ([]byte, entry, error) { return readSmall(path, maxLockSize) }

// readSmall reads a small regular file in a directory others can write:
// lstat first, so a FIFO, device or socket is never opened; then
// O_NOFOLLOW|O_NONBLOCK, so a symlink or a FIFO swapped in meanwhile is
// neither followed nor waited on; fstat to check again; at most max bytes.
// A non-regular or oversized file is a *NotLockError; its entry is still
// returned so a caller can remove exactly it.
func readSmall(path string, max int) ([]byte, entry, error) {
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		return nil, entry{}, pathError("lstat", path, err)
	}
	e := entry{id: idOf(&st), mode: st.Mode & unix.S_IFMT}
	if e.mode != unix.S_IFREG {
		return nil, e, &NotLockError{Path: path, Reason: "is " + describe(e.mode)}
	}
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	switch err {
	case nil:
	case unix.ELOOP:
		return nil, entry{}, &NotLockError{Path: path, Reason: "is a symbolic link"}
	case unix.ENXIO:
		return nil, entry{}, &NotLockError{Path: path, Reason: "is a socket"}
	default:
		return nil, entry{}, pathError("open", path, err)
	}
	defer unix.Close(fd)
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, entry{}, pathError("fstat", path, err)
	}
	e = entry{id: idOf(&st), mode: st.Mode & unix.S_IFMT}
	if e.mode != unix.S_IFREG {
		return nil, e, &NotLockError{Path: path, Reason: "is " + describe(e.mode)}
	}
	tooBig := &NotLockError{Path: path, Reason: fmt.Sprintf("is larger than %d bytes", max)}
	if st.Size > int64(max) {
		return nil, e, tooBig
	}
	buf := make([]byte, max+1)
	n := 0
	for n < len(buf) {
		m, err := unix.Read(fd, buf[n:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, e, pathError("read", path, err)
		}
		if m == 0 {
			break
		}
		n += m
	}
	if n > max {
		return nil, e, tooBig
	}
	return buf[:n], e, nil
}

func pathError(op, path string, err error) error {
	return fmt.Errorf("uucplock: %w", &fs.PathError{Op: op, Path: path, Err: err})
}

func describe(mode uint32) string {
	switch mode {
	case unix.S_IFDIR:
		return "a directory"
	case unix.S_IFLNK:
		return "a symbolic link"
	case unix.S_IFIFO:
		return "a FIFO"
	case unix.S_IFSOCK:
		return "a socket"
	case unix.S_IFCHR, unix.S_IFBLK:
		return "a device node"
	}
	return "not a regular file"
}

// errNoPID and errEmpty are parsePID's only errors: fixed text, never the input.
var (
	errNoPID = errors.New("holds no PID")
	errEmpty = errors.New("is empty")
)

// parsePID reads an HDB lock: optional blanks, one to ten digits, then the
// end or a blank or newline (minicom appends its name and user). A 4-byte
// binary PID, from old Kermit-era tools, ends in a zero byte, since Linux
// PIDs are below 2^22. Either way the PID is 1..maxPID.
func parsePID(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, errEmpty
	}
	if pid, ok := asciiPID(b); ok {
		return pid, nil
	}
	if len(b) == 4 && b[3] == 0 {
		pid := int(b[0]) | int(b[1])<<8 | int(b[2])<<16
		if pid >= 1 && pid <= maxPID {
			return pid, nil
		}
	}
	return 0, errNoPID
}

func asciiPID(b []byte) (int, bool) {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	start, pid := i, 0
	for i < len(b) && i-start < 10 && b[i] >= '0' && b[i] <= '9' {
		pid = pid*10 + int(b[i]-'0')
		i++
	}
	if i == start || pid < 1 || pid > maxPID {
		return 0, false
	}
	if i < len(b) && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' {
		return 0, false // "4711x", or an eleventh digit
	}
	return pid, true
}

type verdict int

const (
	free  verdict = iota // nothing at the lock path
	held                 // a lock naming a live process
	stale                // a lock of a dead process, or a file that is no lock
)

// state is what inspect found at a lock path.
type state struct {
	verdict verdict
	pid     int    // held: the holder
	why     error  // stale: why
	id      fileID // held or stale: what sits there
}

// inspect is the one rule by which the holder lookup and Acquire judge a
// lock path. Its error is for what is neither free, held nor removable: a
// directory, or a lock file zdial may not read.
func inspect(path string) (state, error) {
	b, e, err := readLock(path)
	var notLock *NotLockError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return state{verdict: free}, nil
	case errors.As(err, &notLock) && e.mode == unix.S_IFDIR:
		return state{}, err // unlink cannot remove it, and it is not ours to rmdir
	case errors.As(err, &notLock):
		return state{verdict: stale, why: err, id: e.id}, nil
	case err != nil:
		return state{}, err
	}
	pid, err := parsePID(b)
	if err != nil {
		return state{verdict: stale, why: &NotLockError{Path: path, Reason: err.Error()}, id: e.id}, nil
	}
	if !alive(pid) {
		return state{verdict: stale, why: fmt.Errorf("process %d is gone", pid), id: e.id}, nil
	}
	return state{verdict: held, pid: pid, id: e.id}, nil
}

// alive reports whether a process exists. EPERM means it exists but is
// someone else's, which still holds the lock.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

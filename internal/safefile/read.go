// Package safefile is how zdial, running as root from udev, cron and
// systemd, touches files that another local user may have put in its way.
//
// Three rules live here and nowhere else:
//
//   - A file in a directory others can write to (a lock dir, /run, /tmp) is
//     opened without following a symbolic link and without blocking (a FIFO
//     planted at the path would otherwise hang open(2) forever), must be a
//     regular file, and is read up to a bound: ReadFile, Open.
//   - Configuration, scripts and binaries that root acts on come only from
//     files owned by root (or by the invoking user, for that user's own
//     files) that nobody else can write, in directories nobody else can
//     write: Trusted, TrustedExecutable.
//   - A file that readers must never see half-written is replaced whole:
//     WriteAtomic.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// ErrNotRegular is matched by errors for a path that holds something other
// than a regular file: a directory, a FIFO, a device or a symbolic link.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is matched by errors for a file longer than the caller's bound.
var ErrTooLarge = errors.New("file too large")

// Open opens path for reading the safe way: a symbolic link at path is
// refused (ErrNotRegular), a FIFO or device does not block the open, and
// anything but a regular file is refused. The file is returned in
// blocking mode with its FileInfo.
func Open(path string) (*os.File, fs.FileInfo, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, unix.ELOOP) {
			// O_NOFOLLOW on a symlink: say what is there, not "too many levels".
			return nil, nil, &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w (a symbolic link)", ErrNotRegular)}
		}
		return nil, nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	f := os.NewFile(uintptr(fd), path)
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind(fi.Mode()))}
	}
	// A regular file never blocks; clearing O_NONBLOCK keeps later reads
	// ordinary for callers that hand the file on.
	if err := unix.SetNonblock(fd, false); err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// ReadFile reads the whole of the regular file at path, opened as Open
// does, refusing one longer than max bytes with ErrTooLarge. The bound is
// enforced on what is read, not on the size stat reports, so a file that
// grows while it is read cannot push past it.
func ReadFile(path string, max int64) ([]byte, error) {
	f, fi, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi.Size() > max {
		return nil, tooLarge(path, max)
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	if int64(len(b)) > max {
		return nil, tooLarge(path, max)
	}
	return b, nil
}

func tooLarge(path string, max int64) error {
	return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)}
}

// kind names a file mode for a person.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	default:
		return "not a regular file"
	}
}

// OpenLock opens (creating, with perm) a file used only for flock(2) in a
// directory zdial owns: read-write, without following a link planted at
// the path or blocking on a FIFO, and it must be a regular file that this
// user (or root) owns and nobody else may write. Errors wrap ErrNotRegular
// or ErrUntrusted where those are the cause.
func OpenLock(path string, perm os.FileMode) (*os.File, error) {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_CREAT|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, uint32(perm.Perm()))
	switch {
	case errors.Is(err, unix.ELOOP):
		return nil, &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w (a symbolic link)", ErrNotRegular)}
	case errors.Is(err, unix.EISDIR):
		return nil, &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w (a directory)", ErrNotRegular)}
	case err != nil:
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	f := os.NewFile(uintptr(fd), path)
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind(fi.Mode()))}
	}
	if err == nil {
		err = Self().Check(path, fi)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

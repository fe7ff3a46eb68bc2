package uucplock

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// guard takes flock(2) on the lock directory itself, which every zdial holds
// while it takes over a stale lock, and returns its release. It needs no
// file of its own, so nothing is left behind and nothing can be planted.
// Holders keep it for a few system calls; the wait polls, so ctx ends it even
// when another user's process holds the directory's flock for good.
func (d Dir) guard(ctx context.Context) (func(), error) {
	fd, err := unix.Open(d.Path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, pathError("open", d.Path, err)
	}
	wait := time.Millisecond
	for {
		err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			return func() { unix.Flock(fd, unix.LOCK_UN); unix.Close(fd) }, nil
		}
		if err != unix.EWOULDBLOCK && err != unix.EINTR {
			unix.Close(fd)
			return nil, pathError("flock", d.Path, err)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			unix.Close(fd)
			return nil, &guardError{dir: d.Path, err: ctx.Err()}
		case <-t.C:
		}
		wait = min(2*wait, 50*time.Millisecond)
	}
}

// guardError is a wait for the directory's flock that ctx ended: the lock is
// busy in the sense that another process is taking it.
type guardError struct {
	dir string
	err error // ctx.Err()
}

func (e *guardError) Error() string {
	return fmt.Sprintf("uucplock: another process is taking over a stale lock in %s (or holds flock on it): %v", e.dir, e.err)
}

func (e *guardError) Is(target error) bool { return target == ErrBusy }
func (e *guardError) Unwrap() error        { return e.err }

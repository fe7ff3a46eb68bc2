package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/zdial/zdial/internal/linkstate"
	"golang.org/x/sys/unix"
)

// Processes named in a link record (the supervisor, its pppd) are
// signalled through a pidfd opened first and checked against the
// record's start time after: from then on the pidfd refers to that very
// process, so a PID reused since the record was written is never
// signalled. Waiting for one to end is a poll(2) on the same pidfd, which
// becomes readable the moment the process exits.

// errGone means the process named in a record no longer runs.
var errGone = errors.New("process not running")

// openProcess returns a pidfd for p, or errGone.
func openProcess(dir linkstate.Dir, p linkstate.Process) (int, error) {
	if p.PID <= 0 {
		return -1, errGone
	}
	fd, err := unix.PidfdOpen(p.PID, 0)
	if errors.Is(err, unix.ESRCH) {
		return -1, errGone
	}
	if err != nil {
		return -1, fmt.Errorf("process %d: %w", p.PID, err)
	}
	if alive, err := dir.Alive(p); err != nil || !alive {
		unix.Close(fd)
		if err != nil {
			return -1, err
		}
		return -1, errGone
	}
	return fd, nil
}

// signalProcess sends sig to p; errGone if p no longer runs.
func signalProcess(dir linkstate.Dir, p linkstate.Process, sig syscall.Signal) error {
	fd, err := openProcess(dir, p)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	return pidfdSignal(fd, sig)
}

func pidfdSignal(fd int, sig syscall.Signal) error {
	err := unix.PidfdSendSignal(fd, sig, nil, 0)
	if errors.Is(err, unix.ESRCH) {
		return errGone
	}
	return err
}

// stopProcess sends p SIGTERM and waits until it has exited or ctx is
// done; with kill, a process still running then gets SIGKILL and one
// more second. It returns errGone if p was not running to begin with.
func stopProcess(ctx context.Context, dir linkstate.Dir, p linkstate.Process, kill bool) error {
	fd, err := openProcess(dir, p)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	if err := pidfdSignal(fd, syscall.SIGTERM); err != nil {
		return err
	}
	err = waitExit(ctx, fd)
	if err == nil || !kill {
		return err
	}
	if err := pidfdSignal(fd, syscall.SIGKILL); err != nil {
		return nil // it ended meanwhile
	}
	kctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	return waitExit(kctx, fd)
}

// waitExit waits until the pidfd's process has exited or ctx is done.
func waitExit(ctx context.Context, fd int) error {
	for {
		ms := -1
		if dl, ok := ctx.Deadline(); ok {
			ms = max(int(time.Until(dl)/time.Millisecond), 0)
		}
		// Wake at least every 100 ms to notice a cancellation without a
		// deadline (Ctrl-C); the exit itself wakes poll at once.
		if ms < 0 || ms > 100 {
			ms = 100
		}
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(pfd, ms)
		if err != nil && !errors.Is(err, unix.EINTR) {
			return err
		}
		if n > 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// stopOrphanPPPD ends a pppd that a dead supervisor left running (its
// record names it): it would hold the port, and its link would be nobody's.
func stopOrphanPPPD(ctx context.Context, dir linkstate.Dir, rec linkstate.Record) error {
	if alive, _ := dir.Alive(rec.Supervisor); alive {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err := stopProcess(ctx, dir, rec.PPPD, true)
	if err != nil && !errors.Is(err, errGone) {
		return fmt.Errorf("stopping pppd %d left by a dead supervisor of %s: %w", rec.PPPD.PID, rec.Profile, err)
	}
	return nil
}

// lockFileExt is linkstate's name for a profile's dial lock file
// (<run>/<profile>.lock).
const lockFileExt = ".lock"

// sameLockFile reports whether f is name's dial lock file in dir.
func sameLockFile(f *os.File, dir linkstate.Dir, name string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Lstat(filepath.Join(dir.Path, name+lockFileExt))
	return err == nil && os.SameFile(a, b)
}

// holdsLock reports whether f's open file description holds (or can take
// at once) the exclusive flock: true for a lock handed down by the parent.
func holdsLock(f *os.File) bool {
	return unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) == nil
}

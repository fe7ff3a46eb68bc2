package linkstate

import (
	"context"
	"errors"
	"fmt"
	"github.com/zdial/zdial/internal/safefile"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/zdial/zdial/internal/backoff"
)

// The dial lock serialises whoever may start a dial for a profile (up,
// ensure, run). `zdial ensure` from cron uses it like this:
//
//	l, err := dir.TryLock(p)             // a dial is in progress if ErrBusy
//	  won:  check health; dial if needed; write the record; l.Unlock()
//	  busy: s, err := dir.LockShared(ctx, p)  // wait (bounded) for the winner to finish
//	        r, err := dir.Read(p)             // report the winner's outcome; s.Unlock()
//
// It is flock(2) on <run>/<profile>.lock. flock locks belong to the open
// file description, so two opens in one process exclude each other just as
// two processes do, and the kernel drops a lock when its holder dies
// (kill -9 leaves no stale lock). The descriptor is close-on-exec, so a
// pppd or supervisor started while the lock is held does not inherit it and
// keep it held after the starter lets go. The lock files are never removed:
// removing one while another process waits on it would let a third lock a
// new file of the same name, and two dials would run.
//
// Waiting: flock has no timeout. The alternatives were a blocking flock in
// a goroutine, which cannot be cancelled (closing the descriptor does not
// wake it, so a cancelled waiter would leak a thread that later takes and
// drops the lock behind everyone's back), or an fcntl OFD lock with
// F_OFD_SETLKW interrupted by a signal, which needs a thread-directed signal
// and process-wide handler state. Lock and LockShared instead try LOCK_NB
// and retry on a timer from internal/backoff (5 ms doubling to 100 ms) under
// ctx: a bounded wait with a deadline, costing a few dozen system calls per
// second per waiter, only while another process dials. A waiter sees a
// release at most 100 ms late, small against a dial's seconds.
var lockPoll = backoff.Policy{Initial: 5 * time.Millisecond, Max: 100 * time.Millisecond}

const lockExt = ".lock"

// Lock is a held dial lock. Unlock releases it; it is idempotent and safe
// to call from any goroutine.
type Lock struct {
	once sync.Once
	f    *os.File
	err  error
}

// File returns the lock's descriptor, to hand the lock to a child process
// (exec.Cmd.ExtraFiles): flock belongs to the open file description, so
// the child then holds the lock too, until both have closed it. The
// caller must not close it; Unlock does.
func (l *Lock) File() *os.File { return l.f }

// Unlock releases the lock by closing its descriptor.
func (l *Lock) Unlock() error {
	l.once.Do(func() { l.err = l.f.Close() })
	return l.err
}

// TryLock takes profile's dial lock exclusively or fails at once with an
// error matching ErrBusy.
func (d Dir) TryLock(profile string) (*Lock, error) {
	return d.tryLock(profile, syscall.LOCK_EX)
}

// Lock takes profile's dial lock exclusively, waiting until ctx is done.
func (d Dir) Lock(ctx context.Context, profile string) (*Lock, error) {
	return d.wait(ctx, profile, syscall.LOCK_EX)
}

// LockShared waits until no one holds profile's lock exclusively and
// takes it shared: any number of readers hold it together, and no dial can
// start until they release it. A waiter reads the record under it.
func (d Dir) LockShared(ctx context.Context, profile string) (*Lock, error) {
	return d.wait(ctx, profile, syscall.LOCK_SH)
}

// wait opens the lock file once and retries flock on it until it succeeds
// or ctx is done.
func (d Dir) wait(ctx context.Context, profile string, how int) (*Lock, error) {
	fail := func(err error) (*Lock, error) { return nil, &OpError{Op: "lock", Profile: profile, Err: err} }
	b, err := backoff.New(lockPoll)
	if err != nil {
		return fail(err) // not reached: lockPoll is valid
	}
	f, err := d.openLock(profile)
	if err != nil {
		return fail(err)
	}
	for {
		err := flock(f, how)
		if err == nil {
			return &Lock{f: f}, nil
		}
		if !errors.Is(err, ErrBusy) {
			f.Close()
			return fail(err)
		}
		if err := b.Wait(ctx); err != nil {
			f.Close()
			return fail(fmt.Errorf("waiting for another dial: %w", err))
		}
	}
}

func (d Dir) tryLock(profile string, how int) (*Lock, error) {
	fail := func(err error) (*Lock, error) { return nil, &OpError{Op: "lock", Profile: profile, Err: err} }
	f, err := d.openLock(profile)
	if err != nil {
		return fail(err)
	}
	if err := flock(f, how); err != nil {
		f.Close()
		return fail(err)
	}
	return &Lock{f: f}, nil
}

// openLock opens (creating) profile's lock file and checks it.
func (d Dir) openLock(profile string) (*os.File, error) {
	if err := ValidProfile(profile); err != nil {
		return nil, err
	}
	if err := d.prepare(); err != nil {
		return nil, err
	}
	path := filepath.Join(d.Path, profile+lockExt)
	f, err := safefile.OpenLock(path, 0o600)
	if errors.Is(err, safefile.ErrNotRegular) || errors.Is(err, safefile.ErrUntrusted) {
		err = fmt.Errorf("%w: %w", ErrUnsafe, err)
	}
	return f, err
}

// flock tries once; ErrBusy if someone else holds a conflicting lock.
func flock(f *os.File, how int) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) {
		for {
			ferr = syscall.Flock(int(fd), how|syscall.LOCK_NB)
			if ferr != syscall.EINTR {
				return
			}
		}
	}); err != nil {
		return err
	}
	if ferr == syscall.EWOULDBLOCK {
		return ErrBusy
	}
	return ferr
}

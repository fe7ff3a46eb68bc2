package demonet

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/sys/unix"
)

// Isolation keeps the live demo's pppds off the host: each runs in a
// network namespace of its own, so neither ppp0, its addresses nor any
// route is visible on the host, and in a mount namespace of its own in
// which the directories pppd writes to (or runs scripts from) are empty
// tmpfs: /etc/ppp (options, ip-up scripts that would rewrite
// /etc/resolv.conf, and the resolv.conf that usepeerdns writes) and /run
// (pppd's pid files and database, which would clobber a real ppp0's).
//
// Namespaces are per thread on Linux and a Go program is multithreaded,
// so Isolation does not use unshare(1): Run locks a goroutine to a thread,
// moves only that thread, and starts processes from it, which inherit the
// thread's namespaces. The thread is never unlocked, so the Go runtime
// ends it when the goroutine returns, and the namespaces go with it once
// the processes started from it have exited.
type Isolation struct {
	// Private are the directories hidden behind an empty tmpfs; those
	// that do not exist are skipped, symlinks are followed.
	Private []string
}

// DefaultIsolation hides what pppd touches on a Debian-like host.
func DefaultIsolation() Isolation {
	return Isolation{Private: []string{"/etc/ppp", "/run", "/var/run"}}
}

// Run calls fn on a thread in fresh network and mount namespaces and
// returns its error. Processes fn starts must have exited when fn
// returns: a child's parent-death signal fires when this thread ends.
func (iso Isolation) Run(ctx context.Context, fn func(context.Context) error) error {
	errc := make(chan error, 1)
	go iso.onOwnThread(ctx, fn, errc)
	return <-errc
}

// onOwnThread locks the goroutine to its thread for good (see Isolation)
// and runs fn there in new namespaces, sending the result on errc.
func (iso Isolation) onOwnThread(ctx context.Context, fn func(context.Context) error, errc chan<- error) {
	runtime.LockOSThread()
	if unix.Gettid() == unix.Getpid() {
		// The main thread: the runtime never ends it, only parks it, so
		// it would stay in the namespaces (and /proc/PID/ns would show
		// them). Keep it locked here, hence busy, while another goroutine
		// runs fn: that one cannot land on it.
		done := make(chan struct{})
		go func() {
			defer close(done)
			iso.onOwnThread(ctx, fn, errc)
		}()
		<-done
		runtime.UnlockOSThread()
		return
	}
	if err := iso.enter(); err != nil {
		errc <- err
		return
	}
	errc <- fn(ctx)
}

// Probe reports whether Run can work here.
func (iso Isolation) Probe() error {
	return iso.Run(context.Background(), func(context.Context) error { return nil })
}

// enter moves the calling (locked) thread into new namespaces.
func (iso Isolation) enter() error {
	if err := unix.Unshare(unix.CLONE_NEWNET | unix.CLONE_NEWNS); err != nil {
		return fmt.Errorf("unshare: %w", err)
	}
	// The new mount namespace shares propagation with the host's (systemd
	// makes / shared): without this the tmpfs below would appear there.
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making mounts private: %w", err)
	}
	seen := map[string]bool{}
	for _, d := range iso.Private {
		real, err := filepath.EvalSymlinks(d)
		if err != nil || seen[real] {
			continue // nothing there to hide, or hidden already (/var/run → /run)
		}
		seen[real] = true
		if fi, err := os.Stat(real); err != nil || !fi.IsDir() {
			continue
		}
		if err := unix.Mount("zdial-demo", real, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "mode=0755,size=1m"); err != nil {
			return fmt.Errorf("hiding %s: %w", real, err)
		}
	}
	return nil
}

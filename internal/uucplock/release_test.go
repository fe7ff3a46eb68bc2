package uucplock

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

func TestReleaseRemovesOnlyOurLock(t *testing.T) {
	other := liveProcess(t)
	for _, tc := range []struct {
		name    string
		replace func(t *testing.T, path string)
	}{
		{"another process's lock", func(t *testing.T, path string) {
			os.Remove(path)
			os.WriteFile(path, fmt.Appendf(nil, "%10d\n", other), 0o644)
		}},
		{"a new file with our PID", func(t *testing.T, path string) {
			os.Remove(path)
			os.WriteFile(path, fmt.Appendf(nil, "%10d\n", os.Getpid()), 0o644)
		}},
		{"a FIFO", func(t *testing.T, path string) {
			os.Remove(path)
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Dir{Path: t.TempDir()}
			l, err := d.Acquire("/dev/ttyUSB0")
			if err != nil {
				t.Fatal(err)
			}
			path := l.Path()
			tc.replace(t, path)
			before, err := os.Lstat(path)
			if err != nil {
				t.Fatal(err)
			}
			promptly(t, "Release", func() { err = l.Release() })
			if err != nil {
				t.Errorf("Release: %v", err)
			}
			if after, err := os.Lstat(path); err != nil || !os.SameFile(before, after) {
				t.Errorf("Release removed %s, which was no longer its lock", tc.name)
			}
		})
	}
}

func TestLockFileIsReadableWhateverTheUmask(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	d := Dir{Path: t.TempDir()}
	l, err := d.Acquire("/dev/ttyUSB0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if fi, err := os.Lstat(l.Path()); err != nil || fi.Mode() != 0o644 {
		t.Errorf("lock file mode %v, %v; want -rw-r--r--", fi.Mode(), err)
	}
}

// Temporary files are private to Acquire: none is left, won or lost.
func TestAcquireLeavesNoTemporaryFiles(t *testing.T) {
	d := Dir{Path: t.TempDir()}
	holder := liveProcess(t)
	l, err := acquireAs(d, "ttyUSB0", holder)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Acquire("ttyUSB0"); !errors.Is(err, ErrBusy) {
		t.Errorf("second Acquire: %v, want busy", err)
	}
	os.WriteFile(filepath.Join(d.Path, "LCK..ttyUSB1"), []byte("garbage"), 0o644)
	if l2, err := d.Acquire("ttyUSB1"); err != nil {
		t.Errorf("Acquire over garbage: %v", err)
	} else {
		l2.Release()
	}
	l.Release()
	if names, _ := os.ReadDir(d.Path); len(names) != 0 {
		t.Errorf("left in the lock directory: %v", names)
	}
}

// While another process holds the lock directory's flock, a stale lock is
// not taken over, and the wait ends with ctx; a free lock is still taken.
func TestTakeoverWaitEndsWithContext(t *testing.T) {
	d := Dir{Path: t.TempDir()}
	fd, err := unix.Open(d.Path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if err := unix.Flock(fd, unix.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	stale := fmt.Appendf(nil, "%10d\n", deadPID(t))
	path := filepath.Join(d.Path, "LCK..ttyUSB0")
	os.WriteFile(path, stale, 0o644)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var l *Lock
	promptly(t, "Acquire", func() { l, err = d.AcquireContext(ctx, "ttyUSB0") })
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), d.Path) {
		t.Errorf("Acquire while the directory is flocked: %v, %v; want busy, the context's error, naming %s", l, err, d.Path)
	}
	if _, err := d.Acquire("ttyUSB0"); !errors.Is(err, ErrBusy) {
		t.Errorf("Acquire (no wait) while the directory is flocked: %v, want busy", err)
	}
	if b, _ := os.ReadFile(path); string(b) != string(stale) {
		t.Errorf("the stale lock changed to %q", b)
	}
	l, err = d.AcquireContext(ctx, "ttyUSB1")
	if err != nil {
		t.Errorf("Acquire of a free device while the directory is flocked: %v", err)
	}
	l.Release()
}

// A holder's command name is the process's own choice: only printable
// ASCII of it reaches a message.
func TestHolderNameIsPrintable(t *testing.T) {
	proc := t.TempDir()
	pid := liveProcess(t)
	os.MkdirAll(filepath.Join(proc, itoa(pid)), 0o755)
	os.WriteFile(filepath.Join(proc, itoa(pid), "comm"), []byte("\x1b[2Jevil\x07\n"), 0o644)
	d := Dir{Path: t.TempDir(), ProcRoot: proc}
	if _, err := acquireAs(d, "ttyUSB0", pid); err != nil {
		t.Fatal(err)
	}
	h, err := d.Holder("ttyUSB0")
	if err != nil || h == nil || h.Name != "?[2Jevil?" {
		t.Errorf("Holder = %+v, %v; want the name ?[2Jevil?", h, err)
	}
}

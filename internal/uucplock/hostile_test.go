package uucplock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// secret stands for the content of a root-only file: nothing zdial prints
// may ever contain it.
const secret = "root:$6$NEVER-SHOWN$"

// TestWhatSitsAtTheLockPath puts each thing another user can leave in a
// shared lock directory at LCK..ttyUSB2 and checks that the holder lookup and
// Acquire reach the same verdict by the same rule, promptly, without following
// a link, reading more than a lock's worth, or showing what the file holds.
func TestWhatSitsAtTheLockPath(t *testing.T) {
	live := liveProcess(t)
	dead := deadPID(t)
	secretFile := filepath.Join(t.TempDir(), "shadow")
	if err := os.WriteFile(secretFile, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	livePIDFile := filepath.Join(t.TempDir(), "pid")
	if err := os.WriteFile(livePIDFile, fmt.Appendf(nil, "%10d\n", live), 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(b []byte) func(*testing.T, string) {
		return func(t *testing.T, p string) {
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	symlink := func(target string) func(*testing.T, string) {
		return func(t *testing.T, p string) {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tc := range []struct {
		name  string
		setup func(*testing.T, string)
		held  bool  // a live process holds the port
		err   error // neither free nor held: the lookup and Acquire fail with this
	}{
		{"HDB lock of a live process", write(fmt.Appendf(nil, "%10d\n", live)), true, nil},
		{"HDB lock of a dead process", write(fmt.Appendf(nil, "%10d\n", dead)), false, nil},
		{"minicom lock of a live process", write(fmt.Appendf(nil, "%10d minicom alice\n", live)), true, nil},
		{"binary lock of a live process", write([]byte{byte(live), byte(live >> 8), byte(live >> 16), 0}), true, nil},
		{"garbage", write([]byte(secret + "\n")), false, nil},
		{"empty file", write(nil), false, nil},
		{"PID followed by garbage", write(fmt.Appendf(nil, "%d%s", live, secret)), false, nil},
		{"PID beyond pid_max", write([]byte("4294967295\n")), false, nil},
		{"huge file", write([]byte(strings.Repeat(secret, 1<<16))), false, nil},
		{"huge file starting with a live PID", write(fmt.Appendf(nil, "%10d\n%s", live, strings.Repeat(secret, 1<<16))), false, nil},
		{"FIFO", func(t *testing.T, p string) {
			if err := syscall.Mkfifo(p, 0o666); err != nil {
				t.Fatal(err)
			}
			// Should a regression block in open(2), a writer releases it.
			t.Cleanup(func() {
				if fd, err := syscall.Open(p, syscall.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					syscall.Close(fd)
				}
			})
		}, false, nil},
		{"symlink to the zero device", symlink("/dev/zero"), false, nil},
		{"symlink to a root-only file", symlink(secretFile), false, nil},
		{"symlink to a lock of a live process", symlink(livePIDFile), false, nil},
		{"dangling symlink", symlink("/nonexistent/LCK..ttyUSB2"), false, nil},
		{"directory", func(t *testing.T, p string) {
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(p, "keep"), []byte(secret), 0o644); err != nil {
				t.Fatal(err)
			}
		}, false, ErrNotLock},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Dir{Path: t.TempDir()}
			path := filepath.Join(d.Path, "LCK..ttyUSB2")
			tc.setup(t, path)
			noSecret := func(what string, err error) {
				t.Helper()
				if err != nil && strings.Contains(err.Error(), "NEVER-SHOWN") {
					t.Errorf("%s shows the file's content: %v", what, err)
				}
			}

			var pidErr error
			promptly(t, "ReadPID", func() { _, pidErr = readPID(path) })
			noSecret("ReadPID", pidErr)

			var h *BusyError
			var herr error
			promptly(t, "the holder lookup", func() { h, herr = holderOf(d, "/dev/ttyUSB2") })
			noSecret("the holder lookup", herr)
			switch {
			case tc.err != nil:
				if !errors.Is(herr, tc.err) {
					t.Errorf("holder lookup: %v, %v; want error %v", h, herr, tc.err)
				}
			case herr != nil:
				t.Errorf("holder lookup: %v", herr)
			case tc.held && (h == nil || h.PID != live):
				t.Errorf("holder lookup: %v, want PID %d", h, live)
			case !tc.held && h != nil:
				t.Errorf("holder lookup: %v, want none (the lock is stale)", h)
			}

			var l *Lock
			var err error
			promptly(t, "Acquire", func() { l, err = acquireAs(d, "/dev/ttyUSB2", os.Getpid()) })
			noSecret("Acquire", err)
			switch {
			case tc.err != nil:
				if !errors.Is(err, tc.err) {
					t.Fatalf("Acquire: %v; want error %v", err, tc.err)
				}
				if msg := err.Error(); strings.Count(msg, path) != 1 || !strings.Contains(msg, "remove") {
					t.Errorf("Acquire's error %q should name %s once and say to remove it", msg, path)
				}
				if _, serr := os.Stat(filepath.Join(path, "keep")); serr != nil {
					t.Errorf("Acquire removed what was at the lock path: %v", serr)
				}
				return
			case tc.held:
				var busy *BusyError
				if !errors.As(err, &busy) || busy.PID != live {
					t.Fatalf("Acquire: %v, want busy with PID %d", err, live)
				}
				return
			case err != nil:
				t.Fatalf("Acquire over a stale lock: %v", err)
			}
			defer l.Release()
			fi, err := os.Lstat(path)
			if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o644 {
				t.Fatalf("after Acquire the lock path is %v, %v: want a 0644 regular file", fi, err)
			}
			b, err := os.ReadFile(path)
			if err != nil || string(b) != fmt.Sprintf("%10d\n", os.Getpid()) {
				t.Errorf("lock holds %q, %v; want our PID in HDB format", b, err)
			}
			// Removing a link removes the link, never its target.
			if b, err := os.ReadFile(secretFile); err != nil || string(b) != secret+"\n" {
				t.Errorf("the symlink's target changed: %q, %v", b, err)
			}
			if b, err := os.ReadFile(livePIDFile); err != nil || len(b) != 11 {
				t.Errorf("the symlink's target changed: %q, %v", b, err)
			}
		})
	}
}

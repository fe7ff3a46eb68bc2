package uucplock

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

func TestAcquireWritesHDBFormat(t *testing.T) {
	d := Dir{Path: t.TempDir()}
	l, err := d.Acquire("/dev/ttyUSB0")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(d.Path, "LCK..ttyUSB0"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 11 || b[10] != '\n' {
		t.Errorf("lock content %q: want 10 columns and a newline", b)
	}
	if pid, _ := parsePID(b); pid != os.Getpid() {
		t.Errorf("lock PID = %d, want %d", pid, os.Getpid())
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(l.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file still there after Release: %v", err)
	}
	if err := l.Release(); err != nil {
		t.Errorf("second Release: %v", err)
	}
}

func TestLiveHolderIsBusy(t *testing.T) {
	dir := t.TempDir()
	proc := t.TempDir()
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Skip("no sleep binary:", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	pid := cmd.Process.Pid
	os.MkdirAll(filepath.Join(proc, itoa(pid)), 0o755)
	os.WriteFile(filepath.Join(proc, itoa(pid), "comm"), []byte("minicom\n"), 0o644)

	d := Dir{Path: dir, ProcRoot: proc}
	if _, err := acquireAs(d, "ttyUSB2", pid); err != nil {
		t.Fatal(err)
	}
	_, err := d.Acquire("/dev/ttyUSB2")
	var busy *BusyError
	if !errors.As(err, &busy) || !errors.Is(err, ErrBusy) {
		t.Fatalf("Acquire over a live lock: err = %v, want *BusyError", err)
	}
	if busy.PID != pid || busy.Name != "minicom" {
		t.Errorf("holder = %d %q, want %d minicom", busy.PID, busy.Name, pid)
	}
	if h, err := d.Holder("/dev/ttyUSB2"); err != nil || h == nil || h.PID != pid {
		t.Errorf("Holder = %v, %v; want PID %d", h, err, pid)
	}
}

func TestStaleLockIsTakenOver(t *testing.T) {
	dir := t.TempDir()
	// A PID that cannot be running: a finished child.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("no true binary:", err)
	}
	dead := cmd.Process.Pid
	for _, content := range []string{
		pad(dead),
		"garbage\n",
	} {
		path := filepath.Join(dir, "LCK..ttyUSB1")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		d := Dir{Path: dir}
		if h, err := d.Holder("ttyUSB1"); h != nil || err != nil {
			t.Errorf("Holder of stale lock %q = %v, %v; want none", content, h, err)
		}
		l, err := d.Acquire("ttyUSB1")
		if err != nil {
			t.Fatalf("Acquire over stale lock %q: %v", content, err)
		}
		if pid, _ := readPID(path); pid != os.Getpid() {
			t.Errorf("after take-over lock holds %d", pid)
		}
		l.Release()
	}
}

// A lock with our own PID was left by an earlier process that had it (pppd
// takes such a lock too): Acquire takes it over.
func TestLockWithOurPIDIsTakenOver(t *testing.T) {
	d := Dir{Path: t.TempDir()}
	path := filepath.Join(d.Path, "LCK..ttyUSB0")
	os.WriteFile(path, []byte(pad(os.Getpid())), 0o644)
	before, _ := os.Lstat(path)
	l, err := d.Acquire("ttyUSB0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if after, err := os.Lstat(path); err != nil || os.SameFile(before, after) {
		t.Errorf("the old lock is still in place: %v", err)
	}
}

func TestParsePID(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"      4711\n", 4711, true},
		{"4711", 4711, true},
		{"\x67\x12\x00\x00", 0x1267, true},
		{"", 0, false},
		{"-3\n", 0, false},
		{"abc\n", 0, false},
		{"      4711 minicom alice\n", 4711, true},
		{"\t4711\t", 4711, true},
		{"0000004711\n", 4711, true},
		{"00000004711\n", 0, false}, // eleven digits
		{"4711x\n", 0, false},
		{"4194304\n", 4194304, true},
		{"4194305\n", 0, false}, // beyond PID_MAX_LIMIT
		{"0\n", 0, false},
		{"\x00\x00\x00\x00", 0, false},
		{"\x01\x00\x40\x00", 0, false}, // binary, beyond PID_MAX_LIMIT
	} {
		got, err := parsePID([]byte(tc.in))
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parsePID(%q) = %d, %v; want %d ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestPermissionErrorSaysHow(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can write anywhere")
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o555)
	_, err := Dir{Path: dir}.Acquire("ttyUSB0")
	if err == nil || !errors.Is(err, os.ErrPermission) {
		t.Fatalf("err = %v, want permission error", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
func pad(n int) string  { return fmt.Sprintf("%10d\n", n) }

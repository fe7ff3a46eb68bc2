package uucplock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

func FuzzParsePID(f *testing.F) {
	for _, s := range []string{"      4711\n", "4711", "0000004711\n", "      4711 minicom alice\n",
		"\x67\x12\x00\x00", "", "-3\n", "abc\n", "4194305\n", "99999999999\n", "\t17\t"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		pid, err := parsePID(b)
		checkParsed(t, b, pid, err)
	})
}

// checkParsed holds parsePID to its contract: a PID in range that the input
// spells (in ASCII or as a binary int), or one of two fixed errors.
func checkParsed(t *testing.T, b []byte, pid int, err error) {
	t.Helper()
	if err != nil {
		if pid != 0 || (err != errNoPID && err != errEmpty) {
			t.Fatalf("parsePID(%q) = %d, %v", b, pid, err)
		}
		return
	}
	if pid < 1 || pid > maxPID {
		t.Fatalf("parsePID(%q) = %d, out of range", b, pid)
	}
	if p, ok := asciiPID(b); ok {
		i := 0
		for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
			i++
		}
		j := i
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		if n, err := strconv.Atoi(string(b[i:j])); err != nil || n != p || p != pid || j-i > 10 {
			t.Fatalf("parsePID(%q) = %d; the digits say %d, %v", b, pid, n, err)
		}
		return
	}
	if len(b) != 4 || b[3] != 0 || int(b[0])|int(b[1])<<8|int(b[2])<<16 != pid {
		t.Fatalf("parsePID(%q) = %d, neither ASCII nor a binary PID", b, pid)
	}
}

// FuzzReadPID writes each input as a lock file, or puts a symlink or a FIFO
// in its place, and reads it as the lookup and Acquire do: prompt, bounded,
// never following the link, agreeing with parsePID, and with errors that are
// fixed text about the path, never the content.
func FuzzReadPID(f *testing.F) {
	for _, s := range []string{"      4711\n", "\x67\x12\x00\x00", "garbage", ""} {
		for kind := range byte(3) {
			f.Add([]byte(s), kind)
		}
	}
	f.Add(make([]byte, maxLockSize), byte(0))
	f.Add(make([]byte, maxLockSize+1), byte(0))
	dir := f.TempDir()
	target := filepath.Join(dir, "target")
	path := filepath.Join(dir, "LCK..ttyUSB0")
	f.Fuzz(func(t *testing.T, content []byte, kind byte) {
		os.Remove(path)
		if err := os.WriteFile(target, content, 0o644); err != nil {
			t.Fatal(err)
		}
		var err error
		switch kind % 3 {
		case 0:
			err = os.WriteFile(path, content, 0o644)
		case 1:
			err = os.Symlink(target, path)
		case 2:
			err = syscall.Mkfifo(path, 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
		pid, err := readPID(path)
		st, ierr := inspect(path)
		if ierr != nil {
			t.Fatalf("inspect: %v", ierr)
		}
		var notLock *NotLockError
		if err != nil && (!errors.As(err, &notLock) || err.Error() != fmt.Sprintf("uucplock: %s %s, not a lock file: remove it", path, notLock.Reason)) {
			t.Fatalf("ReadPID: %v: not a fixed *NotLockError", err)
		}
		want := map[byte]string{1: "is a symbolic link", 2: "is a FIFO"}[kind%3]
		if kind%3 == 0 && len(content) > maxLockSize {
			want = fmt.Sprintf("is larger than %d bytes", maxLockSize)
		}
		switch {
		case want != "":
			if notLock == nil || notLock.Reason != want || st.verdict != stale {
				t.Fatalf("ReadPID = %d, %v; inspect %v; want %q, stale", pid, err, st.verdict, want)
			}
		default:
			ppid, perr := parsePID(content)
			checkParsed(t, content, ppid, perr)
			if ppid != pid || (perr == nil) != (err == nil) || (perr != nil && notLock.Reason != perr.Error()) {
				t.Fatalf("ReadPID = %d, %v; parsePID = %d, %v", pid, err, ppid, perr)
			}
			if wantHeld := perr == nil && alive(ppid); (st.verdict == held) != wantHeld || (wantHeld && st.pid != ppid) {
				t.Fatalf("inspect = %+v; parsePID = %d, %v", st, ppid, perr)
			}
		}
	})
}

package modemsim

import (
	"context"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// openClient opens the pty slave as a dialer would, with a deadline as
// the watchdog: a broken simulator fails the test instead of hanging it.
func openClient(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if err := f.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatalf("no deadline on a pty: %v", err)
	}
	return f
}

// readUntil reads f until the text read ends with want.
func readUntil(t *testing.T, f *os.File, want string) string {
	t.Helper()
	var got []byte
	buf := make([]byte, 256)
	for !strings.HasSuffix(string(got), want) {
		n, err := f.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			t.Fatalf("read: %v; have %q, want …%q", err, got, want)
		}
	}
	return string(got)
}

func TestPTYRaw(t *testing.T) {
	pt, err := OpenPTY(t.Context(), noURCs(t, "zte-mf622"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pt.Close() })
	if !strings.HasPrefix(pt.Path, "/dev/pts/") {
		t.Errorf("Path = %q", pt.Path)
	}
	f := openClient(t, pt.Path)
	// A cooked slave would turn the reply's CR into LF (ICRNL) and echo it
	// back to the simulator (ECHO); raw, the bytes are exactly the modem's.
	if _, err := f.Write([]byte("AT+CSQ\r")); err != nil {
		t.Fatal(err)
	}
	if got, want := readUntil(t, f, "OK\r\n"), "AT+CSQ\r\r\n+CSQ: 17,99\r\n\r\nOK\r\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := pt.Sim.Received(); len(got) != 1 || got[0] != "AT+CSQ" {
		t.Errorf("Received() = %q (a cooked slave echoes the reply back)", got)
	}
	// A second client after the first has closed (probe, then dial).
	f.Close()
	g := openClient(t, pt.Path)
	g.Write([]byte("ATE0\r"))
	if got, want := readUntil(t, g, "OK\r\n"), "ATE0\r\r\nOK\r\n"; got != want {
		t.Errorf("second client: got %q, want %q", got, want)
	}
}

func TestPTYCloseAndLeaks(t *testing.T) {
	before := simGoroutines()
	for range 3 {
		pt, err := OpenPTY(t.Context(), mustBuiltin(t, "huawei-e1750"))
		if err != nil {
			t.Fatal(err)
		}
		f := openClient(t, pt.Path)
		f.Write([]byte("AT\r"))
		readUntil(t, f, "OK\r\n")
		if err := pt.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if err := pt.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		// The device is gone: the client sees a hang-up, not a hang.
		if _, err := f.Read(make([]byte, 64)); err == nil {
			// leftover bytes may come first; the next read must fail
			if _, err := f.Read(make([]byte, 64)); err == nil {
				t.Error("read after Close succeeded twice")
			}
		}
	}
	waitGoroutines(t, before)
}

func TestPTYContextCancel(t *testing.T) {
	before := simGoroutines()
	ctx, cancel := context.WithCancel(t.Context())
	pt, err := OpenPTY(ctx, mustBuiltin(t, "zte-mf622"))
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case <-pt.Sim.Done():
	case <-time.After(10 * time.Second): // watchdog, not a timing assertion
		t.Fatal("Serve did not stop on cancel")
	}
	if err := pt.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	waitGoroutines(t, before)
}

// simGoroutines counts goroutines running simulator code.
func simGoroutines() int {
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	return strings.Count(string(buf[:n]), "modemsim.(*Sim)")
}

// waitGoroutines lets exiting goroutines finish (they have signalled
// Done, but may not have returned yet), then fails if any remain.
func waitGoroutines(t *testing.T, want int) {
	t.Helper()
	for range 1000 {
		if simGoroutines() <= want {
			return
		}
		runtime.Gosched()
	}
	buf := make([]byte, 1<<20)
	t.Errorf("simulator goroutines left:\n%s", buf[:runtime.Stack(buf, true)])
}

// Closing the port drops DTR: the call ends, and the next client finds the
// modem in command mode (what a second dialer run needs).
func TestPTYCloseDropsDTR(t *testing.T) {
	pt, err := OpenPTY(t.Context(), noURCs(t, "zte-mf622"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pt.Close() })
	f := openClient(t, pt.Path)
	f.Write([]byte("ATE0D*99#\r"))
	readUntil(t, f, "CONNECT 7200000\r\n")
	if !pt.Sim.InCall() {
		t.Fatal("no call after CONNECT")
	}
	f.Close()
	deadline := time.Now().Add(10 * time.Second) // watchdog
	for pt.Sim.InCall() {
		if time.Now().After(deadline) {
			t.Fatal("still in a call after the port was closed")
		}
		runtime.Gosched()
	}
	g := openClient(t, pt.Path)
	g.Write([]byte("AT\r"))
	if got, want := readUntil(t, g, "OK\r\n"), "\r\nOK\r\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

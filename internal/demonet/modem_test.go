package demonet

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/zdial/zdial/internal/modemsim"
)

// TestModemLine dials the modem on its Port end, then checks that bytes
// pass both ways between Port and Net (raw: CR, LF, 0x7e, 0xff), and that
// Close ends every goroutine of the line.
func TestModemLine(t *testing.T) {
	p, err := modemsim.Builtin("zte-mf622")
	if err != nil {
		t.Fatal(err)
	}
	line, err := OpenModem(t.Context(), p, modemsim.WithGuardTime(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			line.Close()
		}
	})
	port, net := openEnd(t, line.Port), openEnd(t, line.Net)

	mustWrite(t, port, []byte("ATD*99#\r"))
	readUntil(t, port, []byte("\r\nCONNECT 7200000\r\n"))
	if got := line.sim.Received(); !slices.Equal(got, []string{"ATD*99#"}) {
		t.Errorf("modem received %q, want the dial", got)
	}

	frame := []byte{0x7e, 0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, '\r', '\n', 0x00, 0x7e}
	mustWrite(t, port, frame)
	readUntil(t, net, frame)
	reply := append([]byte("network→zdial "), 0x7e, 0x7d, 0x23, '\r', 0x7e)
	mustWrite(t, net, reply)
	readUntil(t, port, reply)

	done := make(chan error, 1)
	go func() { done <- line.Close() }()
	select {
	case err := <-done:
		closed = true
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return")
	}
	if err := line.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	// Close waited for them: none of the line's goroutines may be left.
	buf := make([]byte, 1<<20)
	stacks := buf[:runtime.Stack(buf, true)]
	for _, fn := range []string{"(*Modem)", "modemsim.(*Sim)"} {
		if bytes.Contains(stacks, []byte(fn)) {
			t.Errorf("a goroutine of %s is left after Close:\n%s", fn, stacks)
		}
	}
	// The modem is gone: its port reads a hang-up, not silence.
	port.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := port.Read(make([]byte, 64)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("read on the port after Close: %v, want a hang-up", err)
	}
}

// TestServeModemDTR puts the modem on a line the caller brings (as the
// lab's firmware brings its USB function) and drives DTR as the host's
// driver does: low until the port is opened; dropped during a call, it
// ends the call at once and the modem answers AT without any escape. The
// network's end, at the link, hears the call announced; when the call
// ends it is hung up and a new end takes the link for the next call.
func TestServeModemDTR(t *testing.T) {
	p, err := modemsim.Builtin("zte-mf622")
	if err != nil {
		t.Fatal(err)
	}
	host, dongle := net.Pipe()
	t.Cleanup(func() { host.Close() })
	link := filepath.Join(t.TempDir(), "modem-net")
	m, err := ServeModem(t.Context(), p, dongle, link)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if m.Port != "" || m.Net != link {
		t.Errorf("Port %q, Net %q: want no port (the caller brought the line) and the link", m.Port, m.Net)
	}
	first := openEnd(t, link)

	m.SetDTR(true) // the host opened the port
	mustWrite(t, host, []byte("ATE0\r"))
	readUntil(t, host, []byte("\r\nOK\r\n"))
	mustWrite(t, host, []byte("ATD*99#\r"))
	readUntil(t, host, []byte("\r\nCONNECT 7200000\r\n"))
	readUntil(t, first, []byte("\r\nCONNECT\r\n")) // the network hears the call first
	mustWrite(t, host, []byte{0x7e, 0xff, 0x7e})
	readUntil(t, first, []byte{0x7e, 0xff, 0x7e})
	mustWrite(t, first, []byte{0x7e, 0x02, 0x7e})
	readUntil(t, host, []byte{0x7e, 0x02, 0x7e})

	m.SetDTR(false)
	if m.sim.InCall() {
		t.Fatal("still in a call after DTR dropped")
	}
	// The call's network end is hung up: it reads EOF or EIO, not silence.
	first.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 64)
	for {
		_, err := first.Read(buf)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatal("the ended call's network end was not hung up")
		}
		if err != nil {
			break
		}
	}
	m.SetDTR(true)
	mustWrite(t, host, []byte("AT\r"))
	readUntil(t, host, []byte("\r\nOK\r\n"))
	if got := m.sim.Received(); !slices.Equal(got, []string{"ATE0", "ATD*99#", "AT"}) {
		t.Errorf("modem received %q; want no escape, no ATH", got)
	}

	second := openEnd(t, link) // the link names a new end
	mustWrite(t, host, []byte("ATD*99#\r"))
	readUntil(t, host, []byte("\r\nCONNECT 7200000\r\n"))
	readUntil(t, second, []byte("\r\nCONNECT\r\n"))

	if err := m.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := os.Lstat(link); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the link outlived Close: %v", err)
	}
}

// openEnd opens a pty end as a dialer would, non-blocking so that reads
// take deadlines.
func openEnd(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// end is one end of the modem's lines: a pty (*os.File) or a net.Pipe.
type end interface {
	io.ReadWriter
	SetReadDeadline(time.Time) error
}

func mustWrite(t *testing.T, f end, b []byte) {
	t.Helper()
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
}

// readUntil reads f until want has arrived; the deadline is a watchdog.
func readUntil(t *testing.T, f end, want []byte) {
	t.Helper()
	f.SetReadDeadline(time.Now().Add(10 * time.Second))
	defer f.SetReadDeadline(time.Time{})
	var got []byte
	buf := make([]byte, 512)
	for !bytes.Contains(got, want) {
		n, err := f.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			t.Fatalf("reading: %v; got %q, want %q", err, got, want)
		}
	}
}

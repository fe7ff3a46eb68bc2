package at

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// These tests write exact wire bytes into a net.Pipe peer, for what the
// simulator does not express: the "> " prompt, PPP bytes in the same read
// as CONNECT, and a serial port's (0, nil) read timeouts. Everything else
// is tested against internal/modemsim (modem_test.go).

// wire is the modem side of a net.Pipe, driven by the test.
type wire struct {
	t *testing.T
	c net.Conn
}

// expect reads exactly len(want) bytes and compares.
func (w *wire) expect(want string) {
	w.t.Helper()
	got := make([]byte, len(want))
	if _, err := io.ReadFull(w.c, got); err != nil {
		w.t.Fatalf("peer read: %v", err)
	}
	if string(got) != want {
		w.t.Fatalf("peer got %q, want %q", got, want)
	}
}

func (w *wire) send(s string) {
	w.t.Helper()
	if _, err := w.c.Write([]byte(s)); err != nil {
		w.t.Fatalf("peer write: %v", err)
	}
}

func newWire(t *testing.T, opts ...Option) (*Modem, *wire) {
	client, peer := net.Pipe()
	m := New(client, opts...)
	t.Cleanup(func() { m.Close(); peer.Close() })
	return m, &wire{t: t, c: peer}
}

func TestPromptAndBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr bytes.Buffer
		m, w := newWire(t, WithTrace(&tr))
		go func() {
			w.expect("AT+CMGS=\"+447700900123\"\r")
			w.send("\r\n> ")
			w.expect("hello\x1a")
			w.send("\r\n+CMGS: 5\r\n\r\nOK\r\n")
		}()
		info, err := m.Command(t.Context(), `+CMGS="+447700900123"`, withBody("hello"))
		if err != nil || len(info) != 1 || info[0] != "+CMGS: 5" {
			t.Fatalf("got %q, %v", info, err)
		}
		if !strings.Contains(tr.String(), " < > \n") {
			t.Errorf("prompt not in transcript:\n%s", tr.String())
		}
	})
}

func TestDialKeepsBytesAfterConnectAndStopsReading(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		client, peer := net.Pipe()
		m := New(client)
		w := &wire{t: t, c: peer}
		go func() {
			w.expect("ATD*99#\r")
			w.send("\r\nCONNECT 3600000\r\n~\xff\x7d\x23") // PPP starts in the same write
		}()
		rate, err := m.Dial(t.Context(), "D*99#")
		if err != nil || rate != "3600000" {
			t.Fatalf("Dial: %q, %v", rate, err)
		}
		if got := m.Leftover(); string(got) != "~\xff\x7d\x23" {
			t.Errorf("Leftover = %q", got)
		}
		<-m.Done()
		if !errors.Is(m.Err(), ErrDataMode) {
			t.Errorf("Err = %v", m.Err())
		}
		if _, err := m.Command(t.Context(), ""); !errors.Is(err, ErrDataMode) {
			t.Errorf("command in data mode: %v", err)
		}
		// The engine no longer reads: a write from the peer stays pending
		// until the new owner of the line (pppd, here the test) reads it.
		wrote := make(chan struct{})
		go func() { w.send("~more"); close(wrote) }()
		synctest.Wait()
		select {
		case <-wrote:
			t.Fatal("engine read after CONNECT")
		default:
		}
		if err := m.Release(); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 5)
		if _, err := io.ReadFull(client, buf); err != nil || string(buf) != "~more" {
			t.Fatalf("line not usable after Release: %q, %v", buf, err)
		}
		<-wrote
		client.Close()
		peer.Close()
	})
}

func TestDialFailures(t *testing.T) {
	for final, want := range map[string]error{
		"NO CARRIER": ErrNoCarrier, "BUSY": ErrBusy, "NO ANSWER": ErrNoAnswer,
		"NO DIALTONE": ErrNoDialtone, "ERROR": ErrError, "+CME ERROR: 30": ErrNoNetworkService,
	} {
		synctest.Test(t, func(t *testing.T) {
			m, w := newWire(t)
			go func() {
				w.expect("ATD*99#\r")
				w.send("\r\n" + final + "\r\n")
			}()
			_, err := m.Dial(t.Context(), "ATD*99#")
			var ce *CommandError
			if !errors.Is(err, want) || !errors.As(err, &ce) || ce.Cmd != "ATD*99#" {
				t.Errorf("%s: %v, want %v", final, err, want)
			}
		})
	}
}

// timeoutReader returns (0, nil) before every real read, as go.bug.st/serial
// does when its read timeout passes without data.
type timeoutReader struct {
	net.Conn
	empty int
}

func (r *timeoutReader) Read(p []byte) (int, error) {
	r.empty++
	if r.empty%2 == 1 {
		time.Sleep(100 * time.Millisecond) // the port's read timeout
		return 0, nil
	}
	return r.Conn.Read(p)
}

func TestZeroReadIsNotEOF(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		client, peer := net.Pipe()
		m := New(&timeoutReader{Conn: client})
		defer m.Close()
		defer peer.Close()
		w := &wire{t: t, c: peer}
		go func() {
			w.expect("AT\r")
			time.Sleep(time.Second) // ten empty reads go by
			w.send("\r\nOK\r\n")
		}()
		if _, err := m.Command(t.Context(), ""); err != nil {
			t.Fatalf("empty reads ended the command: %v", err)
		}
		if m.Err() != nil {
			t.Fatalf("empty reads stopped the reader: %v", m.Err())
		}
	})
}

// Noise inside a response is taken out of the line; it is neither an error
// nor a reason to wait, and the next command is in step.
func TestNoiseInsideAResponseIsStripped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr bytes.Buffer
		m, w := newWire(t, WithTrace(&tr))
		go func() {
			w.expect("AT+CSQ\r")
			w.send("\r\n+CSQ: 1\x00\x01,99\r\n\r\nOK\r\n")
			w.expect("AT+CSQ\r")
			w.send("\r\n+CSQ: 17,99\r\n\r\nOK\r\n")
		}()
		if info, err := m.Command(t.Context(), "+CSQ"); err != nil || len(info) != 1 || info[0] != "+CSQ: 1,99" {
			t.Fatalf("got %q, %v; want the line without its noise", info, err)
		}
		if !strings.Contains(tr.String(), `# noise: 2 bytes "\x00\x01"`) {
			t.Errorf("noise not shown:\n%s", tr.String())
		}
		if info, err := m.Command(t.Context(), "+CSQ"); err != nil || info[0] != "+CSQ: 17,99" {
			t.Fatalf("next command: %q, %v", info, err)
		}
	})
}

func TestCloseUnblocksACommand(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, w := newWire(t)
		go func() { w.expect("AT\r") }()
		errc := make(chan error)
		go func() {
			_, err := m.Command(context.Background(), "")
			errc <- err
		}()
		synctest.Wait()
		m.Close()
		if err := <-errc; !errors.Is(err, ErrClosed) {
			t.Fatalf("got %v, want ErrClosed", err)
		}
		if err := m.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
	})
}

func TestCommandWithCRIsRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, _ := newWire(t)
		if _, err := m.Command(t.Context(), "+CSQ\rATD123"); err == nil || !strings.Contains(err.Error(), "CR or LF") {
			t.Fatalf("got %v", err)
		}
	})
}

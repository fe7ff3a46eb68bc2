package at

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zdial/zdial/internal/modemsim"
)

// noisyZTE is the MF622 with junk before, inside and after every reply.
func noisyZTE(t *testing.T) modemsim.Persona {
	return persona(t, "zte-mf622", func(p *modemsim.Persona) {
		p.URCs = nil
		p.Faults.Garbage = "\x00\xff\x13"
		p.Faults.NoiseInside = "\x00\x1b"
		p.Faults.NoiseAfter = "\xff~\x00"
	})
}

// TestNoiseFromSimulator is issue 11's line-noise fault end to end: the
// simulator writes junk before, inside and after every reply, and every
// command still ends on its own final result with its own information.
func TestNoiseFromSimulator(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr bytes.Buffer
		p := noisyZTE(t)
		m, sim, _ := dial(t, p, WithTrace(&tr))
		ctx := t.Context()
		start := time.Now()
		id, err := ReadIdentity(ctx, m)
		want := Identity{Manufacturer: p.Identity.Manufacturer, Model: p.Identity.Model, Revision: p.Identity.Revision,
			IMEI: p.Identity.IMEI, IMSI: p.Identity.IMSI, ICCID: p.Identity.ICCID}
		if err != nil || id != want {
			t.Fatalf("ReadIdentity: %+v, %v; want %+v\n%s", id, err, want, tr.String())
		}
		if s, err := ReadSignal(ctx, m); err != nil || s.RSSI != p.Network.RSSI {
			t.Fatalf("ReadSignal: %+v, %v", s, err)
		}
		if _, err := m.Command(ctx, "+NOSUCH"); !errors.Is(err, ErrError) {
			t.Fatalf("an ERROR through the noise: %v", err)
		}
		rate, err := m.Dial(ctx, "D*99#")
		if err != nil || rate != p.Dial.Rate {
			t.Fatalf("Dial: %q, %v\n%s", rate, err, tr.String())
		}
		if d := time.Since(start); d != 0 {
			t.Errorf("noise delayed the commands by %v of fake time", d)
		}
		if !strings.Contains(tr.String(), `# noise: 3 bytes "\x00\xff\x13"`) || !strings.Contains(tr.String(), `# noise: 2 bytes "\x00\x1b"`) {
			t.Errorf("noise not shown in the transcript:\n%s", tr.String())
		}
		if !sim.InCall() {
			t.Error("simulator not in the call")
		}
	})
}

// TestNoiseOverRealPTY is the same over the simulator's pty, as a real
// serial device delivers it. A watchdog bounds it; no sleeps.
func TestNoiseOverRealPTY(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	pty, err := modemsim.OpenPTY(ctx, noisyZTE(t))
	if err != nil {
		t.Skipf("no pty here: %v", err)
	}
	t.Cleanup(func() { pty.Close() })
	f, err := os.OpenFile(pty.Path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	m := New(f)
	t.Cleanup(func() { m.Close() })
	if id, err := ReadIdentity(ctx, m); err != nil || id.Model != "MF622" || id.IMEI == "" {
		t.Fatalf("ReadIdentity over a noisy pty: %+v, %v", id, err)
	}
	if rate, err := m.Dial(ctx, "D*99#"); err != nil || rate != "7200000" {
		t.Fatalf("Dial over a noisy pty: %q, %v", rate, err)
	}
}

// TestPINEchoWithStrayControlByte is issue 9's PIN case: the modem echoes
// AT+CPIN="1234" with a stray control byte, then rejects the PIN. The
// command must end with the modem's verdict, and the PIN must be in no
// error text and no transcript or log line.
func TestPINEchoWithStrayControlByte(t *testing.T) {
	for _, echo := range []string{
		"AT+CPIN=\"1234\"\x13\r",              // XOFF after the echo
		"\x11AT+CPIN=\"1234\"\r",              // XON before it
		"AT+CPIN=\"12\x0034\"\r",              // NUL inside the PIN
		"AT+CPIN=\"1234\"\x1b[K\r",            // an escape sequence
		"\xff~\x00AT+CPIN=\"1234\"\r\x13\r\n", // junk before, XOFF after
	} {
		synctest.Test(t, func(t *testing.T) {
			var tr, logBuf bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			m, w := newWire(t, WithTrace(&tr), WithLogger(log))
			go func() {
				w.expect("AT+CPIN=\"1234\"\r")
				w.send(echo + "\r\n+CME ERROR: 16\r\n")
			}()
			_, err := m.Command(t.Context(), `+CPIN="1234"`)
			var cme *CMEError
			var ce *CommandError
			if !errors.As(err, &cme) || cme.Code != 16 || !errors.Is(err, ErrIncorrectPassword) {
				t.Errorf("echo %q: got %v, want +CME ERROR: 16", echo, err)
			}
			if !errors.As(err, &ce) || ce.Cmd != "AT+CPIN=****" {
				t.Errorf("echo %q: CommandError %+v", echo, ce)
			}
			var pe *ProtocolError
			if errors.As(err, &pe) {
				t.Errorf("echo %q: protocol error %v", echo, pe)
			}
			for what, s := range map[string]string{"error": err.Error(), "transcript": tr.String(), "log": logBuf.String()} {
				if strings.Contains(s, "1234") {
					t.Errorf("echo %q: the PIN is in the %s:\n%s", echo, what, s)
				}
			}
		})
	}
}

// TestSecretNeverInErrors: whatever the modem sends back, the secret of a
// command is redacted from the errors the command returns.
func TestSecretNeverInErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr bytes.Buffer
		m, w := newWire(t, WithTrace(&tr))
		go func() {
			w.expect("AT+CPIN=\"87654321\",\"1234\"\r")
			// A hostile modem quoting the PUK and PIN back.
			w.send("\r\n+CPIN: 87654321\r\n\r\n+CME ERROR: bad PIN 1234 for PUK 87654321\r\n")
			w.expect("AT+CGDCONT=1,\"IP\",\"secret.apn\"\r")
			w.send("\r\n^RSSI:secret.apn\r\n\r\n+CMS ERROR: \"secret.apn\"\r\n")
			w.expect("ATD*99***7#\r")
			w.send("ATD*99***7#\r\r\nOK\r\n")
		}()
		var got urcs
		m.Subscribe(got.add)
		info, err := m.Command(t.Context(), `+CPIN="87654321","1234"`)
		var cme *CMEError
		if !errors.As(err, &cme) || cme.Code != -1 {
			t.Fatalf("got %v", err)
		}
		texts := []string{err.Error(), cme.Text, strings.Join(info, "|")}
		_, err = m.Command(t.Context(), `+CGDCONT=1,"IP","secret.apn"`, Secret())
		if !errors.Is(err, ErrError) {
			t.Fatalf("got %v", err)
		}
		texts = append(texts, err.Error())
		_, err = m.Dial(t.Context(), "D*99***7#", Secret())
		var ce *CommandError
		var pe *ProtocolError
		if !errors.As(err, &ce) || ce.Cmd != "AT****" || !errors.As(err, &pe) {
			t.Fatalf("Dial answered OK: %v", err)
		}
		synctest.Wait()
		texts = append(texts, err.Error(), tr.String(), strings.Join(got.get(), "|"))
		for _, s := range texts {
			for _, secret := range []string{"1234", "87654321", "secret.apn", "*99***7#"} {
				if strings.Contains(s, secret) {
					t.Errorf("%q in %q", secret, s)
				}
			}
		}
	})
}

// heapInUse is the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// retainBound is what a flood may add to the live heap: a generous bound
// over the engine's own bounds (a 4 KiB line, a 64 KiB response, 256
// URCs), far below the floods' size.
const retainBound = 16 << 20

// countWriter counts what the transcript would have written.
type countWriter struct{ n atomic.Int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n.Add(int64(len(p))); return len(p), nil }

// flood writes lines of line (CR LF framed) until total bytes are out,
// calling mid once half-way.
func (w *wire) flood(line string, total int, mid func()) {
	chunk := []byte(strings.Repeat("\r\n"+line+"\r\n", 64<<10/(len(line)+4)+1))
	for sent := 0; sent < total; sent += len(chunk) {
		if sent <= total/2 && sent+len(chunk) > total/2 {
			mid()
		}
		w.send(string(chunk))
	}
}

// TestInfoFloodIsBounded is issue 9's AT+CSQ flood: 50 MB of information
// lines for one command. The command fails with ErrResponseTooLarge as soon
// as its answer passes the limit, while the flood is still coming; the rest
// is drained with the heap and the transcript bounded, and the next command
// gets its own answer.
func TestInfoFloodIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr countWriter
		m, w := newWire(t, WithTrace(&tr))
		returned := make(chan struct{})
		const total = 50 << 20
		var mid uint64
		base := heapInUse()
		go func() {
			w.expect("AT+CSQ\r")
			w.flood("+CSQ: 17,99"+strings.Repeat(" ", 500), 1<<20, func() {})
			select { // the command must have returned by now: the flood waits for it
			case <-returned:
			case <-time.After(time.Hour):
			}
			w.flood("+CSQ: 17,99"+strings.Repeat(" ", 500), total, func() { mid = heapInUse() })
			w.send("\r\nOK\r\n")
			w.expect("AT+CSQ\r")
			w.send("\r\n+CSQ: 20,99\r\n\r\nOK\r\n")
		}()
		info, err := m.Command(t.Context(), "+CSQ")
		close(returned)
		if !errors.Is(err, ErrResponseTooLarge) || info != nil {
			t.Fatalf("got %d lines, %v; want ErrResponseTooLarge", len(info), err)
		}
		info, err = m.Command(t.Context(), "+CSQ")
		if err != nil || len(info) != 1 || info[0] != "+CSQ: 20,99" {
			t.Fatalf("next command: %q, %v", info, err)
		}
		after := heapInUse()
		if grew := int64(max(mid, after)) - int64(base); grew > retainBound {
			t.Errorf("heap grew by %d MB during a 50 MB flood (base %d, mid %d, after %d)", grew>>20, base, mid, after)
		}
		if n := tr.n.Load(); n > 1<<20 {
			t.Errorf("transcript of %d bytes for the flood", n)
		}
	})
}

// TestEchoFloodDuringDialIsBounded: a modem that echoes ATD*99# over and
// over while the dial waits. The repeats are dropped, not kept; the dial
// ends on its CONNECT.
func TestEchoFloodDuringDialIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr countWriter
		m, w := newWire(t, WithTrace(&tr))
		var mid uint64
		base := heapInUse()
		go func() {
			w.expect("ATD*99#\r")
			w.flood("ATD*99#", 8<<20, func() { mid = heapInUse() })
			w.send("\r\nCONNECT 7200000\r\n")
		}()
		rate, err := m.Dial(t.Context(), "D*99#")
		if err != nil || rate != "7200000" {
			t.Fatalf("Dial: %q, %v", rate, err)
		}
		if grew := int64(mid) - int64(base); grew > retainBound/4 {
			t.Errorf("heap grew by %d MB during an 8 MB echo flood", grew>>20)
		}
		if n := tr.n.Load(); n > 1<<20 {
			t.Errorf("transcript of %d bytes for the flood", n)
		}
	})
}

// TestLongLineFloodIsBounded: 20 MB without a line end is dropped as noise
// and the reader resynchronises at the next line end.
func TestLongLineFloodIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr bytes.Buffer
		m, w := newWire(t, WithTrace(&tr))
		var mid uint64
		base := heapInUse()
		go func() {
			w.expect("AT+CSQ\r")
			junk := strings.Repeat("+CSQ: 99,99 ", 64<<10/12)
			for sent := 0; sent < 20<<20; sent += len(junk) {
				if sent == 10*len(junk) {
					mid = heapInUse()
				}
				w.send(junk)
			}
			w.send("\r\n+CSQ: 17,99\r\n\r\nOK\r\n")
		}()
		info, err := m.Command(t.Context(), "+CSQ")
		if err != nil || len(info) != 1 || info[0] != "+CSQ: 17,99" {
			t.Fatalf("got %q, %v", info, err)
		}
		if grew := int64(mid) - int64(base); grew > retainBound/4 {
			t.Errorf("heap grew by %d MB during a 20 MB line", grew>>20)
		}
		if !strings.Contains(tr.String(), "# noise: a line of ") {
			t.Errorf("the long line is not shown as noise:\n%s", tr.String())
		}
	})
}

// TestURCFloodWithSlowSubscriber: URCs that arrive faster than a subscriber
// takes them are dropped oldest first and counted; the reader never waits
// for the subscriber, so commands keep working.
func TestURCFloodWithSlowSubscriber(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, w := newWire(t)
		release := make(chan struct{})
		var mu sync.Mutex
		var got []string
		m.Subscribe(func(l string) {
			<-release
			mu.Lock()
			got = append(got, l)
			mu.Unlock()
		})
		const n = 100000
		go func() {
			var b strings.Builder
			for i := range n {
				b.WriteString("\r\n^RSSI:" + string(rune('0'+i%10)) + "\r\n")
			}
			w.send(b.String())
			w.expect("AT+CSQ\r")
			w.send("\r\n+CSQ: 17,99\r\n\r\nOK\r\n")
		}()
		base := heapInUse()
		info, err := m.Command(t.Context(), "+CSQ")
		if err != nil || len(info) != 1 {
			t.Fatalf("command during a URC flood: %q, %v", info, err)
		}
		grew := int64(heapInUse()) - int64(base)
		close(release)
		synctest.Wait()
		mu.Lock()
		delivered := len(got)
		mu.Unlock()
		dropped := m.DroppedURCs()
		if dropped == 0 || uint64(delivered)+dropped != n || delivered > maxURCQueue+1 {
			t.Errorf("delivered %d, dropped %d of %d", delivered, dropped, n)
		}
		if grew > retainBound/4 {
			t.Errorf("heap grew by %d MB", grew>>20)
		}
	})
}

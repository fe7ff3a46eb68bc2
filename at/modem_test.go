package at

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zdial/zdial/internal/modemsim"
)

var update = flag.Bool("update", false, "rewrite golden transcripts under testdata")

// persona loads a builtin persona, letting the test change a copy.
func persona(t *testing.T, name string, edit func(*modemsim.Persona)) modemsim.Persona {
	t.Helper()
	p, err := modemsim.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&p)
	}
	return p
}

// readLog wraps the simulator's end of the line and records every Read,
// so a test can see how the bytes were delivered.
type readLog struct {
	net.Conn
	mu    sync.Mutex
	reads [][]byte
}

func (r *readLog) Read(p []byte) (int, error) {
	n, err := r.Conn.Read(p)
	if n > 0 {
		r.mu.Lock()
		r.reads = append(r.reads, append([]byte(nil), p[:n]...))
		r.mu.Unlock()
	}
	return n, err
}

// dial starts a simulator and an engine on it, inside the caller's bubble.
// Cleanup closes both; synctest.Test then proves no goroutine outlived them.
func dial(t *testing.T, p modemsim.Persona, opts ...Option) (*Modem, *modemsim.Sim, *readLog) {
	client, sim := modemsim.Pipe(p)
	rl := &readLog{Conn: client}
	m := New(rl, opts...)
	t.Cleanup(func() {
		m.Close()
		<-sim.Done()
	})
	return m, sim, rl
}

// urcs collects what subscribers receive.
type urcs struct {
	mu    sync.Mutex
	lines []string
}

func (u *urcs) add(l string) { u.mu.Lock(); u.lines = append(u.lines, l); u.mu.Unlock() }
func (u *urcs) get() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return slices.Clone(u.lines)
}

func TestEchoOnAndOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr bytes.Buffer
		m, sim, _ := dial(t, persona(t, "zte-mf622", nil), WithTrace(&tr))
		ctx := t.Context()
		on, err := m.Command(ctx, "+CGMM")
		if err != nil || !slices.Equal(on, []string{"MF622"}) {
			t.Fatalf("echo on: %q, %v", on, err)
		}
		if _, err := m.Command(ctx, "E0"); err != nil {
			t.Fatal(err)
		}
		off, err := m.Command(ctx, "+CGMM")
		if err != nil || !slices.Equal(off, []string{"MF622"}) {
			t.Fatalf("echo off: %q, %v", off, err)
		}
		if got := sim.Received(); !slices.Equal(got, []string{"AT+CGMM", "ATE0", "AT+CGMM"}) {
			t.Errorf("simulator received %q", got)
		}
		// The transcript shows the echo was there, then gone.
		if n := strings.Count(tr.String(), "< AT+CGMM\n"); n != 1 {
			t.Errorf("echo lines in transcript: %d, want 1\n%s", n, tr.String())
		}
	})
}

func TestURCInsideResponseGoesOnlyToSubscriber(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := persona(t, "huawei-e1750", func(p *modemsim.Persona) {
			p.URCs = nil
			p.Interleave = []modemsim.Interleave{
				{Command: "+CSQ", Line: "^RSSI:9", AfterLines: 0},                          // between info and OK
				{Command: "+CREG?", Line: "+CREG: 1,\"0D4F\",\"0001A2B3\"", AfterLines: 0}, // own prefix, URC shape
				{Command: "I", Line: "^MODE:5,4", AfterLines: 2},                           // between info lines
			}
		})
		m, _, _ := dial(t, p)
		var got urcs
		unsub := m.Subscribe(got.add)
		defer unsub()
		ctx := t.Context()

		info, err := m.Command(ctx, "+CSQ")
		if err != nil || !slices.Equal(info, []string{"+CSQ: 14,99"}) {
			t.Fatalf("+CSQ: %q, %v", info, err)
		}
		info, err = m.Command(ctx, "I")
		if err != nil || len(info) < 3 || slices.Contains(info, "^MODE:5,4") {
			t.Fatalf("ATI: %q, %v", info, err)
		}
		synctest.Wait()
		if want := []string{"^RSSI:9", "^MODE:5,4"}; !slices.Equal(got.get(), want) {
			t.Errorf("subscriber got %q, want %q", got.get(), want)
		}
		// A +CREG line during AT+CREG? is the command's own prefix: it stays
		// in the answer, and ReadRegistration picks the read form out of it.
		reg, err := ReadRegistration(ctx, m, "+CREG")
		if err != nil || reg.N < 0 || !reg.Stat.Registered() {
			t.Errorf("ReadRegistration with a +CREG URC inside: %+v, %v", reg, err)
		}
	})
}

func TestURCsArriveInOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, sim, _ := dial(t, persona(t, "huawei-e1750", func(p *modemsim.Persona) { p.URCs = nil }))
		var a, b urcs
		m.Subscribe(a.add)
		m.Subscribe(b.add)
		var want []string
		for i := range 50 {
			l := "^RSSI:" + string(rune('0'+i%10))
			want = append(want, l)
			if err := sim.Unsolicited(t.Context(), l); err != nil {
				t.Fatal(err)
			}
		}
		synctest.Wait()
		if !slices.Equal(a.get(), want) || !slices.Equal(b.get(), want) {
			t.Errorf("order lost:\n a %q\n b %q", a.get(), b.get())
		}
	})
}

func TestByteByByteAndManyLinesPerRead(t *testing.T) {
	for _, bytewise := range []bool{false, true} {
		synctest.Test(t, func(t *testing.T) {
			p := persona(t, "huawei-e1750", func(p *modemsim.Persona) {
				p.URCs = nil
				p.Faults.ByteByByte = bytewise
				p.Interleave = []modemsim.Interleave{{Command: "I", Line: "^RSSI:3", AfterLines: 1}}
			})
			m, _, rl := dial(t, p)
			var got urcs
			m.Subscribe(got.add)
			info, err := m.Command(t.Context(), "I")
			if err != nil || len(info) < 4 || info[0] != "Manufacturer: huawei" {
				t.Fatalf("ATI: %q, %v", info, err)
			}
			synctest.Wait()
			if !slices.Equal(got.get(), []string{"^RSSI:3"}) {
				t.Errorf("URCs: %q", got.get())
			}
			rl.mu.Lock()
			defer rl.mu.Unlock()
			most := 0
			for _, r := range rl.reads {
				most = max(most, bytes.Count(r, []byte("\r\n")))
			}
			if bytewise && most > 1 || bytewise && len(rl.reads) < 50 {
				t.Errorf("byte by byte: %d reads, up to %d CR LF in one", len(rl.reads), most)
			}
			if !bytewise && most < 4 {
				t.Errorf("whole replies: at most %d CR LF in one read; the test needs many", most)
			}
		})
	}
}

func TestSilentModemTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, _, _ := dial(t, persona(t, "diag-silent", nil))
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		start := time.Now()
		_, err := m.Command(ctx, "")
		var ce *CommandError
		if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &ce) || ce.Cmd != "AT" {
			t.Fatalf("got %v, want a *CommandError wrapping context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 5*time.Second { // the bubble's clock: exact
			t.Errorf("returned after %v of fake time, want the 5s deadline", d)
		}
		// The command's goroutines are gone: Close (in Cleanup) returns and
		// synctest.Test fails if anything in the bubble is left running.
	})
}

func TestLateReplyDoesNotCompleteNextCommand(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr bytes.Buffer
		m, _, _ := dial(t, persona(t, "zte-mf622", func(p *modemsim.Persona) {
			p.URCs = nil
			p.Latency = 2 * time.Second
		}), WithTrace(&tr))
		ctx1, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		if _, err := m.Command(ctx1, "+CSQ"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("first command: %v", err)
		}
		ctx2, cancel2 := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel2()
		info, err := m.Command(ctx2, "+CGMM")
		if err != nil || !slices.Equal(info, []string{"MF622"}) {
			t.Fatalf("second command got %q, %v; want its own answer MF622\n%s", info, err, tr.String())
		}
		if !strings.Contains(tr.String(), "# dropped the late final result of a timed-out command") {
			t.Errorf("no drain in transcript:\n%s", tr.String())
		}
	})
}

func TestDrainWindowLetsADeadModemGo(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, sim, _ := dial(t, persona(t, "zte-mf622", func(p *modemsim.Persona) { p.URCs = nil }),
			withDrainWindow(500*time.Millisecond))
		sim.SetFaults(modemsim.Faults{Silent: true})
		ctx1, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		if _, err := m.Command(ctx1, "+CSQ"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("first command: %v", err)
		}
		sim.SetFaults(modemsim.Faults{}) // the modem comes back, having dropped +CSQ
		start := time.Now()
		info, err := m.Command(t.Context(), "+CGMM")
		if err != nil || !slices.Equal(info, []string{"MF622"}) {
			t.Fatalf("after the drain window: %q, %v", info, err)
		}
		if d := time.Since(start); d != 500*time.Millisecond {
			t.Errorf("waited %v of fake time, want the 500ms drain window", d)
		}
	})
}

func TestVanishedDeviceIsHangup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, _, _ := dial(t, persona(t, "zte-mf622", func(p *modemsim.Persona) {
			p.Faults.VanishOn = "+COPS"
		}))
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		start := time.Now()
		_, err := m.Command(ctx, "+COPS?")
		if !errors.Is(err, ErrHangup) || errors.Is(err, ErrClosed) || errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v, want ErrHangup", err)
		}
		if time.Since(start) >= 30*time.Second {
			t.Error("hang-up was only noticed at the deadline")
		}
		<-m.Done()
		if !errors.Is(m.Err(), ErrHangup) {
			t.Errorf("Err = %v", m.Err())
		}
		if _, err := m.Command(ctx, ""); !errors.Is(err, ErrHangup) {
			t.Errorf("command after hang-up: %v", err)
		}
	})
}

func TestLocalCloseIsNotHangup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, _, _ := dial(t, persona(t, "diag-silent", nil))
		errc := make(chan error, 1)
		go func() {
			_, err := m.Command(context.Background(), "+CSQ")
			errc <- err
		}()
		synctest.Wait()
		m.Close()
		if err := <-errc; !errors.Is(err, ErrClosed) || errors.Is(err, ErrHangup) {
			t.Fatalf("got %v, want ErrClosed", err)
		}
		if !errors.Is(m.Err(), ErrClosed) {
			t.Errorf("Err = %v", m.Err())
		}
	})
}

func TestFinalResultsFromSimulator(t *testing.T) {
	type step struct {
		cmd  string
		want error
	}
	for _, tc := range []struct {
		persona string
		edit    func(*modemsim.Persona)
		steps   []step
	}{
		{"zte-mf622", nil, []step{{"+CSQ", nil}, {"+NOSUCH", ErrError}}},
		{"pin-required", nil, []step{
			{"+CMEE=1", nil}, {"+CIMI", ErrSIMPINRequired},
			{"+CMEE=2", nil}, {"+CIMI", ErrSIMPINRequired},
			{"+CPIN=0000", ErrIncorrectPassword}, {"+CPIN=1234", nil},
		}},
		{"pin-one-left", nil, []step{{"+CMEE=2", nil}, {"+CPIN=0000", ErrIncorrectPassword}, {"+CIMI", ErrSIMPUKRequired}}},
		{"no-sim", nil, []step{{"+CMEE=1", nil}, {"+CPIN?", ErrSIMNotInserted}}},
		{"zte-mf622", func(p *modemsim.Persona) { p.Dial.Result = modemsim.ResultNoCarrier }, []step{{"D*99#", ErrNoCarrier}}},
		{"zte-mf622", func(p *modemsim.Persona) { p.Dial.Result = modemsim.ResultBusy }, []step{{"D*99#", ErrBusy}}},
		{"zte-mf622", func(p *modemsim.Persona) { p.Dial.Result = modemsim.ResultNoAnswer }, []step{{"D*99#", ErrNoAnswer}}},
		{"zte-mf622", func(p *modemsim.Persona) { p.Dial.Result = modemsim.ResultNoDialtone }, []step{{"D*99#", ErrNoDialtone}}},
		{"zte-mf622", func(p *modemsim.Persona) { p.Dial.Result = modemsim.ResultError }, []step{{"D*99#", ErrError}}},
	} {
		synctest.Test(t, func(t *testing.T) {
			m, _, _ := dial(t, persona(t, tc.persona, tc.edit))
			for _, s := range tc.steps {
				_, err := m.Command(t.Context(), s.cmd)
				if s.want == nil && err != nil || s.want != nil && !errors.Is(err, s.want) {
					t.Errorf("%s %s: got %v, want %v", tc.persona, s.cmd, err, s.want)
				}
			}
		})
	}
}

func TestDialConnect(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, sim, _ := dial(t, persona(t, "zte-mf622", nil))
		rate, err := m.Dial(t.Context(), "D*99#")
		if err != nil || rate != "7200000" {
			t.Fatalf("Dial: %q, %v", rate, err)
		}
		<-m.Done()
		if !errors.Is(m.Err(), ErrDataMode) || !sim.InCall() {
			t.Errorf("Err = %v, InCall = %v", m.Err(), sim.InCall())
		}
	})
}

func TestHelpersAgainstSimulator(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for _, name := range []string{"zte-mf622", "huawei-e1750"} {
			p := persona(t, name, nil)
			m, _, _ := dial(t, p)
			ctx := t.Context()
			id, err := ReadIdentity(ctx, m)
			want := Identity{Manufacturer: p.Identity.Manufacturer, Model: p.Identity.Model, Revision: p.Identity.Revision,
				IMEI: p.Identity.IMEI, IMSI: p.Identity.IMSI, ICCID: p.Identity.ICCID}
			if err != nil || id != want {
				t.Errorf("%s ReadIdentity: %+v, %v; want %+v", name, id, err, want)
			}
			if st, err := ReadSIMState(ctx, m); err != nil || st != SIMReady {
				t.Errorf("%s ReadSIMState: %q, %v", name, st, err)
			}
			if pc, err := ReadPINCounts(ctx, m); err != nil || pc.PIN != 3 || pc.PUK != 10 {
				t.Errorf("%s ReadPINCounts: %+v, %v", name, pc, err)
			}
			if s, err := ReadSignal(ctx, m); err != nil || s.RSSI != p.Network.RSSI || s.DBm != -113+2*p.Network.RSSI {
				t.Errorf("%s ReadSignal: %+v, %v", name, s, err)
			}
			if _, err := m.Command(ctx, "+CREG=2"); err != nil {
				t.Fatal(err)
			}
			r, err := ReadRegistration(ctx, m, "+CREG")
			if err != nil || r.N != 2 || r.Stat != RegHome || !r.HasLoc || r.LAC != 0x0D4F || r.CI != 0x0001A2B3 {
				t.Errorf("%s ReadRegistration: %+v, %v", name, r, err)
			}
			if o, err := ReadOperator(ctx, m); err != nil || o.Name != p.Network.Operator || o.Format != 0 {
				t.Errorf("%s ReadOperator: %+v, %v", name, o, err)
			}
			m.Close()
		}
	})
}

func TestSIMStatesFromSimulator(t *testing.T) {
	for name, want := range map[string]SIMState{
		"pin-required": SIMPIN, "puk-locked": SIMPUK, "no-sim": SIMNotInserted,
	} {
		synctest.Test(t, func(t *testing.T) {
			m, _, _ := dial(t, persona(t, name, nil))
			if _, err := m.Command(t.Context(), "+CMEE=1"); err != nil {
				t.Fatal(err)
			}
			if st, err := ReadSIMState(t.Context(), m); err != nil || st != want {
				t.Errorf("%s: %q, %v; want %q", name, st, err, want)
			}
		})
	}
}

// TestTranscript pins the transcript format and secret masking against a
// golden file (go test ./at -run Transcript -update to refresh).
func TestTranscript(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr bytes.Buffer
		m, _, _ := dial(t, persona(t, "pin-required", func(p *modemsim.Persona) { p.URCs = nil }), WithTrace(&tr))
		ctx := t.Context()
		for _, c := range []string{"+CMEE=2", "+CPIN?", "+CPIN=0000", "+CPIN=1234", "+CPIN?"} {
			m.Command(ctx, c)
		}
		m.Command(ctx, "+CGDCONT=1,\"IP\",\"three.co.uk\"", Secret())
		m.Close()
		if strings.Contains(tr.String(), "1234") || strings.Contains(tr.String(), "0000") || strings.Contains(tr.String(), "three.co.uk") {
			t.Fatalf("secret in transcript:\n%s", tr.String())
		}
		golden := "testdata/transcript-pin.golden"
		if *update {
			if err := os.WriteFile(golden, tr.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if tr.String() != string(want) {
			t.Errorf("transcript differs from %s:\n%s", golden, tr.String())
		}
	})
}

// TestRealPTY runs the engine on the simulator's pty, as the dialer will run
// it on a serial device. A watchdog bounds it; no sleeps.
func TestRealPTY(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	pty, err := modemsim.OpenPTY(ctx, persona(t, "zte-mf622", nil))
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
	id, err := ReadIdentity(ctx, m)
	if err != nil || id.Model != "MF622" {
		t.Fatalf("ReadIdentity over pty: %+v, %v", id, err)
	}
	rate, err := m.Dial(ctx, "D*99#")
	if err != nil || rate != "7200000" {
		t.Fatalf("Dial over pty: %q, %v", rate, err)
	}
	if err := m.Close(); err != nil {
		t.Errorf("Close after CONNECT: %v", err)
	}
}

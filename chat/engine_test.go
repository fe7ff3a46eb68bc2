package chat

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zdial/zdial/internal/modemsim"
)

// persona loads a built-in persona and lets the test change a copy.
func persona(t *testing.T, name string, change func(*modemsim.Persona)) modemsim.Persona {
	t.Helper()
	p, err := modemsim.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(&p)
	}
	return p
}

// logBuf collects log lines; the engine calls it from Run's goroutine only,
// but tests read it afterwards, so it is guarded anyway.
type logBuf struct {
	mu    sync.Mutex
	lines []string
}

func (l *logBuf) add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, line)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// runSim runs script against a simulated modem over net.Pipe inside the
// caller's synctest bubble, returning the result, error and commands
// the modem received.
func runSim(t *testing.T, p modemsim.Persona, s *Script, opts ...RunnerOption) (Result, error, []string) {
	t.Helper()
	client, sim := modemsim.Pipe(p)
	defer client.Close()
	r := NewRunner(client, opts...)
	defer r.Close()
	res, err := r.Run(t.Context(), s)
	settle(client)
	return res, err, sim.Received()
}

// settle lets the modem take in the last line: a net.Pipe has no buffer,
// so its echo must be read before it records the command. The reader ends
// when the test closes client.
func settle(client net.Conn) {
	go func() { _, _ = io.Copy(io.Discard, client) }()
	synctest.Wait()
}

func chat8(t *testing.T, src string, opts Chat8Options) *Script {
	t.Helper()
	s, err := ParseChat8(strings.NewReader(src), "test", opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const threeUK = `TIMEOUT 5
ABORT 'NO CARRIER'
ABORT BUSY
ABORT ERROR
REPORT CONNECT
'' AT
OK ATZ
OK 'AT+CGDCONT=1,"IP","three.co.uk"'
OK ATD*99#
TIMEOUT 30
CONNECT ''
`

func TestRunChat8ScriptOutcomes(t *testing.T) {
	for _, tc := range []struct {
		name     string
		change   func(*modemsim.Persona)
		persona  string
		wantCode int
		wantErr  error
	}{
		{"connect", nil, "zte-mf622", 0, nil},
		{"no carrier is abort 1", func(p *modemsim.Persona) { p.Dial.Result = modemsim.ResultNoCarrier }, "zte-mf622", 4, nil},
		{"busy is abort 2", func(p *modemsim.Persona) { p.Dial.Result = modemsim.ResultBusy }, "zte-mf622", 5, nil},
		{"error is abort 3", func(p *modemsim.Persona) { p.Dial.Result = modemsim.ResultError }, "zte-mf622", 6, nil},
		{"silent port times out", nil, "diag-silent", 3, ErrExpectTimeout},
		{"vanishing modem is an I/O error", func(p *modemsim.Persona) { p.Faults.VanishOn = "CGDCONT" }, "zte-mf622", 2, ErrScriptIO},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				_, err, rx := runSim(t, persona(t, tc.persona, tc.change), chat8(t, threeUK, Chat8Options{}))
				if got := Chat8ExitCode(err); got != tc.wantCode {
					t.Errorf("exit code %d, want %d (err %v)", got, tc.wantCode, err)
				}
				if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
					t.Errorf("err %v, want %v", err, tc.wantErr)
				}
				var se *StepError
				if err != nil && !errors.As(err, &se) {
					t.Errorf("err %T, want *StepError", err)
				}
				if tc.wantCode == 3 {
					// The first expect after '' AT waits the script's 5 s.
					if d := time.Since(start); d != 5*time.Second {
						t.Errorf("timed out after %v, want 5s", d)
					}
					if se.Pos.Line != 7 {
						t.Errorf("failed at %s, want line 7", se.Pos)
					}
				}
				if tc.wantCode == 0 {
					want := []string{"AT", "ATZ", `AT+CGDCONT=1,"IP","three.co.uk"`, "ATD*99#"}
					if diff := cmp.Diff(want, rx); diff != "" {
						t.Errorf("received (-want +got):\n%s", diff)
					}
				}
			})
		})
	}
}

func TestRunReportsAndBuffered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		client, _ := modemsim.Pipe(persona(t, "zte-mf622", nil))
		defer client.Close()
		var report bytes.Buffer
		r := NewRunner(client, WithReportOutput(&report))
		res, err := r.Run(t.Context(), chat8(t, threeUK, Chat8Options{}))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"CONNECT 7200000"}, res.Reports); diff != "" {
			t.Errorf("reports (-want +got):\n%s", diff)
		}
		if report.String() != "CONNECT 7200000\n" {
			t.Errorf("report output %q", report.String())
		}
		// "CONNECT" matched; what follows it on the line stays for the next reader.
		if got := string(r.buffered()); !strings.HasPrefix(got, " 7200000") {
			t.Errorf("buffered %q", got)
		}
	})
}

func TestRunSubExpectFallback(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Nothing is sent before the first OK, so it times out; the
		// sub-send AT then gets the OK. Each attempt has the full timeout.
		start := time.Now()
		_, err, rx := runSim(t, persona(t, "zte-mf622", nil), chat8(t, "TIMEOUT 2 OK-AT-OK ATZ OK", Chat8Options{}))
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d != 2*time.Second {
			t.Errorf("took %v, want one 2s timeout", d)
		}
		if diff := cmp.Diff([]string{"AT", "ATZ"}, rx); diff != "" {
			t.Errorf("received (-want +got):\n%s", diff)
		}
	})
}

func TestRunSubExpectExhausted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		_, err, rx := runSim(t, persona(t, "diag-silent", nil), chat8(t, "TIMEOUT 2 OK-AT-OK-AT-OK ATZ", Chat8Options{}))
		if Chat8ExitCode(err) != 3 {
			t.Fatalf("err %v, want a timeout", err)
		}
		if d := time.Since(start); d != 6*time.Second {
			t.Errorf("took %v, want three 2s timeouts", d)
		}
		if diff := cmp.Diff([]string{"AT", "AT"}, rx); diff != "" {
			t.Errorf("received (-want +got):\n%s", diff)
		}
	})
}

func TestRunAbortIsNotRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := persona(t, "zte-mf622", func(p *modemsim.Persona) { p.Dial.Result = modemsim.ResultBusy })
		_, err, rx := runSim(t, p, chat8(t, "ABORT BUSY '' ATD*99# CONNECT-ATD*99#-CONNECT", Chat8Options{}))
		var ab *AbortError
		if !errors.As(err, &ab) || ab.Index != 0 || ab.Text != "BUSY" {
			t.Fatalf("err %v", err)
		}
		if len(rx) != 1 {
			t.Errorf("received %q: an abort must not run the sub-send", rx)
		}
	})
}

func TestRunClearAbortRenumbers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := persona(t, "zte-mf622", func(p *modemsim.Persona) { p.Dial.Result = modemsim.ResultBusy })
		// After CLR_ABORT of the first, BUSY is the first string again: exit 4.
		src := "ABORT 'NO CARRIER' ABORT BUSY CLR_ABORT 'NO CARRIER' '' ATD*99# CONNECT"
		_, err, _ := runSim(t, p, chat8(t, src, Chat8Options{}))
		if got := Chat8ExitCode(err); got != 4 {
			t.Errorf("exit %d, want 4 (err %v)", got, err)
		}
	})
}

func TestRunHangupOffWaitsOutTheTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := persona(t, "zte-mf622", func(p *modemsim.Persona) { p.Faults.VanishOn = "ATZ" })
		_, err, _ := runSim(t, p, chat8(t, "TIMEOUT 7 HANGUP OFF '' ATZ OK", Chat8Options{}))
		if got := Chat8ExitCode(err); got != 3 {
			t.Errorf("exit %d, want 3: with HANGUP OFF a hangup is waited out (err %v)", got, err)
		}
	})
}

func TestRunCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		client, _ := modemsim.Pipe(persona(t, "diag-silent", nil))
		defer client.Close()
		r := NewRunner(client)
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(3*time.Second, cancel)
		start := time.Now()
		_, err := r.Run(ctx, chat8(t, "'' AT OK", Chat8Options{}))
		if !errors.Is(err, context.Canceled) || Chat8ExitCode(err) != 2 {
			t.Errorf("err %v, want context.Canceled (exit 2)", err)
		}
		if d := time.Since(start); d != 3*time.Second {
			t.Errorf("returned after %v, want 3s", d)
		}
	})
}

func TestRunSecretsMasked(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := persona(t, "pin-required", nil)
		var log logBuf
		var echo bytes.Buffer
		s := chat8(t, "ECHO ON '' AT+CPIN=1234 OK AT OK", Chat8Options{Secrets: []string{"1234"}})
		_, err, rx := runSim(t, p, s, WithScriptLog(log.add), WithEchoOutput(&echo))
		if err != nil {
			t.Fatal(err)
		}
		if rx[0] != "AT+CPIN=1234" {
			t.Errorf("the modem got %q: the PIN must still be sent", rx[0])
		}
		for name, out := range map[string]string{"log": log.String(), "echo": echo.String()} {
			if strings.Contains(out, "1234") {
				t.Errorf("%s shows the PIN:\n%s", name, out)
			}
			if !strings.Contains(out, "****") {
				t.Errorf("%s has no mask:\n%s", name, out)
			}
		}
		if !strings.Contains(log.String(), "send (****)") {
			t.Errorf("log:\n%s", log.String())
		}
		if !strings.Contains(echo.String(), "AT+CPIN=****") {
			t.Errorf("echo (the modem echoes the command):\n%s", echo.String())
		}
	})
}

func TestRunSayEchoOutputs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var say, echo bytes.Buffer
		s := chat8(t, `SAY 'hello\n' '' ATI ECHO ON OK AT ECHO OFF OK ATZ OK`, Chat8Options{})
		_, err, _ := runSim(t, persona(t, "zte-mf622", nil), s, WithSayOutput(&say), WithEchoOutput(&echo))
		if err != nil {
			t.Fatal(err)
		}
		if say.String() != "hello\n\r" { // Debian's chat(8) ends SAY text with a CR, as a send
			t.Errorf("say %q", say.String())
		}
		// Echo is on while waiting for ATI's OK only, shown line by line with
		// CR dropped.
		if got := echo.String(); !strings.Contains(got, "\nModel: MF622\n") || strings.Contains(got, "ATZ") || strings.Contains(got, "\r") {
			t.Errorf("echo %q", got)
		}
	})
}

func TestRunWaitUntil(t *testing.T) {
	reg := func(every, timeout time.Duration) *Script {
		return &Script{Timeout: 5 * time.Second, Steps: []Step{
			{Kind: StepWaitUntil, WaitUntil: WaitUntil{
				Send:  sendText("AT+CREG?"),
				Match: mustRE(`^\+CREG: \d,[15]$`), Fail: mustRE(`^\+CREG: \d,3$`),
				Every: every, Timeout: timeout,
			}},
		}}
	}
	count := func(rx []string, cmd string) (n int) {
		for _, c := range rx {
			if c == cmd {
				n++
			}
		}
		return n
	}
	t.Run("registers", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			start := time.Now()
			_, err, rx := runSim(t, persona(t, "slow-register", nil), reg(2*time.Second, time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			d := time.Since(start)
			if d < 20*time.Second || d > 22*time.Second {
				t.Errorf("registered after %v, want 20–22s (polled every 2s)", d)
			}
			if n := count(rx, "AT+CREG?"); n != 11 {
				t.Errorf("%d polls, want 11", n)
			}
		})
	})
	t.Run("deadline", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			start := time.Now()
			_, err, _ := runSim(t, persona(t, "slow-register", nil), reg(time.Second, 10*time.Second))
			if !errors.Is(err, ErrExpectTimeout) {
				t.Fatalf("err %v", err)
			}
			if d := time.Since(start); d != 10*time.Second {
				t.Errorf("gave up after %v, want 10s", d)
			}
		})
	})
	t.Run("denied", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			_, err, _ := runSim(t, persona(t, "denied", nil), reg(time.Second, time.Minute))
			var fe *FailError
			if !errors.As(err, &fe) || fe.Got != "+CREG: 0,3" {
				t.Fatalf("err %v, want a *FailError for +CREG: 0,3", err)
			}
		})
	})
}

func TestRunYAMLExampleOnPersonas(t *testing.T) {
	for _, tc := range []struct {
		persona string
		change  func(*modemsim.Persona)
		check   func(t *testing.T, err error, rx []string)
	}{
		{"zte-mf622", nil, func(t *testing.T, err error, rx []string) {
			if err != nil {
				t.Fatal(err)
			}
			if rx[len(rx)-1] != "ATD*99#" {
				t.Errorf("last command %q", rx[len(rx)-1])
			}
		}},
		{"pin-required", nil, func(t *testing.T, err error, rx []string) {
			if err != nil {
				t.Fatal(err)
			}
			if !containsStr(rx, `AT+CPIN="1234"`) {
				t.Errorf("no PIN sent: %q", rx)
			}
		}},
		{"puk-locked", nil, func(t *testing.T, err error, rx []string) {
			var fe *FailError
			if !errors.As(err, &fe) || !strings.Contains(fe.Message, "PUK") {
				t.Errorf("err %v, want the PUK failure", err)
			}
		}},
		{"denied", nil, func(t *testing.T, err error, rx []string) {
			var fe *FailError
			if !errors.As(err, &fe) {
				t.Errorf("err %v, want the denied failure", err)
			}
		}},
		{"zte-mf622", func(p *modemsim.Persona) { p.Dial.Result = modemsim.ResultNoCarrier }, func(t *testing.T, err error, rx []string) {
			var ab *AbortError
			if !errors.As(err, &ab) || ab.Index != 0 {
				t.Errorf("err %v, want abort 0", err)
			}
		}},
		{"diag-silent", nil, func(t *testing.T, err error, rx []string) {
			var se *StepError
			if !errors.Is(err, ErrExpectTimeout) || !errors.As(err, &se) || se.Pos.Line != 20 {
				t.Errorf("err %v, want a timeout at the wake step", err)
			}
			if n := len(rx); n != 5 {
				t.Errorf("%d ATs, want 5 (1 + 4 retries)", n)
			}
		}},
	} {
		t.Run(tc.persona, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				_, err, rx := runSim(t, persona(t, tc.persona, tc.change), parseYAMLFile(t, "dial.yaml"))
				tc.check(t, err, rx)
			})
		})
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// timeoutReader is a go.bug.st/serial port as the engine sees it: no
// SetReadDeadline, and Read returns (0, nil) when its read timeout passes.
type timeoutReader struct {
	c       net.Conn
	timeout time.Duration
	mu      sync.Mutex
	empty   int // (0, nil) reads returned
}

func (r *timeoutReader) Read(b []byte) (int, error) {
	_ = r.c.SetReadDeadline(time.Now().Add(r.timeout))
	n, err := r.c.Read(b)
	if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		r.mu.Lock()
		r.empty++
		r.mu.Unlock()
		return 0, nil
	}
	return n, err
}

func (r *timeoutReader) Write(b []byte) (int, error) { return r.c.Write(b) }

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func TestRunSerialReadTimeouts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		client, sim := modemsim.Pipe(persona(t, "zte-mf622", nil))
		defer client.Close()
		line := &timeoutReader{c: client, timeout: 100 * time.Millisecond}
		r := NewRunner(line)
		if _, ok := r.rd.(*loopReader); !ok {
			t.Fatalf("reader %T, want the read loop", r.rd)
		}
		// A silent stretch: the port returns (0, nil) many times.
		_, err := r.Run(t.Context(), chat8(t, "TIMEOUT 1 OK-AT-OK ATZ OK", Chat8Options{}))
		if err != nil {
			t.Fatal(err)
		}
		line.mu.Lock()
		empty := line.empty
		line.mu.Unlock()
		if empty < 5 {
			t.Errorf("%d empty reads, want the loop to have seen (0, nil) several times", empty)
		}
		// Release ends the loop at its next (0, nil) and leaves the line open.
		if err := r.Release(t.Context()); err != nil {
			t.Fatal(err)
		}
		if _, err := client.Write([]byte("AT\r")); err != nil {
			t.Errorf("line closed by Release: %v", err)
		}
		_ = sim
	})
}

func TestRunnerCloseEndsBlockedLoop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		client, _ := modemsim.Pipe(persona(t, "diag-silent", nil))
		// Hide SetReadDeadline: a blocking line the loop must read.
		line := struct {
			io.Reader
			io.Writer
			io.Closer
		}{client, client, client}
		r := NewRunner(line)
		_, err := r.Run(t.Context(), chat8(t, "TIMEOUT 1 '' AT OK", Chat8Options{}))
		if !errors.Is(err, ErrExpectTimeout) {
			t.Fatalf("err %v", err)
		}
		// The loop is blocked in Read; Close must end it (by closing the line).
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
		if err := r.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	})
}

func TestRunDeadlineLineHasNoGoroutineAfterRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		client, _ := modemsim.Pipe(persona(t, "zte-mf622", nil))
		defer client.Close()
		r := NewRunner(client)
		if _, ok := r.rd.(*deadlineReader); !ok {
			t.Fatalf("reader %T, want reads in the caller's goroutine", r.rd)
		}
		if _, err := r.Run(t.Context(), chat8(t, "'' AT OK", Chat8Options{})); err != nil {
			t.Fatal(err)
		}
		// No deadline is left on the line for whoever reads next.
		done := make(chan error, 1)
		go func() {
			_, err := client.Read(make([]byte, 1))
			done <- err
		}()
		synctest.Wait()
		select {
		case err := <-done:
			t.Errorf("read after Run returned at once (%v): a deadline was left", err)
		default:
		}
		client.Close()
		<-done
	})
}

func TestRunnerSerialisesRuns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		client, sim := modemsim.Pipe(persona(t, "zte-mf622", nil))
		defer client.Close()
		r := NewRunner(client)
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() {
				if _, err := r.Run(t.Context(), chat8(t, "'' ATI OK", Chat8Options{})); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := len(sim.Received()); n != 3 {
			t.Errorf("%d commands", n)
		}
	})
}

func mustRE(s string) *regexp.Regexp { return regexp.MustCompile(s) }

func TestRunAfterClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		client, _ := modemsim.Pipe(persona(t, "zte-mf622", nil))
		defer client.Close()
		for _, line := range []io.ReadWriter{client, struct {
			io.Reader
			io.Writer
		}{client, client}} {
			r := NewRunner(line)
			if err := r.Release(t.Context()); err != nil {
				t.Fatal(err)
			}
			_, err := r.Run(t.Context(), chat8(t, "'' AT OK", Chat8Options{}))
			if !errors.Is(err, ErrScriptIO) {
				t.Errorf("%T: Run after Release: %v, want ErrScriptIO", line, err)
			}
		}
	})
}

func TestRunURCFlood(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := persona(t, "zte-mf622", func(p *modemsim.Persona) {
			// The MF622's reports, faster than it answers commands.
			p.Latency = 25 * time.Millisecond
			p.URCs = []modemsim.URC{{Line: "^RSSI: 17", Every: 10 * time.Millisecond}, {Line: "^DSFLOWRPT: 0", Every: 7 * time.Millisecond}}
		})
		var log logBuf
		_, err, rx := runSim(t, p, parseYAMLFile(t, "dial.yaml"), WithScriptLog(log.add))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(log.String(), "^RSSI: 17"); n < 10 {
			t.Errorf("%d URCs seen: the flood did not happen", n)
		}
		if rx[len(rx)-1] != "ATD*99#" {
			t.Errorf("last command %q", rx[len(rx)-1])
		}
	})
}

// buffered returns a copy of the bytes received but not consumed by any
// expect (typically the "\r\n" after CONNECT).
func (r *Runner) buffered() []byte {
	r.busy <- struct{}{}
	defer func() { <-r.busy }()
	return append([]byte(nil), r.pending...)
}

// sendText is a Send of text and a carriage return, as an AT command goes.
func sendText(text string) Send {
	return Send{Parts: []SendPart{{Data: []byte(text + "\r")}}}
}

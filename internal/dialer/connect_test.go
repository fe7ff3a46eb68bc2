package dialer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zdial/zdial/carriers"
	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/dialseq"
	"github.com/zdial/zdial/internal/fakepppd"
	"github.com/zdial/zdial/internal/modemsim"
	"github.com/zdial/zdial/internal/profile"
	"github.com/zdial/zdial/internal/uucplock"
	"github.com/zdial/zdial/pppctl"
	"golang.org/x/sys/unix"
)

// Connect end to end: a simulated modem on a real pty, dialed by the real
// chat and at code, handed to a fake pppd (this test binary re-executed,
// see internal/fakepppd) that checks its stdin is the dialed pty.

func TestMain(m *testing.M) {
	fakepppd.Main()
	os.Exit(m.Run())
}

// A distinct, greppable password: wherever it shows up, it leaked.
const testPassword = "Pw-d1al3r-K9q"

// sessionLog is what pppd 2.4.9 logs for a link that comes up.
var sessionLog = []string{
	"Using interface ppp0",
	"Connect: ppp0 <--> {tty}",
	"local  IP address 10.11.12.13",
	"remote IP address 10.64.64.64",
	"primary   DNS address 8.8.8.8",
	"secondary DNS address 8.8.4.4",
}

// session is one Connect against a simulated modem and a fake pppd.
type session struct {
	t      *testing.T
	pty    *modemsim.PTY
	hold   *os.File // the test's own descriptor on the port: see newSession
	opts   dialer.Dialer
	record func() fakepppd.Record
	trace  syncBuffer // AT transcript
	logs   syncBuffer // the dialer's slog output

	mu     sync.Mutex
	events []dialer.Event
	// onReady runs (once) on pppctl's event goroutine when the fake has
	// logged everything and waits for SIGTERM.
	onReady func()
}

// newSession serves persona on a pty and installs a fake pppd for it; the
// profile is the built-in three, edited by edit. The test also holds the
// port open itself, so that closing Connect's descriptors does not drop
// the simulated DTR: whether the call is still up afterwards then says
// whether zdial hung it up with ATH.
func newSession(t *testing.T, persona string, spec fakepppd.Spec, edit func(*profile.Profile), simOpts ...modemsim.Option) *session {
	t.Helper()
	p, err := modemsim.Builtin(persona)
	if err != nil {
		t.Fatal(err)
	}
	simCtx, cancel := context.WithCancel(context.Background())
	simOpts = append([]modemsim.Option{modemsim.WithGuardTime(20 * time.Millisecond)}, simOpts...)
	pty, err := modemsim.OpenPTY(simCtx, p, simOpts...)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); pty.Close() })
	hold, err := os.OpenFile(pty.Path, os.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hold.Close() })

	spec.TTY = pty.Path
	bin, record := fakepppd.Install(t, spec)
	profile, err := profile.Resolve(nil, carriers.Builtin(), "three")
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&profile)
	}
	s := &session{t: t, pty: pty, record: record, hold: hold}
	s.opts = dialer.Dialer{
		Profile:    profile,
		Port:       pty.Path,
		DevRoot:    t.TempDir(),
		LockDir:    t.TempDir(),
		StateDir:   t.TempDir(),
		PPPD:       bin,
		PPPDLibDir: t.TempDir(), // no passwordfd plugin: options file
		Trace:      &s.trace,
		Logger:     slog.New(slog.NewTextHandler(&s.logs, nil)),
		GuardTime:  20 * time.Millisecond,
		Progress:   s.progress,
	}
	return s
}

func (s *session) progress(ev dialer.Event) {
	s.mu.Lock()
	s.events = append(s.events, ev)
	ready := ev.PPP != nil && ev.PPP.Line == fakepppd.ReadyLine && s.onReady != nil
	f := s.onReady
	if ready {
		s.onReady = nil
	}
	s.mu.Unlock()
	if ready {
		f()
	}
}

// connect runs Connect under a watchdog; if hangUp is set it cancels
// Connect's context, as SIGINT does, once pppd has logged everything, and
// first calls during (if set) to look at the system mid-call.
func (s *session) connect(hangUp bool, during func()) (dialer.Result, error) {
	s.t.Helper()
	wd, stop := context.WithTimeout(context.Background(), time.Minute)
	defer stop()
	ctx, cancel := context.WithCancel(wd)
	defer cancel()
	if hangUp {
		s.mu.Lock()
		s.onReady = func() {
			if during != nil {
				during()
			}
			cancel()
		}
		s.mu.Unlock()
	}
	res, err := dialer.Connect(ctx, s.opts)
	if wd.Err() != nil {
		s.t.Fatalf("Connect hit the test watchdog: %v", err)
	}
	return res, err
}

func (s *session) seen() []dialer.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.events)
}

// lockFile is the UUCP lock Connect takes on the port.
func (s *session) lockFile() string {
	return filepath.Join(s.opts.LockDir, uucplock.FileName(s.pty.Path))
}

// checkHungUp asserts that after the call zdial sent ATH and the modem is
// back in command mode with the call ended, and that the lock is gone.
func (s *session) checkHungUp() {
	s.t.Helper()
	rx := s.pty.Sim.Received()
	dial := slices.IndexFunc(rx, func(l string) bool { return strings.HasPrefix(strings.ToUpper(l), "ATD") })
	if dial < 0 {
		s.t.Fatalf("the modem was never dialed: %q", rx)
	}
	if !slices.ContainsFunc(rx[dial+1:], func(l string) bool { return strings.EqualFold(l, "ATH") }) {
		s.t.Errorf("no ATH after %s (the +++ escape failed?): %q", rx[dial], rx[dial:])
	}
	if s.pty.Sim.InCall() {
		s.t.Error("the modem is still in a call after Connect returned")
	}
	if _, err := os.Stat(s.lockFile()); !errors.Is(err, os.ErrNotExist) {
		s.t.Errorf("lock file %s still there after Connect (stat: %v)", s.lockFile(), err)
	}
}

// label names the events the tests follow: the dial stages a user sees and
// every pppd event pppctl recognised.
func label(ev dialer.Event) string {
	switch {
	case ev.Dial != nil:
		switch ev.Dial.Kind {
		case dialseq.EventSIMReady, dialseq.EventRegistered, dialseq.EventAPNSet, dialseq.EventConnect:
			return "dial:" + ev.Dial.Kind.String()
		}
	case ev.PPP != nil && ev.PPP.Kind != pppctl.EventOther:
		return "ppp:" + ev.PPP.Kind.String()
	}
	return ""
}

func labels(evs []dialer.Event) []string {
	var out []string
	for _, ev := range evs {
		if l := label(ev); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// eventText is everything an event could show a user or a log.
func eventText(ev dialer.Event) string {
	var b strings.Builder
	if ev.Dial != nil {
		fmt.Fprintf(&b, "%+v ", *ev.Dial)
	}
	if ev.PPP != nil {
		fmt.Fprintf(&b, "%+v ", *ev.PPP)
	}
	j, _ := json.Marshal(ev.Link)
	fmt.Fprintf(&b, "%+v %s %s", ev.Link, j, ev.Note)
	return b.String()
}

func TestConnectHandsOverAndHangsUp(t *testing.T) {
	s := newSession(t, "zte-mf622", fakepppd.Spec{Mode: fakepppd.ModeTerm, Log: sessionLog}, nil)
	var lockedDuringCall, inCallDuringPPP bool
	res, err := s.connect(true, func() {
		_, err := os.Stat(s.lockFile())
		lockedDuringCall = err == nil
		inCallDuringPPP = s.pty.Sim.InCall()
	})
	if err != nil {
		t.Fatalf("Connect = %v, want nil after a requested hang-up", err)
	}

	rec := s.record()
	if !rec.StdinIsLine {
		t.Errorf("pppd's stdin is not the dialed pty %s: %s", s.pty.Path, rec.StdinErr)
	}
	evs := s.seen()
	want := []string{
		"dial:sim-ready", "dial:registered", "dial:apn-set", "dial:connect",
		"ppp:interface", "ppp:connect", "ppp:local-ip", "ppp:remote-ip",
		"ppp:primary-dns", "ppp:secondary-dns",
		// pppd stopping on SIGTERM (cancelling ctx):
		"ppp:terminating", "ppp:connect-time", "ppp:traffic", "ppp:connection-terminated",
	}
	if diff := cmp.Diff(want, labels(evs)); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
	for _, ev := range evs {
		if ev.PPP != nil && ev.PPP.Kind == pppctl.EventConnect && ev.PPP.Device != s.pty.Path {
			t.Errorf("pppd says it runs on %s, want the dialed %s", ev.PPP.Device, s.pty.Path)
		}
	}
	s.mu.Lock()
	opened := slices.IndexFunc(s.events, func(ev dialer.Event) bool { return ev.Port != "" })
	if opened < 0 || s.events[opened].Port != s.pty.Path || s.events[opened].Note != "opened "+s.pty.Path {
		t.Errorf("no event says the port %s was opened: %+v", s.pty.Path, s.events)
	}
	s.mu.Unlock()
	if !lockedDuringCall || !inCallDuringPPP {
		t.Errorf("while pppd ran: lock held %v, modem in call %v; want both", lockedDuringCall, inCallDuringPPP)
	}
	l := res.Link
	wantDNS := []netip.Addr{netip.MustParseAddr("8.8.8.8"), netip.MustParseAddr("8.8.4.4")}
	if l.Interface != "ppp0" || l.LocalIP.String() != "10.11.12.13" || !slices.Equal(l.DNS, wantDNS) || l.Up {
		t.Errorf("Result.Link = %+v, want ppp0 10.11.12.13 with both DNS servers, down", l)
	}
	if res.Operator != "3 UK" || res.Rate == "" || res.APN != "three.co.uk" {
		t.Errorf("Result = %+v", res)
	}
	s.checkHungUp()
}

// TestConnectHangUpWaitsForEscape gives the modem a longer +++ guard time
// than zdial assumes (a modem with a larger S12): zdial must wait for the
// modem's OK to the escape before it sends AT, or its AT lands inside the
// guard time, cancels the escape, and the call stays up.
func TestConnectHangUpWaitsForEscape(t *testing.T) {
	s := newSession(t, "zte-mf622", fakepppd.Spec{Mode: fakepppd.ModeExit, Exit: 16, Log: sessionLog}, nil,
		modemsim.WithGuardTime(5*20*time.Millisecond))
	_, err := s.connect(false, nil)
	if !errors.Is(err, pppctl.ErrHangup) {
		t.Fatalf("Connect = %v, want pppd's status 16", err)
	}
	s.checkHungUp()
	if strings.Contains(s.trace.String(), "dropped") {
		t.Errorf("a reply in the hang-up answered no command (replies out of step):\n%s", s.trace.String())
	}
}

// TestConnectHangUpAfterNetworkHangup: the network ended the call while
// pppd ran ("NO CARRIER", the modem back in command mode). The AT after
// the (ignored) DTR drop is answered at once, the stale NO CARRIER does not
// disturb it, and no escape is needed.
func TestConnectHangUpAfterNetworkHangup(t *testing.T) {
	s := newSession(t, "zte-mf622", fakepppd.Spec{Mode: fakepppd.ModeTerm, Log: sessionLog}, nil)
	if _, err := s.connect(true, s.pty.Sim.DropCarrier); err != nil {
		t.Fatalf("Connect = %v", err)
	}
	if s.pty.Sim.InCall() {
		t.Error("the modem is still in a call after Connect returned")
	}
	if notes := s.notes(); !strings.Contains(notes, "hung up: DTR dropped") || strings.Contains(notes, "+++") {
		t.Errorf("notes %q: want the AT confirmation, no escape", notes)
	}
}

// notes are the dialer's progress notes, one a line.
func (s *session) notes() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, ev := range s.events {
		if ev.Note != "" {
			b.WriteString(ev.Note + "\n")
		}
	}
	return b.String()
}

// The fast hang-up: a modem that honours DTR (the pty's emulated DTR drops
// when its last descriptor closes, as HUPCL drops a real one; TIOCMBIC
// fails there with ENOTTY) is back in command mode at once: one AT, no
// escape, no ATH.
func TestConnectHangUpDTRHonoured(t *testing.T) {
	s := newSession(t, "zte-mf622", fakepppd.Spec{Mode: fakepppd.ModeTerm, Log: sessionLog}, nil)
	s.hold.Close() // nobody else holds the port: dropping DTR reaches the modem
	if _, err := s.connect(true, nil); err != nil {
		t.Fatalf("Connect = %v", err)
	}
	rx := s.pty.Sim.Received()
	dial := slices.IndexFunc(rx, func(l string) bool { return strings.HasPrefix(l, "ATD") })
	if dial < 0 || !slices.Equal(rx[dial+1:], []string{"AT"}) {
		t.Errorf("after the dial the modem received %q; want one AT (no escape, no ATH)", rx)
	}
	if s.pty.Sim.InCall() {
		t.Error("the modem is still in a call after Connect returned")
	}
	if notes := s.notes(); !strings.Contains(notes, "hung up: DTR dropped (close; TIOCMBIC: ") || strings.Contains(notes, "+++") {
		t.Errorf("notes %q: want DTR dropped by close, and no escape", notes)
	}
}

// A modem that ignores DTR (here: another descriptor keeps the pty's DTR
// up) is still in data mode: the AT goes unanswered, and the escape
// follows: +++, then ATH.
func TestConnectHangUpDTRIgnored(t *testing.T) {
	s := newSession(t, "zte-mf622", fakepppd.Spec{Mode: fakepppd.ModeTerm, Log: sessionLog}, nil)
	if _, err := s.connect(true, nil); err != nil {
		t.Fatalf("Connect = %v", err)
	}
	s.checkHungUp()
	if notes := s.notes(); !strings.Contains(notes, "escaping with +++") {
		t.Errorf("notes %q: want the escape", notes)
	}
}

func TestConnectPPPDNegotiationFailed(t *testing.T) {
	s := newSession(t, "zte-mf622", fakepppd.Spec{Mode: fakepppd.ModeExit, Exit: 10, Log: []string{
		"Using interface ppp0", "Connect: ppp0 <--> {tty}", "LCP: timeout sending Config-Requests",
	}}, nil)
	_, err := s.connect(false, nil)
	var ee *pppctl.ExitError
	if !errors.As(err, &ee) || ee.Status != 10 || !errors.Is(err, pppctl.ErrNegotiationFailed) {
		t.Fatalf("Connect = %v, want *pppctl.ExitError with status 10", err)
	}
	if c := dialer.Classify(err); c != dialer.ClassPPPD {
		t.Errorf("Classify(%v) = %v, want ClassPPPD", err, c)
	}
	if !s.record().StdinIsLine {
		t.Error("pppd's stdin is not the dialed pty")
	}
	s.checkHungUp()
}

func TestConnectPasswordNeverLeaks(t *testing.T) {
	// A line pppd itself would never print: the test of the second fence.
	leaky := append(slices.Clone(sessionLog), `rcvd [PAP AuthReq id=0x1 user="web" password="`+testPassword+`"]`)
	for _, tc := range []struct {
		name   string
		plugin bool // a passwordfd plugin in PPPDLibDir
		spec   fakepppd.Spec
	}{
		// Link up, then hung up: Connect returns nil.
		{"passwordfd", true, fakepppd.Spec{Mode: fakepppd.ModeTerm, Log: leaky}},
		// Authentication fails: the error text is checked too.
		{"options-file", false, fakepppd.Spec{Mode: fakepppd.ModeExit, Exit: 19, Log: leaky}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Neither the parent's environment nor its temporary directory
			// may carry the password to pppd or leave it behind.
			t.Setenv("ZDIAL_PASSWORD", testPassword)
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp)
			s := newSession(t, "zte-mf622", tc.spec, func(p *profile.Profile) {
				p.Username, p.Password = "web", profile.Secret(testPassword)
			})
			if tc.plugin {
				dir := pppctl.PluginDir(s.opts.PPPDLibDir, fakepppd.DefaultVersion)
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, pppctl.PasswordFDPlugin), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := s.connect(tc.plugin, nil)
			var texts []string
			if tc.plugin {
				if err != nil {
					t.Fatalf("Connect = %v", err)
				}
			} else {
				if !errors.Is(err, pppctl.ErrAuthTopeerFailed) {
					t.Fatalf("Connect = %v, want pppd's status 19", err)
				}
				texts = append(texts, err.Error(), fmt.Sprintf("%+v", err))
			}

			rec := s.record()
			wantVia := map[bool]string{true: "passwordfd", false: "file"}[tc.plugin]
			if rec.Via != wantVia || rec.Password != testPassword {
				t.Errorf("password reached pppd via %q as %q, want %s delivery", rec.Via, rec.Password, wantVia)
			}
			if !slices.Contains(rec.Args, "user") || !slices.Contains(rec.Args, "web") {
				t.Errorf("argv %q lacks user web", rec.Args)
			}
			if diff := cmp.Diff(pppctl.DefaultEnv, rec.Env); diff != "" {
				t.Errorf("pppd's environment (-want +got):\n%s", diff)
			}
			if !tc.plugin {
				// pppctl hands the options file over as a pipe: nothing on disk.
				if rec.OptionsFile != "/dev/fd/4" {
					t.Errorf("options file %s, want the pipe /dev/fd/4", rec.OptionsFile)
				}
				if ents, _ := os.ReadDir(tmp); len(ents) > 0 {
					t.Errorf("%s not empty: %v", tmp, ents)
				}
			}

			evs := s.seen()
			masked := false
			for _, ev := range evs {
				texts = append(texts, eventText(ev))
				masked = masked || ev.PPP != nil && strings.Contains(ev.PPP.Line, `password="****"`)
			}
			if !masked {
				t.Error("the PAP line did not reach Progress masked")
			}
			j, _ := json.Marshal(res)
			texts = append(texts, fmt.Sprintf("%+v", res), string(j), s.trace.String(), s.logs.String())
			texts = append(texts, rec.Args...)
			texts = append(texts, rec.Env...)
			for _, txt := range texts {
				if strings.Contains(txt, testPassword) {
					t.Errorf("password leaked: %q", txt)
				}
			}
			s.checkHungUp()
		})
	}
}

func TestConnectPassesProfilePPPDOptions(t *testing.T) {
	s := newSession(t, "zte-mf622", fakepppd.Spec{Mode: fakepppd.ModeExit, Exit: 0}, func(p *profile.Profile) {
		p.PPPD = profile.PPPD{
			Speed: 460800, NoVJ: true, IfName: "wwan7", IPParam: "zdial-test",
			LCPEchoInterval: 10, LCPEchoFailure: 3,
			Options: []string{"mtu 1400", "debug"},
		}
	})
	if _, err := s.connect(false, nil); err != nil {
		t.Fatalf("Connect = %v, want nil for pppd's status 0", err)
	}
	want := []string{
		"nodetach", "460800", "noauth", "defaultroute", "usepeerdns", "noipdefault", "novj",
		"lcp-echo-interval", "10", "lcp-echo-failure", "3", "ipparam", "zdial-test",
		"ifname", "wwan7", "nopersist", "mtu", "1400", "debug", "logfd", "3",
	}
	rec := s.record()
	if diff := cmp.Diff(want, rec.Args); diff != "" {
		t.Errorf("pppd argv (-want +got):\n%s", diff)
	}
	if !rec.StdinIsLine {
		t.Errorf("pppd's stdin is not the dialed pty: %s", rec.StdinErr)
	}
	s.checkHungUp()
}

func TestConnectChat8ScriptHandsOver(t *testing.T) {
	script, err := filepath.Abs("../../chat/testdata/chat8/three-uk")
	if err != nil {
		t.Fatal(err)
	}
	s := newSession(t, "zte-mf622", fakepppd.Spec{Mode: fakepppd.ModeTerm, Log: sessionLog}, func(p *profile.Profile) {
		p.Script = script
	})
	res, err := s.connect(true, nil)
	if err != nil {
		t.Fatalf("Connect = %v", err)
	}
	if !s.record().StdinIsLine {
		t.Error("pppd's stdin is not the dialed pty")
	}
	rx := s.pty.Sim.Received()
	for _, want := range []string{`AT+CGDCONT=1,"IP","three.co.uk"`, "ATD*99#"} {
		if !slices.Contains(rx, want) {
			t.Errorf("the modem never received %s: %q", want, rx)
		}
	}
	got := labels(s.seen())
	if len(got) == 0 || got[0] != "ppp:interface" || !slices.Contains(got, "ppp:local-ip") {
		t.Errorf("progress %q: want pppd's events (and no default-script stages)", got)
	}
	if res.Link.Interface != "ppp0" {
		t.Errorf("Result.Link = %+v", res.Link)
	}
	s.checkHungUp()
}

// syncBuffer is a bytes.Buffer for writers on several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

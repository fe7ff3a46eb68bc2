package pppctl

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// The fake pppd is this test binary, run under the name fakeName (a
// symlink in a per-test directory) the way os/exec's tests re-execute
// themselves. Its instructions are in fakeSpec.json next to the symlink,
// so that the child's environment can be exactly what Start gives it
// (nothing test-specific has to leak into it). It reports what it saw in
// fakeRecord.json.
const fakeName = "fake-pppd"

func TestMain(m *testing.M) {
	if filepath.Base(os.Args[0]) == fakeName {
		os.Exit(fakePPPD(filepath.Dir(os.Args[0])))
	}
	os.Exit(m.Run())
}

type fakeSpec struct {
	TTY  string   // path whose device fd 0 must be
	Log  []string // lines to print to logfd; {tty} becomes the stdin tty's name
	Exit int      // status for mode "exit"
	Mode string   // "exit", "term" (exit 5 on SIGTERM), "ignore-term"
}

type fakeRecord struct {
	Args        []string
	Env         []string
	StdinIsLine bool
	StdinErr    string
	Password    string // as pppd would have read it
	Via         string // "passwordfd" or "file"
	OptionsFile string
	FileMode    os.FileMode
	DirMode     os.FileMode
	Err         string // a problem the fake met
}

const readyLine = "fake: ready"

func fakePPPD(dir string) int {
	var spec fakeSpec
	rec := fakeRecord{Args: os.Args[1:], Env: os.Environ()}
	defer func() {
		b, _ := json.Marshal(rec)
		os.WriteFile(filepath.Join(dir, "fakeRecord.json"), b, 0o600)
	}()
	b, err := os.ReadFile(filepath.Join(dir, "fakeSpec.json"))
	if err == nil {
		err = json.Unmarshal(b, &spec)
	}
	if err != nil {
		rec.Err = err.Error()
		return 99
	}
	rec.StdinIsLine, rec.StdinErr = sameDevice(0, spec.TTY)

	var log io.Writer = io.Discard
	args := rec.Args
	for i := 0; i+1 < len(args); i++ {
		switch args[i] {
		case "logfd":
			fd, _ := strconv.Atoi(args[i+1])
			log = os.NewFile(uintptr(fd), "logfd")
		case "passwordfd":
			fd, _ := strconv.Atoi(args[i+1])
			pw, err := io.ReadAll(os.NewFile(uintptr(fd), "passwordfd"))
			if err != nil {
				rec.Err = err.Error()
			}
			rec.Password, rec.Via = string(pw), "passwordfd"
		case "file":
			rec.OptionsFile, rec.Via = args[i+1], "file"
			if fi, err := os.Stat(args[i+1]); err == nil {
				rec.FileMode = fi.Mode().Perm()
			}
			if fi, err := os.Stat(filepath.Dir(args[i+1])); err == nil {
				rec.DirMode = fi.Mode().Perm()
			}
			text, err := os.ReadFile(args[i+1])
			if err != nil {
				rec.Err = err.Error()
				break
			}
			rest, ok := strings.CutPrefix(string(text), "password ")
			if !ok {
				rec.Err = "options file does not start with password"
				break
			}
			rec.Password = unquoteWord(strings.TrimSuffix(rest, "\n"))
		}
	}

	sigs := make(chan os.Signal, 1)
	switch spec.Mode {
	case "term":
		signal.Notify(sigs, syscall.SIGTERM)
	case "ignore-term":
		signal.Notify(sigs, syscall.SIGTERM) // caught and ignored below
	}
	ttyName, _ := os.Readlink("/proc/self/fd/0")
	for _, l := range spec.Log {
		fmt.Fprintln(log, strings.ReplaceAll(l, "{tty}", ttyName))
	}
	switch spec.Mode {
	case "term":
		fmt.Fprintln(log, readyLine)
		<-sigs
		fmt.Fprintln(log, "Terminating on signal 15")
		fmt.Fprintln(log, "Connect time 0.1 minutes.")
		fmt.Fprintln(log, "Sent 10 bytes, received 20 bytes.")
		fmt.Fprintln(log, "Connection terminated.")
		return 5
	case "ignore-term":
		fmt.Fprintln(log, readyLine)
		for range sigs { // until SIGKILL
		}
	}
	return spec.Exit
}

// sameDevice reports whether fd is the character device at path, the
// way pppd's tty.c compares st_rdev.
func sameDevice(fd int, path string) (bool, string) {
	var a, b unix.Stat_t
	if err := unix.Fstat(fd, &a); err != nil {
		return false, err.Error()
	}
	if err := unix.Stat(path, &b); err != nil {
		return false, err.Error()
	}
	if a.Mode&unix.S_IFMT != unix.S_IFCHR {
		return false, "stdin is not a character device"
	}
	return a.Rdev == b.Rdev, ""
}

// unquoteWord reads one word the way pppd's getword does (the subset
// quoteWord produces: double quotes, backslash escapes, \ooo octal).
func unquoteWord(s string) string {
	var out []byte
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			if s[i] >= '0' && s[i] <= '7' {
				v, n := 0, 0
				for ; n < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7'; n++ {
					v = v<<3 | int(s[i]-'0')
					i++
				}
				i--
				out = append(out, byte(v))
			} else {
				out = append(out, s[i])
			}
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ' ' || c == '\t'):
			return string(out)
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

// harness runs one fake pppd on a fresh pty.
type harness struct {
	t      *testing.T
	dir    string
	binary string
	tty    *os.File

	mu     sync.Mutex
	events []Event
	ready  chan struct{}
	once   sync.Once
}

func newHarness(t *testing.T, spec fakeSpec) *harness {
	t.Helper()
	dir := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, fakeName)
	if err := os.Symlink(exe, bin); err != nil {
		t.Fatal(err)
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	spec.TTY = tty.Name()
	b, _ := json.Marshal(spec)
	if err := os.WriteFile(filepath.Join(dir, "fakeSpec.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, dir: dir, binary: bin, tty: tty, ready: make(chan struct{})}
}

// config returns a Config for the fake with opts; OnEvent records.
func (h *harness) config(opts Options) Config {
	return Config{
		Binary:  h.binary,
		Line:    h.tty,
		Options: opts,
		TempDir: h.dir,
		OnEvent: func(ev Event) {
			h.mu.Lock()
			h.events = append(h.events, ev)
			h.mu.Unlock()
			if ev.Line == readyLine {
				h.once.Do(func() { close(h.ready) })
			}
		},
	}
}

// start starts cfg under a watchdog: whatever happens, the process is
// gone when the test ends, and a hung test fails instead of hanging.
func (h *harness) start(ctx context.Context, cfg Config) *Process {
	h.t.Helper()
	p, err := Start(ctx, cfg)
	if err != nil {
		h.t.Fatalf("Start: %v", err)
	}
	h.t.Cleanup(func() { p.cmd.Process.Kill(); <-p.Done() })
	return p
}

// watchdog is a context that ends long after any healthy test would.
func watchdog(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func (h *harness) waitReady(ctx context.Context) {
	h.t.Helper()
	select {
	case <-h.ready:
	case <-ctx.Done():
		h.t.Fatal("fake pppd never became ready")
	}
}

func (h *harness) record() fakeRecord {
	h.t.Helper()
	var rec fakeRecord
	b, err := os.ReadFile(filepath.Join(h.dir, "fakeRecord.json"))
	if err == nil {
		err = json.Unmarshal(b, &rec)
	}
	if err != nil {
		h.t.Fatalf("fake record: %v", err)
	}
	if rec.Err != "" {
		h.t.Fatalf("fake pppd: %s", rec.Err)
	}
	return rec
}

func (h *harness) seen() []Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Event(nil), h.events...)
}

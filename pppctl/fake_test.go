package pppctl

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/zdial/zdial/internal/fakepppd"
)

// The fake pppd is this test binary re-executed; internal/fakepppd has it,
// shared with the dialer's and the CLI's tests.
func TestMain(m *testing.M) {
	fakepppd.Main()
	os.Exit(m.Run())
}

// harness runs one fake pppd on a fresh pty.
type harness struct {
	t      *testing.T
	dir    string // the fake's directory, also Config.TempDir
	binary string
	tty    *os.File
	record func() fakepppd.Record

	mu     sync.Mutex
	events []Event
	ready  chan struct{}
	once   sync.Once
}

func newHarness(t *testing.T, spec fakepppd.Spec) *harness {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	spec.TTY = tty.Name()
	bin, record := fakepppd.Install(t, spec)
	return &harness{t: t, dir: filepath.Dir(bin), binary: bin, tty: tty, record: record, ready: make(chan struct{})}
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
			if ev.Line == fakepppd.ReadyLine {
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
	h.t.Cleanup(func() { p.kill(); <-p.Done() })
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

func (h *harness) seen() []Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Event(nil), h.events...)
}

package sdnotify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// listen opens a unixgram socket at addr for the test and returns it with a
// watchdog deadline so a missing datagram fails instead of hanging.
func listen(t *testing.T, addr string) *net.UnixConn {
	t.Helper()
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetReadDeadline(time.Now().Add(time.Minute))
	return c
}

func recv(t *testing.T, c *net.UnixConn) string {
	t.Helper()
	buf := make([]byte, 4096)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	return string(buf[:n])
}

func TestSendsToSocket(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify")
	abstract := fmt.Sprintf("@zdial-sdnotify-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	for name, addr := range map[string]string{"path": path, "abstract": abstract} {
		t.Run(name, func(t *testing.T) {
			l := listen(t, addr)
			if name == "abstract" {
				// The abstract namespace has no file: a plain socket named "@…" would.
				if _, err := os.Lstat(addr); !errors.Is(err, os.ErrNotExist) {
					t.Fatalf("abstract socket left a file %q: %v", addr, err)
				}
			}
			n, err := New(env(map[string]string{"NOTIFY_SOCKET": addr}), 1)
			if err != nil {
				t.Fatal(err)
			}
			if !n.Enabled() {
				t.Fatal("Enabled = false with NOTIFY_SOCKET set")
			}
			ctx := t.Context()
			steps := []struct {
				send func() error
				want string
			}{
				{func() error { return n.Ready(ctx, "") }, "READY=1"},
				{func() error { return n.Ready(ctx, "up on ppp0") }, "READY=1\nSTATUS=up on ppp0"},
				{func() error { return n.Status(ctx, "backoff 4s: pppd exit 16") }, "STATUS=backoff 4s: pppd exit 16"},
				{func() error { return n.Status(ctx, "Evil\nREADY=1") }, "STATUS=EvilREADY=1"},
				{func() error { return n.Watchdog(ctx) }, "WATCHDOG=1"},
				{func() error { return n.Stopping(ctx) }, "STOPPING=1"},
			}
			for _, s := range steps {
				if err := s.send(); err != nil {
					t.Fatal(err)
				}
				if got := recv(t, l); got != s.want {
					t.Errorf("datagram %q, want %q", got, s.want)
				}
			}
		})
	}
}

func TestNoSocketIsNoOp(t *testing.T) {
	for name, n := range map[string]*Notifier{"nil": nil, "zero": {}, "unset": mustNew(t, nil)} {
		if n.Enabled() {
			t.Errorf("%s: Enabled", name)
		}
		ctx := t.Context()
		for _, err := range []error{n.Ready(ctx, "x"), n.Status(ctx, "x"), n.Watchdog(ctx), n.Stopping(ctx)} {
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, ok := n.WatchdogInterval(); ok {
			t.Errorf("%s: watchdog without a socket", name)
		}
	}
}

func mustNew(t *testing.T, m map[string]string) *Notifier {
	t.Helper()
	n, err := New(env(m), 42)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWatchdogInterval(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want time.Duration // 0: no watchdog
	}{
		{"unset", map[string]string{"NOTIFY_SOCKET": "/run/x"}, 0},
		{"ours by default", map[string]string{"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "30000000"}, 30 * time.Second},
		{"our pid", map[string]string{"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "1500", "WATCHDOG_PID": "42"}, 1500 * time.Microsecond},
		{"another pid", map[string]string{"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "1500", "WATCHDOG_PID": "41"}, 0},
		{"no socket", map[string]string{"WATCHDOG_USEC": "1500"}, 0},
	}
	for _, tt := range tests {
		n := mustNew(t, tt.env)
		got, ok := n.WatchdogInterval()
		if ok != (tt.want != 0) || got != tt.want {
			t.Errorf("%s: WatchdogInterval = %v, %v; want %v", tt.name, got, ok, tt.want)
		}
	}
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want error
	}{
		{map[string]string{"NOTIFY_SOCKET": "vsock:2:1234"}, ErrUnsupported},
		{map[string]string{"NOTIFY_SOCKET": "relative/path"}, ErrUnsupported},
		{map[string]string{"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "soon"}, ErrBadEnv},
		{map[string]string{"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "0"}, ErrBadEnv},
		{map[string]string{"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "-5"}, ErrBadEnv},
		{map[string]string{"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "99999999999999999999"}, ErrBadEnv},
		{map[string]string{"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "5", "WATCHDOG_PID": "x"}, ErrBadEnv},
	}
	for _, tt := range tests {
		if _, err := New(env(tt.env), 42); !errors.Is(err, tt.want) {
			t.Errorf("%v: err = %v, want %v", tt.env, err, tt.want)
		}
	}
}

func TestCleanStatus(t *testing.T) {
	long := strings.Repeat("é", MaxStatus) // 2 bytes each: the cut must not split one
	tests := []struct{ in, want string }{
		{"up on ppp0", "up on ppp0"},
		{"a\nb\rc\td\x00e\x7f", "abc de"},
		{"bad \xff utf8", "bad \ufffd utf8"},
		{"c1 \u0085 control", "c1  control"},
		{long, long[:MaxStatus]},
	}
	for _, tt := range tests {
		if got := CleanStatus(tt.in); got != tt.want {
			t.Errorf("CleanStatus(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMissingSocketErrors(t *testing.T) {
	n := mustNew(t, map[string]string{"NOTIFY_SOCKET": filepath.Join(t.TempDir(), "absent")})
	if err := n.Ready(t.Context(), ""); err == nil {
		t.Error("Ready to a missing socket returned nil")
	}
}

// TestBlockedSendGivesUpWithContext: a service manager that never reads
// fills the socket queue; the next send waits only as long as its context.
func TestBlockedSendGivesUpWithContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify")
	listen(t, path) // never read
	n := mustNew(t, map[string]string{"NOTIFY_SOCKET": path})
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	var err error
	for i := 0; i < 100000 && err == nil; i++ {
		err = n.Status(ctx, "filling the queue")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded once the queue is full", err)
	}
}

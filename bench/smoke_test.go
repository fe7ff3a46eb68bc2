package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// watchdog bounds a test that uses real ptys and processes.
func watchdog(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// The simulator's CONNECT timestamp, seen by a client that runs the job
// itself on the pty: no external program needed.
func TestSimTimestampsConnect(t *testing.T) {
	ctx := watchdog(t)
	p, err := persona("zte-mf622", 0)
	if err != nil {
		t.Fatal(err)
	}
	sim, err := startSim(ctx, p)
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	t.Cleanup(func() { sim.Close() })
	f, err := os.OpenFile(sim.Path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	deadline, _ := ctx.Deadline()
	f.SetDeadline(deadline)
	r := bufio.NewReader(f)
	j := standardJob()
	var beforeDial time.Time
	for i, cmd := range append(append([]string(nil), j.Commands...), j.Dial) {
		want := "OK"
		if i == len(j.Commands) {
			want, beforeDial = "CONNECT", time.Now()
		}
		if _, err := io.WriteString(f, cmd+"\r"); err != nil {
			t.Fatal(err)
		}
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("%s: %v", cmd, err)
			}
			if strings.HasPrefix(strings.TrimSpace(line), want) {
				break
			}
		}
	}
	at := sim.connected()
	if at.IsZero() || at.Before(beforeDial) || at.After(time.Now()) {
		t.Errorf("CONNECT timestamp %v, want between %v and now", at, beforeDial)
	}
	if got := exchanges(sim.Sim.Received()); got != 4 {
		t.Errorf("exchanges = %d, want 4 (received %q)", got, sim.Sim.Received())
	}
}

// One interleaved round of the speed bench with chat(8), when installed.
func TestSpeedSmokeChat(t *testing.T) {
	if _, err := exec.LookPath("chat"); err != nil {
		t.Skip("chat(8) not installed")
	}
	ctx := watchdog(t)
	e, err := newEnv(t.TempDir(), "", standardJob())
	if err != nil {
		t.Fatal(err)
	}
	e.timeout = 20 * time.Second
	res, err := runSpeed(ctx, e, []dialer{chatDialer}, []time.Duration{0}, 1, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	row := res[0].rows[0]
	if len(row.times) != 1 || len(row.failures) != 0 {
		t.Fatalf("chat: times %v, failures %q", row.times, row.failures)
	}
	if row.exchanges != 4 {
		t.Errorf("chat sent %d command lines, want 4", row.exchanges)
	}
	if md := speedTables(res); !strings.Contains(md, "| chat ") {
		t.Errorf("table lacks chat's row:\n%s", md)
	}
}

package uucplock

import (
	"context"
	"flag"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"
)

var (
	rounds     = flag.Int("rounds", 300, "rounds of TestStaleTakeoverHasOneWinner")
	procRounds = flag.Int("procrounds", 20, "rounds of TestStaleTakeoverAcrossProcesses")
	watchdog   = flag.Duration("watchdog", time.Minute, "how long a call may take before the test binary panics")
)

// The test binary doubles as the processes a lock can name: with
// UUCPLOCK_HELPER=live it lives until its stdin closes, with =dead it exits,
// with =contend it is a dialer (see contender).
func TestMain(m *testing.M) {
	switch os.Getenv("UUCPLOCK_HELPER") {
	case "live":
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	case "dead":
		os.Exit(0)
	case "contend":
		contender()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func helper(t *testing.T, mode string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	// Under -race a process sleeps a second at exit unless told not to.
	cmd.Env = append(os.Environ(), "UUCPLOCK_HELPER="+mode,
		"GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0")
	return cmd
}

// liveProcess returns the PID of a process that runs until the test ends.
func liveProcess(t *testing.T) int {
	t.Helper()
	cmd := helper(t, "live")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	return cmd.Process.Pid
}

// deadPID returns the PID of a process that has exited and been reaped.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := helper(t, "dead")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// promptly runs f, and panics (ending the test binary) if f has not returned
// within -watchdog: a regression here is a hang in open(2) on a FIFO or a
// read of /dev/zero that grows without bound, and a panic stops both.
func promptly(t *testing.T, what string, f func()) {
	t.Helper()
	timer := time.AfterFunc(*watchdog, func() {
		panic(what + " did not return within " + watchdog.String())
	})
	defer timer.Stop()
	f()
}

func acquireAs(d Dir, device string, pid int) (*Lock, error) {
	return d.acquire(context.Background(), device, pid)
}
func holderOf(d Dir, device string) (*BusyError, error) { return d.Holder(device) }

package uucplock

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// TestStaleTakeoverHasOneWinner has eight dialers, each with its own live
// PID, find the same stale lock (a dead process's, a FIFO, a symlink) at
// once, -rounds times: exactly one may win each round, and the lock must
// then hold the winner's PID. Contenders wait for the directory's guard
// (AcquireContext) or do not (Acquire).
func TestStaleTakeoverHasOneWinner(t *testing.T) {
	const contenders = 8
	pids := make([]int, contenders)
	for i := range pids {
		pids[i] = liveProcess(t)
	}
	dead := deadPID(t)
	done, cancel := context.WithCancel(t.Context())
	cancel()
	for _, mode := range []struct {
		name string
		ctx  context.Context
	}{{"waiting", t.Context()}, {"not waiting", done}} {
		t.Run(mode.name, func(t *testing.T) { contend(t, mode.ctx, pids, dead) })
	}
}

func contend(t *testing.T, ctx context.Context, pids []int, dead int) {
	contenders := len(pids)
	d := Dir{Path: t.TempDir()}
	path := filepath.Join(d.Path, "LCK..ttyUSB2")
	bad := 0
	for round := range *rounds {
		var err error
		switch round % 4 { // the stale things a lock directory can hold
		case 0, 1:
			err = os.WriteFile(path, fmt.Appendf(nil, "%10d\n", dead), 0o644)
		case 2:
			err = syscall.Mkfifo(path, 0o644)
		case 3:
			err = os.Symlink("/dev/zero", path)
		}
		if err != nil {
			t.Fatal(err)
		}
		locks := make([]*Lock, contenders)
		errs := make([]error, contenders)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range contenders {
			wg.Go(func() {
				<-start
				locks[i], errs[i] = d.acquire(ctx, "/dev/ttyUSB2", pids[i])
			})
		}
		close(start)
		wg.Wait()
		var winners []int
		for i, err := range errs {
			switch {
			case err == nil:
				winners = append(winners, pids[i])
			case !errors.Is(err, ErrBusy):
				t.Errorf("round %d: contender %d: %v, want success or busy", round, i, err)
			}
		}
		if len(winners) != 1 {
			bad++
			if bad <= 3 {
				t.Errorf("round %d: winners %v, want exactly one", round, winners)
			}
		} else if pid, err := readPID(path); err != nil || pid != winners[0] {
			t.Errorf("round %d: lock holds %d, %v; want the winner %d", round, pid, err, winners[0])
		}
		for _, l := range locks {
			if l != nil {
				l.Release()
			}
		}
		os.Remove(path)
	}
	if bad > 0 {
		t.Errorf("%d of %d rounds did not have exactly one winner", bad, *rounds)
	}
}

// contender is one dialer process of TestStaleTakeoverAcrossProcesses: it
// says "ready", waits for a byte on stdin, acquires UUCPLOCK_DEVICE in
// UUCPLOCK_DIR with its own PID, prints "won" or "busy" (or the error), and
// holds what it won until stdin closes.
func contender() {
	in := bufio.NewReader(os.Stdin)
	fmt.Println("ready")
	if _, err := in.ReadByte(); err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), *watchdog)
	defer cancel()
	l, err := Dir{Path: os.Getenv("UUCPLOCK_DIR")}.AcquireContext(ctx, os.Getenv("UUCPLOCK_DEVICE"))
	switch {
	case err == nil:
		fmt.Println("won")
	case errors.Is(err, ErrBusy):
		fmt.Println("busy")
	default:
		fmt.Println(strings.ReplaceAll(err.Error(), "\n", " "))
	}
	io.Copy(io.Discard, in)
	l.Release()
}

// TestStaleTakeoverAcrossProcesses is TestStaleTakeoverHasOneWinner with
// eight real processes, each with its own PID and its own descriptors.
func TestStaleTakeoverAcrossProcesses(t *testing.T) {
	const contenders = 8
	d := Dir{Path: t.TempDir()}
	path := filepath.Join(d.Path, "LCK..ttyUSB2")
	dead := deadPID(t)
	for round := range *procRounds {
		if err := os.WriteFile(path, fmt.Appendf(nil, "%10d\n", dead), 0o644); err != nil {
			t.Fatal(err)
		}
		type proc struct {
			cmd   *exec.Cmd
			stdin io.WriteCloser
			out   *bufio.Reader
		}
		procs := make([]proc, contenders)
		for i := range procs {
			cmd := helper(t, "contend")
			cmd.Env = append(cmd.Env, "UUCPLOCK_DIR="+d.Path, "UUCPLOCK_DEVICE=/dev/ttyUSB2")
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			procs[i] = proc{cmd, stdin, bufio.NewReader(stdout)}
			t.Cleanup(func() { stdin.Close(); cmd.Wait() })
		}
		line := func(p proc) string {
			s, _ := p.out.ReadString('\n')
			return strings.TrimSpace(s)
		}
		for _, p := range procs {
			if s := line(p); s != "ready" {
				t.Fatalf("contender says %q", s)
			}
		}
		for _, p := range procs {
			p.stdin.Write([]byte{'g'})
		}
		var winners []int
		for _, p := range procs {
			switch s := line(p); s {
			case "won":
				winners = append(winners, p.cmd.Process.Pid)
			case "busy":
			default:
				t.Errorf("round %d: contender: %s", round, s)
			}
		}
		if len(winners) != 1 {
			t.Errorf("round %d: winners %v, want exactly one", round, winners)
		} else if pid, err := readPID(path); err != nil || pid != winners[0] {
			t.Errorf("round %d: lock holds %d, %v; want the winner %d", round, pid, err, winners[0])
		}
		for _, p := range procs {
			p.stdin.Close()
			p.cmd.Wait()
		}
		if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("round %d: the winner's Release left the lock: %v", round, err)
		}
	}
}

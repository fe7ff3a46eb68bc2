package uucplock

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
		} else if pid, err := ReadPID(path); err != nil || pid != winners[0] {
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

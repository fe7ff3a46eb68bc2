package modeswitch_test

import (
	. "github.com/zdial/zdial/switch"
	"github.com/zdial/zdial/switch/switchtest"

	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

func TestWaitForChecksFirst(t *testing.T) {
	calls := 0
	err := WaitFor(context.Background(), make(switchtest.Events), func() (bool, error) { calls++; return true, nil })
	if err != nil || calls != 1 {
		t.Errorf("err=%v calls=%d", err, calls)
	}
}

func TestWaitForFollowsEvents(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ev := make(switchtest.Events)
		var state atomic.Int32
		done := make(chan error, 1)
		go func() {
			done <- WaitFor(context.Background(), ev, func() (bool, error) { return state.Load() == 2, nil })
		}()
		ev <- Event{Action: "remove"} // not there yet
		synctest.Wait()               // waitFor has re-checked and waits again
		state.Store(1)
		ev <- Event{Action: "add"}
		synctest.Wait()
		state.Store(2)
		ev <- Event{Action: "bind"}
		start := time.Now()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if time.Since(start) != 0 {
			t.Errorf("returned after %v, want at once", time.Since(start))
		}
	})
}

func TestWaitForDefaultDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		err := WaitFor(context.Background(), make(switchtest.Events), func() (bool, error) { return false, nil })
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != DefaultWait {
			t.Errorf("err=%v after %v", err, time.Since(start))
		}
	})
}

func TestWaitForCheckError(t *testing.T) {
	boom := errors.New("boom")
	if err := WaitFor(context.Background(), make(switchtest.Events), func() (bool, error) { return false, boom }); err != boom {
		t.Errorf("err = %v", err)
	}
}

func TestWaitForClosedSource(t *testing.T) {
	ev := make(switchtest.Events)
	close(ev)
	err := WaitFor(context.Background(), ev, func() (bool, error) { return false, nil })
	if err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
}

package backoff

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

func TestNextGrowsAndCaps(t *testing.T) {
	tests := []struct {
		name string
		p    Policy
		want []time.Duration
	}{
		{"defaults", Policy{Max: 10 * time.Second},
			[]time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}},
		{"cap equals first", Policy{Initial: 3 * time.Second, Max: 3 * time.Second},
			[]time.Duration{3 * time.Second, 3 * time.Second}},
		{"factor 3", Policy{Factor: 3, Max: time.Minute},
			[]time.Duration{time.Second, 3 * time.Second, 9 * time.Second, 27 * time.Second, time.Minute}},
		{"huge cap no overflow", Policy{Factor: 1e6, Max: time.Duration(math64max)},
			[]time.Duration{time.Second, 1e6 * time.Second, time.Duration(math64max), time.Duration(math64max)}},
		{"jitter half, source 0.5", Policy{Max: 8 * time.Second, Jitter: 0.5, Rand: func() float64 { return 0.5 }},
			[]time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second, 6 * time.Second, 6 * time.Second}},
		{"jitter with broken source", Policy{Max: 4 * time.Second, Jitter: 1, Rand: func() float64 { return 7 }},
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
		{"jitter without source", Policy{Max: 4 * time.Second, Jitter: 1},
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := New(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tt.want {
				if got := b.Next(); got != want {
					t.Fatalf("delay %d = %v, want %v", i+1, got, want)
				}
			}
			if b.Retries() != len(tt.want) {
				t.Errorf("Retries = %d, want %d", b.Retries(), len(tt.want))
			}
		})
	}
}

const math64max = 1<<63 - 1

func TestNewRejects(t *testing.T) {
	for name, p := range map[string]Policy{
		"cap below first": {Initial: 2 * time.Second, Max: time.Second},
		"factor below 1":  {Factor: 0.5},
		"negative":        {Initial: -time.Second},
		"jitter above 1":  {Jitter: 1.5},
	} {
		if _, err := New(p); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}

func TestLinkLastedResets(t *testing.T) {
	b, err := New(Policy{Max: time.Minute, StableAfter: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	b.Next()
	b.Next() // next would be 4 s
	if b.LinkLasted(29 * time.Second) {
		t.Error("a link up 29 s (< StableAfter) reset the series")
	}
	if got := b.Next(); got != 4*time.Second {
		t.Errorf("after a flap: %v, want 4s", got)
	}
	if !b.LinkLasted(30 * time.Second) {
		t.Error("a link up for StableAfter did not reset the series")
	}
	if got := b.Next(); got != time.Second {
		t.Errorf("after a stable link: %v, want 1s", got)
	}
	if b.Retries() != 1 {
		t.Errorf("Retries after reset and one delay = %d, want 1", b.Retries())
	}
}

// TestWaitOnFakeClock waits the series out on synctest's clock: each Wait
// takes exactly its delay, growing then capped, and a reset starts over.
func TestWaitOnFakeClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, err := New(Policy{Max: 16 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		want := []time.Duration{1, 2, 4, 8, 16, 16, 16}
		for i, w := range want {
			start := time.Now()
			if err := b.Wait(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got := time.Since(start); got != w*time.Second {
				t.Fatalf("wait %d took %v, want %v", i+1, got, w*time.Second)
			}
		}
		b.Reset()
		start := time.Now()
		if err := b.Wait(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got != time.Second {
			t.Errorf("wait after Reset took %v, want 1s", got)
		}
	})
}

// TestWaitCancels: a cancel during a long wait returns at once with the
// context's error, not when the timer would have fired.
func TestWaitCancels(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, err := New(Policy{Initial: time.Hour, Max: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		start := time.Now()
		go func() { done <- b.Wait(ctx) }()
		time.Sleep(3 * time.Second) // fake clock: the waiter is parked on its timer
		synctest.Wait()
		select {
		case err := <-done:
			t.Fatalf("Wait returned %v before cancel", err)
		default:
		}
		cancel()
		err = <-done
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if got := time.Since(start); got != 3*time.Second {
			t.Errorf("Wait returned after %v, want at the cancel (3s)", got)
		}
	})
}

func TestWaitDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, err := New(Policy{Initial: time.Minute, Max: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		start := time.Now()
		if err := b.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want DeadlineExceeded", err)
		}
		if got := time.Since(start); got != 10*time.Second {
			t.Errorf("returned after %v, want at the deadline (10s)", got)
		}
		// An already-done context does not consume a delay.
		before := b.Retries()
		if err := b.Wait(ctx); err == nil {
			t.Error("Wait on a done context returned nil")
		}
		if b.Retries() != before {
			t.Error("Wait on a done context advanced the series")
		}
	})
}

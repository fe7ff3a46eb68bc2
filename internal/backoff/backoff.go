// Package backoff spaces the supervisor's redials: the first retry comes
// about a second after a failure, each further one waits twice as long, up to
// a cap taken from the profile, and a link that stayed up long enough starts
// the series again.
//
// Why: a dongle that drops its link usually comes back at once (a hang-up,
// a cell change), so the first retry must be quick; one that keeps failing
// (no coverage, a network that refuses the APN) must not be hammered, and a
// locked SIM is never retried at all (the supervisor stops, this package is
// not consulted).
//
//	failure  1 → wait 1 s
//	failure  2 → wait 2 s
//	failure  3 → wait 4 s
//	…          → wait Max
//	link up for ≥ StableAfter, then drops → wait 1 s again
//
// Jitter, when asked for, only shortens a delay (by up to Jitter × delay), so
// the cap holds and a fleet restarted together spreads out. Its random source
// is a parameter: tests and callers that want reproducibility pass their own.
package backoff

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// Defaults used for zero fields of a Policy.
const (
	DefaultInitial     = time.Second
	DefaultFactor      = 2.0
	DefaultMax         = 5 * time.Minute
	DefaultStableAfter = time.Minute
)

// ErrInvalid is matched by errors from New for a policy that makes no sense.
var ErrInvalid = errors.New("backoff: invalid policy")

// Policy says how delays grow. A zero field takes its default.
type Policy struct {
	Initial     time.Duration // first delay; default 1 s
	Factor      float64       // growth per failure, ≥ 1; default 2
	Max         time.Duration // the cap (the profile's); default 5 min
	StableAfter time.Duration // a link up at least this long resets the series; default 1 min

	// Jitter in [0, 1] shortens each delay by up to Jitter × delay, drawn
	// from Rand, which returns values in [0, 1). No jitter if Rand is nil or
	// Jitter is 0.
	Jitter float64
	Rand   func() float64
}

// Backoff is one supervisor's series of delays. It is owned by one
// goroutine (the supervisor's loop) and is not safe for concurrent use.
type Backoff struct {
	p       Policy
	next    time.Duration // the undithered delay the next failure waits
	retries int           // delays handed out since the last reset
}

// New returns a Backoff for p, with defaults filled in.
func New(p Policy) (*Backoff, error) {
	if p.Initial == 0 {
		p.Initial = DefaultInitial
	}
	if p.Factor == 0 {
		p.Factor = DefaultFactor
	}
	if p.Max == 0 {
		p.Max = DefaultMax
	}
	if p.StableAfter == 0 {
		p.StableAfter = DefaultStableAfter
	}
	switch {
	case p.Initial < 0, p.Max < 0, p.StableAfter < 0:
		return nil, fmt.Errorf("%w: negative duration", ErrInvalid)
	case p.Factor < 1 || math.IsNaN(p.Factor) || math.IsInf(p.Factor, 0):
		return nil, fmt.Errorf("%w: factor %v is not ≥ 1", ErrInvalid, p.Factor)
	case p.Max < p.Initial:
		return nil, fmt.Errorf("%w: cap %v is below the first delay %v", ErrInvalid, p.Max, p.Initial)
	case p.Jitter < 0 || p.Jitter > 1 || math.IsNaN(p.Jitter):
		return nil, fmt.Errorf("%w: jitter %v is outside [0, 1]", ErrInvalid, p.Jitter)
	}
	return &Backoff{p: p, next: p.Initial}, nil
}

// Next returns the delay before the next attempt and advances the series.
func (b *Backoff) Next() time.Duration {
	d := b.next
	b.retries++
	grown := float64(b.next) * b.p.Factor
	if grown >= float64(b.p.Max) { // also catches overflow of the int64 conversion
		b.next = b.p.Max
	} else {
		b.next = time.Duration(grown)
	}
	if b.p.Jitter > 0 && b.p.Rand != nil {
		r := b.p.Rand()
		if r < 0 || r >= 1 || math.IsNaN(r) {
			r = 0 // a broken source must not lengthen the wait past the cap
		}
		d -= time.Duration(float64(d) * b.p.Jitter * r)
	}
	return d
}

// Wait waits for the next delay on a timer, or until ctx is done, in which
// case it returns ctx's error at once (errors.Is context.Canceled or
// context.DeadlineExceeded).
func (b *Backoff) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := time.NewTimer(b.Next())
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Reset starts the series again: the next delay is Initial.
func (b *Backoff) Reset() {
	b.next = b.p.Initial
	b.retries = 0
}

// LinkLasted tells the series how long the last link stayed up. A link that
// lasted at least StableAfter resets it and LinkLasted reports true; a link
// that flapped leaves the series growing, so a dongle that connects and
// drops at once is not redialled every second.
func (b *Backoff) LinkLasted(up time.Duration) bool {
	if up < b.p.StableAfter {
		return false
	}
	b.Reset()
	return true
}

// Retries returns how many delays were handed out since the last reset.
func (b *Backoff) Retries() int { return b.retries }

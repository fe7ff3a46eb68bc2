package chat

import (
	"context"
	"errors"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Runner runs scripts on one line. Bytes received after the last match
// stay buffered for the next Run, as they stay unread in chat(8)'s tty.
//
// A Runner runs one script at a time; a second Run waits for the first.
type Runner struct {
	rw   io.ReadWriter
	rd   lineReader
	busy chan struct{} // one slot: held by the running Run; guards pending

	pending []byte // received, not yet consumed; owned by the holder of busy
	readErr error  // a read error seen while writing, for the next expect; owned likewise

	say, echo, report io.Writer
	logf              func(line string)
	secrets           []string
	reportFormat      func(text string) string // chat(8) adds "chat:  <date> "

	closeOnce sync.Once
	stopped   atomic.Bool // set by Close and Release: Run refuses to start
}

// RunnerOption configures a Runner.
type RunnerOption func(*Runner)

// WithSayOutput sets where say steps (chat(8)'s SAY) write; default: nowhere.
func WithSayOutput(w io.Writer) RunnerOption { return func(r *Runner) { r.say = w } }

// WithEchoOutput sets where received bytes go while echo is on (chat(8)'s
// ECHO ON, -e), shown as chat(8) shows them: control characters as ^X,
// CR dropped. Default: nowhere.
func WithEchoOutput(w io.Writer) RunnerOption { return func(r *Runner) { r.echo = w } }

// WithReportOutput sets where report lines go (chat(8)'s REPORT): the
// report string and the rest of its line, one line per report.
func WithReportOutput(w io.Writer) RunnerOption { return func(r *Runner) { r.report = w } }

// WithScriptLog receives the engine's log lines (what chat(8) -v logs:
// "send (AT^M)", "expect (OK)", received lines, "-- got it"), secrets masked.
func WithScriptLog(logf func(line string)) RunnerOption { return func(r *Runner) { r.logf = logf } }

// WithSecrets adds strings that are masked as "****" in every log line,
// echo and report, on top of each Script's Secrets.
func WithSecrets(secrets ...string) RunnerOption {
	return func(r *Runner) { r.secrets = append(r.secrets, secrets...) }
}

// NewRunner returns a Runner on rw. See lineReader for how it reads: a line
// with SetReadDeadline is read without any goroutine; any other line gets
// one read-ahead goroutine, which Close ends.
func NewRunner(rw io.ReadWriter, opts ...RunnerOption) *Runner {
	r := &Runner{rw: rw, rd: newLineReader(rw), busy: make(chan struct{}, 1)}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Result is what a successful run learned.
type Result struct {
	// Matched is the alternative that matched in the last expect step.
	Matched string
	// Reports are the report lines gathered (chat(8) REPORT), secrets masked.
	Reports []string
}

// Run runs s until its last step succeeds, a step fails, or ctx ends. The
// error is a *StepError wrapping ErrExpectTimeout, ErrScriptIO, *AbortError,
// *FailError or ctx's error. When ctx ends, any pending read is interrupted
// and Run returns promptly.
func (r *Runner) Run(ctx context.Context, s *Script) (Result, error) {
	select {
	case r.busy <- struct{}{}:
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	defer func() { <-r.busy }()
	if r.stopped.Load() {
		return Result{}, ioError("run", os.ErrClosed)
	}

	st := newRunState(r, s)
	for i := range s.Steps {
		step := &s.Steps[i]
		if err := st.step(ctx, step); err != nil {
			st.finish()
			return st.res, &StepError{Index: i, Kind: step.Kind, Pos: step.Pos, Desc: st.describe(step), Err: err}
		}
	}
	st.finish()
	return st.res, nil
}

// Close stops the Runner. With a deadline-capable line (see NewRunner)
// there is nothing to stop and the line is left open. Otherwise, when the
// read-ahead goroutine was started, Close closes the line if it is an
// io.Closer — the only way to end a Read that would block forever — and
// waits for the goroutine. Close is idempotent; Run fails after it. Use
// Release instead to keep the line open.
func (r *Runner) Close() error {
	r.stopped.Store(true)
	lr, ok := r.rd.(*loopReader)
	if !ok || !lr.started() {
		return nil
	}
	var err error
	r.closeOnce.Do(func() {
		lr.stop()
		if c, ok := r.rw.(io.Closer); ok {
			err = c.Close()
		}
	})
	<-lr.done
	return err
}

// Release stops the read-ahead goroutine without closing the line, so that
// the line can be handed on (to pppd). It returns once the goroutine has
// ended — at once for a deadline-capable line, within one read timeout for
// a serial port that has one — or with ctx's error if the pending Read did
// not return in time (then the goroutine ends when it does).
func (r *Runner) Release(ctx context.Context) error {
	r.stopped.Store(true)
	lr, ok := r.rd.(*loopReader)
	if !ok || !lr.started() {
		return nil
	}
	lr.stop()
	select {
	case <-lr.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// writeDraining writes b while reading whatever the modem says meanwhile
// into pending. A modem that is itself blocked writing (an unbuffered pipe
// such as net.Pipe, a full tty buffer) would otherwise never read our
// bytes. The write runs in its own goroutine and this function waits for
// it — except when ctx ends and the line has no write deadline to cut the
// Write short: then that goroutine ends when Write returns (a serial
// port's Write always does, at the line's speed).
func (r *Runner) writeDraining(ctx context.Context, b []byte, deadline time.Time) error {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	werr := make(chan error, 1)
	go func() {
		defer cancel()
		werr <- r.write(ctx, b, deadline)
	}()
	for r.readErr == nil {
		data, err := r.rd.read(wctx, deadline)
		r.pending = append(r.pending, data...)
		if wctx.Err() != nil {
			break
		}
		if err != nil && !errors.Is(err, errReadDeadline) {
			r.readErr = err // reported by the next expect, as a read would have
		}
	}
	select {
	case err := <-werr:
		return err
	case <-ctx.Done():
		if _, ok := r.rw.(writeDeadliner); ok {
			<-werr
		}
		return ctx.Err()
	}
}

// write writes b under ctx, with a write deadline where the line has one.
func (r *Runner) write(ctx context.Context, b []byte, deadline time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	do := func() error {
		for len(b) > 0 {
			n, err := r.rw.Write(b)
			b = b[n:]
			if err != nil {
				return err
			}
		}
		return nil
	}
	var err error
	if d, ok := r.rw.(writeDeadliner); ok {
		err = withDeadline(ctx, d.SetWriteDeadline, deadline, do)
		if errors.Is(err, os.ErrNoDeadline) {
			err = do()
		}
	} else {
		err = do()
	}
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

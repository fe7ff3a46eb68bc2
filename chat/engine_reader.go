package chat

import (
	"context"
	"errors"
	"io"
	"os"
	"sync"
	"time"
)

// errReadDeadline is the reader's own "deadline passed" signal; the engine
// turns it into ErrExpectTimeout (or a poll interval ending).
var errReadDeadline = errors.New("chat: read deadline")

// lineReader reads the line for the engine. Two implementations exist
// because Go cannot interrupt a blocked Read on an arbitrary io.Reader:
//
//   - deadlineReader, for lines with SetReadDeadline (a pty or pipe opened
//     through os, net.Pipe, net.Conn): reads happen in the caller's
//     goroutine under a deadline, and ctx cancellation moves the deadline to
//     the past. No goroutine exists between reads, so nothing is left behind
//     when Run returns and the line can be handed to pppd untouched.
//   - loopReader, for everything else (a go.bug.st/serial port, a blocking
//     stdin): one goroutine owned by the Runner reads ahead into a channel.
//     Read returning (0, nil) — a serial port's read timeout — just loops.
//     The loop ends when Read fails, or when Runner.Close/Release asks it to
//     and the pending Read returns (Close closes the line to force that).
type lineReader interface {
	// read returns the next bytes received before deadline (a fresh slice),
	// errReadDeadline once the deadline passed, ctx.Err() once ctx ended,
	// or the line's read error.
	read(ctx context.Context, deadline time.Time) ([]byte, error)
}

type readDeadliner interface {
	SetReadDeadline(t time.Time) error
}

type writeDeadliner interface {
	SetWriteDeadline(t time.Time) error
}

// deadlineReader reads in the calling goroutine; see lineReader.
type deadlineReader struct {
	r   io.Reader
	d   readDeadliner
	buf []byte
}

// newLineReader picks the implementation for r. A line whose
// SetReadDeadline fails (os.ErrNoDeadline: a blocking file) gets the loop.
func newLineReader(r io.Reader) lineReader {
	if d, ok := r.(readDeadliner); ok && d.SetReadDeadline(time.Time{}) == nil {
		return &deadlineReader{r: r, d: d, buf: make([]byte, 1024)}
	}
	return &loopReader{r: r, data: make(chan readChunk), quit: make(chan struct{}), done: make(chan struct{})}
}

func (dr *deadlineReader) read(ctx context.Context, deadline time.Time) ([]byte, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !time.Now().Before(deadline) {
			return nil, errReadDeadline
		}
		var n int
		err := withDeadline(ctx, dr.d.SetReadDeadline, deadline, func() error {
			var err error
			n, err = dr.r.Read(dr.buf)
			return err
		})
		if n > 0 {
			return append([]byte(nil), dr.buf[:n]...), nil
		}
		switch {
		case err == nil: // (0, nil): nothing yet
		case errors.Is(err, os.ErrDeadlineExceeded):
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
		default:
			return nil, err
		}
	}
}

// withDeadline runs io under deadline, moving the deadline to the past if
// ctx ends first, and clears the deadline before returning so that none is
// left on a line that is handed on.
func withDeadline(ctx context.Context, set func(time.Time) error, deadline time.Time, io func() error) error {
	if err := set(deadline); err != nil {
		return err
	}
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(fired)
		_ = set(time.Unix(1, 0)) // interrupts the pending Read/Write
	})
	err := io()
	if !stop() {
		<-fired // the AfterFunc ran or is running: let it finish first
	}
	_ = set(time.Time{})
	return err
}

// readChunk is one result of a Read in the loop.
type readChunk struct {
	b   []byte
	err error
}

// loopReader owns one goroutine that reads ahead; see lineReader.
type loopReader struct {
	r     io.Reader
	data  chan readChunk // unbuffered: the loop reads again only once a chunk was taken
	quit  chan struct{}  // closed by stop
	done  chan struct{}  // closed when the loop has returned
	start sync.Once
	halt  sync.Once
	err   error // sticky read error; owned by the goroutine calling read (Run is serialised)
}

func (lr *loopReader) loop() {
	defer close(lr.done)
	buf := make([]byte, 1024)
	for {
		select {
		case <-lr.quit:
			return
		default:
		}
		n, err := lr.r.Read(buf)
		if n > 0 {
			select {
			case lr.data <- readChunk{b: append([]byte(nil), buf[:n]...)}:
			case <-lr.quit:
				return
			}
		}
		if err != nil {
			select {
			case lr.data <- readChunk{err: err}:
			case <-lr.quit:
			}
			return
		}
	}
}

func (lr *loopReader) read(ctx context.Context, deadline time.Time) ([]byte, error) {
	if lr.err != nil {
		return nil, lr.err
	}
	lr.start.Do(func() { go lr.loop() })
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case c := <-lr.data:
		if c.err != nil {
			lr.err = c.err
			return nil, c.err
		}
		return c.b, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, errReadDeadline
	case <-lr.quit:
		return nil, io.ErrClosedPipe
	}
}

// stop asks the loop to end; it does not wait.
func (lr *loopReader) stop() { lr.halt.Do(func() { close(lr.quit) }) }

// started reports whether the loop goroutine was ever started; if not, it
// never will be, and later reads fail as on a closed line.
func (lr *loopReader) started() bool {
	started := true
	lr.start.Do(func() { started = false; lr.stop(); close(lr.done) })
	return started
}

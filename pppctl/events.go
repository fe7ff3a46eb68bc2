package pppctl

import (
	"bufio"
	"github.com/zdial/zdial/internal/printable"
	"strings"
	"sync"
)

// maxLogLine bounds one line of pppd's log as pppctl keeps it; pppd's
// own lines are far shorter, a script writing to the pipe need not be.
const maxLogLine = 4096

// readLog reads pppd's log pipe line by line until EOF (pppd and
// everything that inherited the pipe have exited) or until wait closes
// the pipe. It never blocks on the consumer: pppd is single-threaded, and
// a full log pipe would stall the link itself. A line is cleaned of
// control characters before the password is masked in it, so that no
// control byte inside the password can hide it from the mask.
func (p *Process) readLog(done chan<- struct{}) {
	defer close(done)
	defer p.logR.Close()
	r := bufio.NewReaderSize(p.logR, maxLogLine)
	for {
		line, err := readLine(r)
		if line = strings.TrimRight(line, "\r\n"); line != "" {
			ev := ParseLine(p.mask(printable.Strip(line)))
			p.mu.Lock()
			p.link.Apply(ev)
			p.mu.Unlock()
			if p.onEvent != nil {
				p.queue.push(ev)
			}
		}
		if err != nil {
			return
		}
	}
}

// mask hides the password should it ever appear in a log line. pppd does
// not log it (hide-password is its default and show-password is refused
// in Extra); this is the second fence.
func (p *Process) mask(line string) string { return maskSecret(line, p.secret) }

// deliver calls OnEvent for each queued event, in order, until the queue
// is closed and empty.
func (p *Process) deliver(done chan<- struct{}) {
	defer close(done)
	for {
		ev, ok := p.queue.pop()
		if !ok {
			return
		}
		p.onEvent(ev)
	}
}

// eventQueue is an unbounded FIFO between the log reader (push, close)
// and the delivery goroutine (pop).
type eventQueue struct {
	mu     sync.Mutex // guards items and closed
	items  []Event
	closed bool
	wake   chan struct{} // one slot: "something changed"
}

func (q *eventQueue) init() { q.wake = make(chan struct{}, 1) }

func (q *eventQueue) push(ev Event) {
	q.mu.Lock()
	q.items = append(q.items, ev)
	q.mu.Unlock()
	q.signal()
}

func (q *eventQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
}

func (q *eventQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// pop blocks until an event is queued (true) or the queue is closed and
// drained (false).
func (q *eventQueue) pop() (Event, bool) {
	for {
		q.mu.Lock()
		if len(q.items) > 0 {
			ev := q.items[0]
			q.items[0] = Event{}
			q.items = q.items[1:]
			q.mu.Unlock()
			return ev, true
		}
		closed := q.closed
		q.mu.Unlock()
		if closed {
			return Event{}, false
		}
		<-q.wake
	}
}

// readLine returns the next line with its end, or the first
// maxLogLine bytes of a longer one, whose rest it reads and drops.
func readLine(r *bufio.Reader) (string, error) {
	b, err := r.ReadSlice('\n')
	line := string(b)
	for err == bufio.ErrBufferFull {
		_, err = r.ReadSlice('\n')
	}
	return line, err
}

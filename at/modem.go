package at

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Modem runs AT commands over one io.ReadWriter, one command at a time.
//
// Goroutines: New starts exactly three. The reader owns rw.Read and the
// framer and routes every line; the writer owns rw.Write, so that a write
// blocked by flow control can be abandoned when its ctx ends; the dispatcher
// calls subscribers in arrival order. Close stops all three and waits.
//
// Draining: when a command's ctx ends before its final result, the command
// returns ctx.Err() and the modem still owes that result. Lines that arrive
// while results are owed are dropped (URCs still go to subscribers), and so
// are as many final results as are owed. The next command first waits,
// within its own ctx, for them, but no longer than the drain window
// (WithDrainWindow) counted from when the last owing command was abandoned;
// then it sends. So a late reply never completes the next command, unless
// it comes later than the drain window, when the modem has most likely
// dropped the command altogether. With echo on, the next command need not
// wait: it is sent at once, and what arrives before its own echo is taken
// for the earlier commands' answers. A NoDrain probe does not wait either.
// The details, and why a probe may take a late answer, are in drain.go. A
// command whose answer passes the response limit (WithResponseLimit) fails
// at once with ErrResponseTooLarge and is then drained the same way.
type Modem struct {
	rw  io.ReadWriter
	tr  *tracer // nil without WithTrace/WithLogger
	cfg config

	slot       chan struct{} // one-slot semaphore: held by the running command
	writes     chan writeReq // to the writer goroutine
	done       chan struct{} // closed by Close
	readerDone chan struct{} // closed when the reader goroutine returns
	urcReady   chan struct{} // one-slot wake-up for the dispatcher
	wg         sync.WaitGroup
	closeOnce  sync.Once
	closeErr   error

	mu         sync.Mutex // guards every field below; held by the reader while routing a line
	cs         callState
	active     *call           // the running command, nil between commands
	owed       int             // final results owed by abandoned commands (drain.go)
	owedWires  map[string]bool // the command lines that owe them, upper case
	staleUntil time.Time       // when the engine stops waiting for them
	staleCh    chan struct{}   // closed when owed drops to 0
	gateUntil  time.Time       // a gated command trusts only post-echo finals until then
	echoOn     bool            // the last completed command's echo was seen
	closing    bool            // Close was called: a Read error now means ErrClosed
	err        error           // why the reader stopped: ErrClosed, ErrHangup or ErrDataMode
	rate       string          // CONNECT rate once in data mode
	leftover   []byte          // bytes read after the CONNECT line
	urcq       []string        // URCs not yet dispatched, at most maxURCQueue
	urcDropped uint64          // URCs dropped because the queue was full
	owedSecret []string        // secrets of the commands that owe results (secret.go)
	subs       []subscriber    // in subscription order
	nextSub    int
}

type subscriber struct {
	id int
	fn func(string)
}

// call is one command in flight. The command goroutine owns it; the reader
// touches info and infoBytes only under Modem.mu, and sends the result on
// the one-slot done channel exactly once.
type call struct {
	wire       string   // "AT+CSQ"
	display    string   // wire with secrets masked
	secrets    []string // secret values in wire, redacted from what the modem sends
	names      []string
	secret     bool
	dial       bool // Dial: the answer must be CONNECT
	body       string
	wantPrompt bool
	noDrain    bool // NoDrain: send even while results are owed
	gated      bool // sent while results were owed, echo on: see drain.go
	info       []string
	infoBytes  int
	prompt     chan struct{} // one-slot: the reader saw "> "
	done       chan callResult
}

type callResult struct {
	info []string
	fin  finalResult
	err  error // terminal error or ErrResponseTooLarge, instead of fin
}

type writeReq struct {
	p    []byte
	done chan error
}

// New starts the engine on rw. If rw is an io.Closer, Close closes it; that
// is also how Close stops a reader blocked in Read, so pass the port itself.
// A Read returning (0, nil), as go.bug.st/serial does on its read timeout,
// means "no data yet".
func New(rw io.ReadWriter, opts ...Option) *Modem {
	m := &Modem{
		rw:         rw,
		slot:       make(chan struct{}, 1),
		writes:     make(chan writeReq),
		done:       make(chan struct{}),
		readerDone: make(chan struct{}),
		urcReady:   make(chan struct{}, 1),
	}
	m.cfg.drain = DefaultDrainWindow
	m.cfg.maxLines, m.cfg.maxBytes = DefaultMaxResponseLines, DefaultMaxResponseBytes
	for _, o := range opts {
		o(&m.cfg)
	}
	if m.cfg.trace != nil || m.cfg.log != nil {
		m.tr = &tracer{w: m.cfg.trace, log: m.cfg.log}
	}
	m.wg.Add(3)
	go m.readLoop()
	go m.writeLoop()
	go m.dispatchLoop()
	return m
}

// Command sends "AT"+cmd+CR and returns the information lines of the reply.
// cmd may omit or include the leading "AT" ("+CSQ" and "AT+CSQ" are the
// same; "" sends a bare AT). Errors are wrapped in *CommandError: the final
// result (ErrError, *CMEError, ...), ctx.Err(), ErrClosed, ErrHangup,
// ErrDataMode or ErrResponseTooLarge. A CONNECT answer counts as success
// and leaves the line in data mode (use Dial to get the rate).
func (m *Modem) Command(ctx context.Context, cmd string, opts ...CallOption) ([]string, error) {
	r, err := m.run(ctx, cmd, false, opts)
	return r.info, err
}

// Dial sends "AT"+dial (e.g. "D*99#" or "D*99***1#") and returns the rate
// of its CONNECT result ("" for a bare CONNECT). After CONNECT the reader
// stops reading, so the line can be handed to pppd; bytes that arrived in
// the same read after the CONNECT line are in Leftover. NO CARRIER, BUSY,
// NO ANSWER and NO DIALTONE come back as their sentinels.
func (m *Modem) Dial(ctx context.Context, dial string, opts ...CallOption) (string, error) {
	r, err := m.run(ctx, dial, true, opts)
	if err != nil {
		return "", err
	}
	return r.fin.rate, nil
}

func stripAT(cmd string) string {
	if len(cmd) >= 2 && strings.EqualFold(cmd[:2], "AT") {
		return cmd[2:]
	}
	return cmd
}

func (m *Modem) run(ctx context.Context, cmd string, dial bool, opts []CallOption) (callResult, error) {
	c := &call{wire: "AT" + stripAT(cmd), dial: dial, prompt: make(chan struct{}, 1), done: make(chan callResult, 1)}
	for _, o := range opts {
		o(c)
	}
	c.names = commandNames(c.wire)
	c.display = maskLine(c.wire, c.secret)
	c.secrets = secretsOf(c.wire, c.secret)
	fail := func(err error) (callResult, error) {
		return callResult{}, c.wrap(err)
	}

	if strings.ContainsAny(c.wire, "\r\n") {
		// A CR would end the command early and start another one unasked.
		return fail(errors.New("at: command contains CR or LF"))
	}

	select {
	case m.slot <- struct{}{}:
	case <-ctx.Done():
		return fail(ctx.Err())
	case <-m.done:
		return fail(ErrClosed)
	}
	defer func() { <-m.slot }()

	if !c.noDrain {
		if err := m.waitStale(ctx, c); err != nil {
			return fail(err)
		}
	}
	m.mu.Lock()
	if m.err != nil {
		err := m.err
		m.mu.Unlock()
		return fail(err)
	}
	m.active = c
	m.cs = callState{active: true, echo: c.wire, names: c.names, gated: c.gated}
	m.mu.Unlock()

	m.tr.line('>', c.display)
	if err := m.write(ctx, c.wire+"\r"); err != nil {
		if r, ok := m.abandon(c); ok {
			return m.result(c, r)
		}
		return fail(err)
	}
	for {
		select {
		case r := <-c.done:
			return m.result(c, r)
		case <-c.prompt:
			if c.secret {
				m.tr.line('>', mask)
			} else {
				m.tr.line('>', c.body)
			}
			if err := m.write(ctx, c.body+"\x1a"); err != nil {
				if r, ok := m.abandon(c); ok {
					return m.result(c, r)
				}
				return fail(err)
			}
		case <-ctx.Done():
			if r, ok := m.abandon(c); ok {
				return m.result(c, r)
			}
			return fail(ctx.Err())
		case <-m.done:
			if r, ok := m.abandon(c); ok {
				return m.result(c, r)
			}
			return fail(ErrClosed)
		}
	}
}

// result turns what the reader delivered into the command's return values.
func (m *Modem) result(c *call, r callResult) (callResult, error) {
	err := r.err
	if err == nil {
		err = r.fin.err
	}
	if err == nil && c.dial && !r.fin.connect {
		err = &ProtocolError{Line: "OK", Reason: "dial answered OK, not CONNECT"}
	}
	if err != nil {
		return r, c.wrap(err)
	}
	return r, nil
}

// wrap is the one way an error leaves a command: as a *CommandError naming
// the command masked, with the command's secrets redacted from err.
func (c *call) wrap(err error) error {
	return &CommandError{Cmd: c.display, Err: redactErr(err, c.secrets)}
}

// write hands p to the writer goroutine and waits for it within ctx.
func (m *Modem) write(ctx context.Context, p string) error {
	req := writeReq{p: []byte(p), done: make(chan error, 1)}
	select {
	case m.writes <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-m.done:
		return ErrClosed
	}
	select {
	case err := <-req.done:
		if err == nil {
			return nil
		}
		m.mu.Lock()
		closing := m.closing
		m.mu.Unlock()
		if closing {
			return ErrClosed
		}
		return fmt.Errorf("%w (write: %v)", ErrHangup, err)
	case <-ctx.Done():
		return ctx.Err()
	case <-m.done:
		return ErrClosed
	}
}

func (m *Modem) writeLoop() {
	defer m.wg.Done()
	for {
		select {
		case req := <-m.writes:
			_, err := m.rw.Write(req.p)
			req.done <- err
		case <-m.done:
			return
		}
	}
}

// Subscribe registers fn for unsolicited lines. All subscribers run on one
// dispatcher goroutine, one line at a time in arrival order; a slow fn
// delays the URCs behind it (never the commands), and when more than 256
// wait, the oldest are dropped (DroppedURCs counts them). The returned function
// unsubscribes; a call of fn already under way still completes.
func (m *Modem) Subscribe(fn func(line string)) (unsubscribe func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id := m.nextSub
	m.nextSub++
	m.subs = append(m.subs, subscriber{id: id, fn: fn})
	return func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		for i, s := range m.subs {
			if s.id == id {
				m.subs = append(m.subs[:i:i], m.subs[i+1:]...)
				return
			}
		}
	}
}

// queueURCLocked hands line to the dispatcher. The queue is bounded: a
// modem that sends URCs faster than the subscribers take them loses the
// oldest (counted in DroppedURCs), and the reader never waits for a
// subscriber.
func (m *Modem) queueURCLocked(line string) {
	if len(m.urcq) >= maxURCQueue {
		m.urcq[0] = ""
		m.urcq = m.urcq[1:]
		m.urcDropped++
		m.tr.dropped("urc", "unsolicited line dropped: the subscribers are behind")
	}
	m.urcq = append(m.urcq, line)
	select {
	case m.urcReady <- struct{}{}:
	default:
	}
}

// DroppedURCs returns how many unsolicited lines were dropped because the
// subscribers did not keep up (see Subscribe).
func (m *Modem) DroppedURCs() uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.urcDropped
}

func (m *Modem) dispatchLoop() {
	defer m.wg.Done()
	for {
		select {
		case <-m.urcReady:
		case <-m.done:
			return
		}
		for {
			m.mu.Lock()
			if len(m.urcq) == 0 {
				m.mu.Unlock()
				break
			}
			line := m.urcq[0]
			m.urcq[0] = ""
			m.urcq = m.urcq[1:]
			subs := m.subs
			m.mu.Unlock()
			for _, s := range subs {
				s.fn(line)
			}
		}
	}
}

// Done is closed when the reader stops: on Close, hang-up or CONNECT.
// Err then says which.
func (m *Modem) Done() <-chan struct{} { return m.readerDone }

// Err returns nil while the engine reads, else ErrClosed, ErrHangup
// (wrapped with the cause) or ErrDataMode.
func (m *Modem) Err() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.err
}

// Leftover returns the bytes that arrived after the CONNECT line in the
// same read; they belong to whoever takes over the line (pppd).
func (m *Modem) Leftover() []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]byte(nil), m.leftover...)
}

// Release stops the engine's goroutines without closing rw, so the open line
// can be handed to pppd after Dial. It works only once the reader has
// stopped (data mode or hang-up): a reader blocked in Read can only be
// stopped by closing rw, which is Close's job.
func (m *Modem) Release() error {
	// Dial returns as soon as the reader has routed CONNECT, which it does
	// holding mu; the reader then returns without another Read. So once mu
	// shows data mode, readerDone is about to close: wait for it.
	m.mu.Lock()
	dataMode := m.err == ErrDataMode
	m.mu.Unlock()
	if dataMode {
		<-m.readerDone
	}
	select {
	case <-m.readerDone:
	default:
		return errors.New("at: Release before CONNECT: the reader still owns the line")
	}
	m.closeOnce.Do(func() {
		m.mu.Lock()
		m.closing = true
		m.mu.Unlock()
		close(m.done)
	})
	m.wg.Wait()
	return nil
}

// Close stops the engine, closes rw if it is an io.Closer, and waits for the
// engine's goroutines. A running command returns ErrClosed; URCs not yet
// dispatched are dropped. Close is idempotent; later calls return the first
// call's error. If rw is not an io.Closer, Close waits until Read returns.
func (m *Modem) Close() error {
	m.closeOnce.Do(func() {
		m.mu.Lock()
		m.closing = true
		m.mu.Unlock()
		close(m.done)
		if c, ok := m.rw.(io.Closer); ok {
			m.closeErr = c.Close()
		}
	})
	m.wg.Wait()
	return m.closeErr
}

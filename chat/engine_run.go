package chat

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// runState is the state of one Run: what chat(8) keeps in globals. It is
// owned by the goroutine calling Run.
type runState struct {
	r       *Runner
	s       *Script
	timeout time.Duration
	aborts  []string
	reports []string // a report string fires once: it is then set to ""
	echo    bool
	hangup  bool
	lineErr error // the line ended while hangup was off: wait out timeouts
	secrets []string

	gathering bool   // a report string matched; collecting its line
	reportWin []byte // recent received bytes, to find report strings
	reportBuf []byte // the report being gathered
	echoLine  []byte // received bytes not yet echoed (echo is per line, to mask secrets)
	logLine   []byte // received bytes not yet logged
	res       Result
}

func newRunState(r *Runner, s *Script) *runState {
	st := &runState{r: r, s: s, timeout: s.Timeout, hangup: true}
	if st.timeout <= 0 {
		st.timeout = DefaultStepTimeout
	}
	for _, sec := range append(append([]string(nil), r.secrets...), s.Secrets...) {
		if sec != "" {
			st.secrets = append(st.secrets, sec)
		}
	}
	return st
}

// finish flushes a half-gathered report and a half-echoed line, as chat(8)
// does when it terminates. A report gets the rest of its line from bytes
// already received (peeked: they stay for the next reader), so REPORT
// CONNECT with a final CONNECT expect still shows the rate.
func (st *runState) finish() {
	if st.gathering {
		for _, c := range st.r.pending {
			if st.s.SevenBit {
				c &= 0x7f
			}
			if c < 0x20 || c == 0x7f {
				break
			}
			st.reportBuf = append(st.reportBuf, c)
		}
		st.emitReport()
	}
	if len(st.echoLine) > 0 {
		st.flushEcho()
	}
}

// mask hides every secret in s.
func (st *runState) mask(s string) string { return maskSecrets(s, st.secrets) }

// maskSecrets replaces every non-empty secret in s with "****": the one
// masking of chat's log lines, echo, reports and chat(8)'s log.
func maskSecrets(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "****")
		}
	}
	return s
}

func (st *runState) logf(format string, args ...any) {
	if st.r.logf != nil {
		st.r.logf(st.mask(fmt.Sprintf(format, args...)))
	}
}

func (st *runState) step(ctx context.Context, step *Step) error {
	switch step.Kind {
	case StepExpect:
		return st.expectStep(ctx, step)
	case StepSend:
		return st.send(ctx, step.Send)
	case StepWaitUntil:
		return st.waitUntil(ctx, &step.WaitUntil)
	case StepAbort:
		st.aborts = append(st.aborts, step.Text)
		st.logf("abort on (%s)", visible(step.Text))
	case StepClearAbort:
		st.aborts = removeAll(st.aborts, step.Text)
		st.logf("clear abort on (%s)", visible(step.Text))
	case StepReport:
		st.reports = append(st.reports, step.Text)
		st.logf("report (%s)", visible(step.Text))
	case StepClearReport:
		st.reports = removeAll(st.reports, step.Text)
		st.logf("clear report (%s)", visible(step.Text))
	case StepSetTimeout:
		st.timeout = step.Duration
		if st.timeout <= 0 {
			st.timeout = DefaultStepTimeout
		}
		st.logf("timeout set to %s", st.timeout)
	case StepSay:
		if st.r.say != nil {
			if _, err := io.WriteString(st.r.say, st.mask(step.Text)); err != nil {
				return fmt.Errorf("chat: say: %w", err)
			}
		}
	case StepEcho:
		st.echo = step.On
	case StepHangup:
		st.hangup = step.On
	case StepSleep:
		return sleepUntil(ctx, time.Now().Add(step.Duration))
	default:
		return fmt.Errorf("chat: unknown step kind %v", step.Kind)
	}
	return nil
}

// removeAll drops every element equal to s, keeping the order (chat(8)
// packs its array the same way, so later abort indexes move down).
func removeAll(list []string, s string) []string {
	out := list[:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func (st *runState) expectStep(ctx context.Context, step *Step) error {
	e := &step.Expect
	timeout := e.Timeout
	if timeout <= 0 {
		timeout = st.timeout
	}
	var err error
	for attempt := 0; attempt <= e.Retries; attempt++ {
		if !step.Send.empty() {
			if err := st.send(ctx, step.Send); err != nil {
				return err
			}
		}
		if err = st.expectAlts(ctx, e.Alts, time.Now().Add(timeout)); !errors.Is(err, ErrExpectTimeout) {
			return err
		}
	}
	for _, fb := range e.Fallbacks {
		if err := st.send(ctx, fb.Send); err != nil {
			return err
		}
		if err = st.expectAlts(ctx, fb.Alts, time.Now().Add(timeout)); !errors.Is(err, ErrExpectTimeout) {
			return err
		}
	}
	st.logf("Failed")
	return err
}

// expectAlts waits for one of alts until deadline, then sends the winner's
// Then. No alternatives: success at once.
func (st *runState) expectAlts(ctx context.Context, alts []Alt, deadline time.Time) error {
	if len(alts) == 0 {
		st.logf("expect ('') -- got it")
		return nil
	}
	names := make([]string, len(alts))
	for i, a := range alts {
		names[i] = visible(a.String())
	}
	st.logf("expect (%s)", strings.Join(names, " | "))
	i, err := st.await(ctx, alts, deadline)
	if err != nil {
		return err
	}
	if !alts[i].Then.empty() {
		return st.send(ctx, alts[i].Then)
	}
	return nil
}

// await reads until an alternative matches (its index), an abort string
// arrives, the deadline passes or ctx ends.
func (st *runState) await(ctx context.Context, alts []Alt, deadline time.Time) (int, error) {
	m := newMatcher(alts, st.aborts)
	r := st.r
	for {
		for n, c := range r.pending {
			if st.s.SevenBit {
				c &= 0x7f
			}
			st.received(c)
			ev := m.feed(c)
			if ev.kind == matchNone {
				continue
			}
			r.pending = r.pending[:copy(r.pending, r.pending[n+1:])]
			st.flushLog()
			switch ev.kind {
			case matchAlt:
				st.logf(" -- got it")
				a := alts[ev.index]
				st.res.Matched = st.mask(ev.text)
				if a.Fail != "" {
					return ev.index, &FailError{Message: a.Fail, Got: st.mask(ev.text)}
				}
				return ev.index, nil
			default:
				st.logf(" -- failed")
				return -1, &AbortError{Index: ev.index, Text: ev.text}
			}
		}
		r.pending = r.pending[:0]

		if st.lineErr != nil { // hangup off and the line ended: only the timeout can end this
			if err := sleepUntil(ctx, deadline); err != nil {
				return -1, err
			}
			st.flushLog()
			st.logf("alarm")
			return -1, ErrExpectTimeout
		}
		var b []byte
		var err error
		if r.readErr != nil {
			err, r.readErr = r.readErr, nil
		} else {
			b, err = r.rd.read(ctx, deadline)
		}
		switch {
		case err == nil:
			r.pending = append(r.pending, b...)
		case errors.Is(err, errReadDeadline):
			st.flushLog()
			st.logf("alarm")
			return -1, ErrExpectTimeout
		case ctx.Err() != nil:
			return -1, ctx.Err()
		case !st.hangup:
			st.logf("hangup ignored: %v", err)
			st.lineErr = err
		default:
			return -1, ioError("read", err)
		}
	}
}

// received handles one received byte for echo, the log and reports.
func (st *runState) received(c byte) {
	if st.echo && st.r.echo != nil {
		st.echoLine = append(st.echoLine, c)
		if c == '\n' {
			st.flushEcho()
		} else if len(st.echoLine) >= maxEchoChunk {
			st.echoLine = st.flushChunk(st.echoLine, st.writeEcho)
		}
	}
	if c == '\n' {
		st.flushLog()
	} else {
		st.logLine = append(st.logLine, c)
		if len(st.logLine) >= logChunk {
			st.logLine = st.flushChunk(st.logLine, func(b []byte) { st.logf("%s", visible(string(b))) })
		}
	}
	st.gatherReport(c)
}

// logChunk is how many bytes of a line without a line end the script log
// shows at a time (chat(8) logs long lines in pieces too); maxEchoChunk is
// the same for echo. Both bound what a modem that never ends a line can
// make zdial hold.
const (
	logChunk     = 80
	maxEchoChunk = 1024
)

// flushChunk hands buf to emit except its longest tail that could be the
// start of a secret, and returns that tail (reusing buf's memory). A
// secret that arrives split across two chunks is so masked whole: it is
// never emitted in two halves that the mask cannot recognise.
func (st *runState) flushChunk(buf []byte, emit func([]byte)) []byte {
	n := len(buf) - secretPrefixTail(buf, st.secrets)
	if n > 0 {
		emit(buf[:n])
	}
	return buf[:copy(buf, buf[n:])]
}

// secretPrefixTail is the length of the longest suffix of b that is a
// proper prefix of a secret: the bytes that might be a secret's beginning.
func secretPrefixTail(b []byte, secrets []string) int {
	best := 0
	for _, sec := range secrets {
		for k := min(len(sec)-1, len(b)); k > best; k-- {
			if string(b[len(b)-k:]) == sec[:k] {
				best = k
				break
			}
		}
	}
	return best
}

func (st *runState) flushEcho() {
	st.writeEcho(st.echoLine)
	st.echoLine = st.echoLine[:0]
}

// writeEcho echoes received bytes, secrets masked, control characters
// made visible, and ends the echoed line.
func (st *runState) writeEcho(raw []byte) {
	line := st.mask(string(raw))
	var b strings.Builder
	for i := 0; i < len(line); i++ {
		switch c := line[i]; c {
		case '\r', '\n':
		default:
			b.WriteString(visibleByte(c))
		}
	}
	b.WriteByte('\n')
	_, _ = io.WriteString(st.r.echo, b.String())
}

func (st *runState) flushLog() {
	if len(st.logLine) > 0 {
		st.logf("%s", visible(string(st.logLine)))
		st.logLine = st.logLine[:0]
	}
}

// gatherReport follows chat(8): once a report string has arrived, the
// printable bytes after it are added until a control character ends the
// report. Each report string fires once per run.
func (st *runState) gatherReport(c byte) {
	if st.gathering {
		if c < 0x20 || c == 0x7f || len(st.reportBuf) >= maxReport {
			st.emitReport()
			return
		}
		st.reportBuf = append(st.reportBuf, c)
		return
	}
	st.reportWin = append(st.reportWin, c)
	if len(st.reportWin) > reportWindow {
		st.reportWin = st.reportWin[len(st.reportWin)-reportWindow/2:]
	}
	for i, rs := range st.reports {
		if rs != "" && strings.HasSuffix(string(st.reportWin), rs) {
			st.reports[i] = ""
			st.gathering = true
			st.reportBuf = append(st.reportBuf[:0], rs...)
			st.reportWin = st.reportWin[:0]
			return
		}
	}
}

func (st *runState) emitReport() {
	text := st.mask(string(st.reportBuf))
	st.gathering = false
	st.reportBuf = st.reportBuf[:0]
	st.res.Reports = append(st.res.Reports, text)
	if st.r.report != nil {
		line := text
		if st.r.reportFormat != nil {
			line = st.r.reportFormat(text)
		}
		_, _ = io.WriteString(st.r.report, line+"\n")
	}
}

func (st *runState) send(ctx context.Context, s Send) error {
	if s.Secret || st.containsSecret(s) {
		st.logf("send (****)")
	} else {
		st.logf("send (%s)", visible(string(s.Bytes())))
	}
	deadline := time.Now().Add(st.timeout)
	for _, p := range s.Parts {
		switch {
		case p.Pause > 0:
			if err := sleepUntil(ctx, time.Now().Add(p.Pause)); err != nil {
				return err
			}
		case p.Break:
			if b, ok := st.r.rw.(breaker); ok {
				if err := b.Break(breakLength); err != nil {
					return ioError("break", err)
				}
			}
		default:
			if err := st.r.writeDraining(ctx, p.Data, deadline); err != nil {
				if ctx.Err() != nil {
					return err
				}
				return ioError("write", err)
			}
		}
	}
	return nil
}

func (st *runState) containsSecret(s Send) bool {
	b := string(s.Bytes())
	for _, sec := range st.secrets {
		if strings.Contains(b, sec) {
			return true
		}
	}
	return false
}

// breaker is a line that can send a serial break (go.bug.st/serial.Port).
type breaker interface {
	Break(time.Duration) error
}

// breakLength is a serial break as tcsendbreak(fd, 0) sends it: 0.25–0.5 s.
const breakLength = 250 * time.Millisecond

// reportWindow bounds the bytes kept to find report strings.
const reportWindow = 2048

// maxReport bounds a gathered report: chat(8) stops at a control
// character, which a hostile modem need never send.
const maxReport = 256

func (st *runState) waitUntil(ctx context.Context, w *WaitUntil) error {
	timeout, every := w.Timeout, w.Every
	if timeout <= 0 {
		timeout = st.timeout
	}
	if every <= 0 {
		every = time.Second
	}
	alts := []Alt{{Regexp: w.Match}}
	if w.Fail != nil {
		alts = append(alts, Alt{Regexp: w.Fail, Fail: "wait_until: the answer matched the failure pattern"})
	}
	deadline := time.Now().Add(timeout)
	for {
		if err := st.send(ctx, w.Send); err != nil {
			return err
		}
		poll := time.Now().Add(every)
		if poll.After(deadline) {
			poll = deadline
		}
		err := st.expectAlts(ctx, alts, poll)
		if !errors.Is(err, ErrExpectTimeout) {
			return err
		}
		if !time.Now().Before(deadline) {
			return err
		}
	}
}

func (st *runState) describe(step *Step) string {
	switch step.Kind {
	case StepExpect:
		var alts []string
		for _, a := range step.Expect.Alts {
			alts = append(alts, fmt.Sprintf("%q", st.mask(a.String())))
		}
		d := "expect " + strings.Join(alts, " or ")
		if !step.Send.empty() {
			d = "send " + st.sendDesc(step.Send) + ", " + d
		}
		return d
	case StepSend:
		return "send " + st.sendDesc(step.Send)
	case StepWaitUntil:
		return fmt.Sprintf("wait_until %s matches /%s/", st.sendDesc(step.WaitUntil.Send), step.WaitUntil.Match)
	}
	return step.Kind.String()
}

func (st *runState) sendDesc(s Send) string {
	if s.Secret || st.containsSecret(s) {
		return `"****"`
	}
	return fmt.Sprintf("%q", strings.TrimSuffix(string(s.Bytes()), "\r"))
}

// sleepUntil waits until t or until ctx ends (then returns ctx.Err()): a
// timer, not time.Sleep, so that a cancelled run stops at once and
// synctest tests advance fake time.
func sleepUntil(ctx context.Context, t time.Time) error {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

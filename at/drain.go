package at

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Draining: the bookkeeping for final results the modem still owes.
//
// A command whose ctx ends before its final result is abandoned, but the
// modem may still answer it. Modems answer command lines in the order they
// read them, so the engine counts the final results still owed (Modem.owed)
// and drops that many before a later command may be answered:
//
//	> AT+COPS=?                 (ctx ends: abandoned, owed 1, deadline now+window)
//	> AT+CSQ                    (held: the next command waits for the late answer)
//	< +COPS: (2,"3 UK",...)     stale information: dropped
//	< OK                        the late final result: dropped, owed 0
//	> AT+CSQ                    now sent, and answered by its own OK
//
// The wait is bounded by the drain window, measured from the moment the
// last owing command was abandoned (Modem.staleUntil) — not afresh for every
// later command, so a caller that retries every second is held back at most
// once, by what is left of the window. When the window passes the engine
// assumes the modem dropped those commands (a port that lost the bytes, a
// modem that was still booting) and forgets them; an answer that comes even
// later can then complete the wrong command, which is the price of not
// waiting forever.
//
// With echo on there is a better way than waiting. A modem handles one
// command line at a time: it echoes a line as it reads it, and reads the
// next only after answering the previous (the engine relies on this; every
// modem we know behaves so). So every answer owed by an earlier command
// comes before the next command's echo, and none after it. When the last
// command's echo was seen (Modem.echoOn) and the new command's line differs
// from the owing ones, the new command is sent at once, "gated": until its
// echo, final results and information are the earlier commands' and are
// dropped; its echo proves the earlier commands done, and nothing is owed
// any more (those the modem dropped included):
//
//	> AT                        (lost while the port was closed: owed 1)
//	> AT                        (NoDrain probe)          < AT  < OK
//	> ATZ                       (gated: sent at once, not after the window)
//	< AT  < OK                  the lost AT, had the modem only been slow: dropped
//	< ATZ                       ATZ's echo: everything before it is done, owed 0
//	< OK                        ATZ's own answer
//
// The gate lasts no longer than the drain window. Its risk is a modem that
// stops echoing unseen: the gated command's own answer, arriving without an
// echo, would be taken for an owed one and the command would run into its
// ctx. So a command that may turn echo off (E0, and Z and &F, which load a
// stored profile) leaves echo "unknown", and without echo seen on the last
// completed command the engine waits as described above.
//
// A NoDrain command (a wake-up or liveness probe: a bare AT) is sent at once
// even while answers are owed, and the first final result to arrive
// completes it, whichever command it belongs to: for a probe any answer
// proves the modem is alive and reading, which is all it asks. Its own
// answer may then be the one still owed, so the count of owed results is
// left as it was and the window restarts from the probe's completion: the
// next ordinary command drains the probe's displaced OK instead of taking it
// for its own.

// NoDrain sends the command at once even when a timed-out command still owes
// its final result, and lets that late result complete this command. Use it
// only for a probe whose answer carries nothing but "the modem is alive",
// such as the bare AT of a wake-up loop: a retry every second would
// otherwise wait for the drain window. The engine keeps the probe's own,
// possibly displaced, answer owed, so ordinary commands after it are still
// answered by their own results. See Modem.
func NoDrain() CallOption { return func(c *call) { c.noDrain = true } }

// abandon gives up on c after its ctx ended or a write failed. If the reader
// finished c in the meantime, the result wins and ok is true. Otherwise the
// modem still owes c's final result: one more is owed, and the drain window
// starts now.
func (m *Modem) abandon(c *call) (callResult, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.active != c {
		return <-c.done, true
	}
	m.active = nil
	m.cs = callState{}
	if m.err == nil {
		m.oweLocked(time.Now(), c)
	}
	return callResult{}, false
}

// oweLocked records one more final result owed, by the command c, the
// latest owing as of now. c's secrets stay redacted until nothing is owed.
func (m *Modem) oweLocked(now time.Time, c *call) {
	if m.owed == 0 {
		m.staleCh = make(chan struct{})
		m.owedWires = map[string]bool{}
	}
	m.owed++
	m.owedWires[strings.ToUpper(c.wire)] = true
	for _, v := range c.secrets {
		if !slices.Contains(m.owedSecret, v) {
			m.owedSecret = append(m.owedSecret, v)
		}
	}
	if until := now.Add(m.cfg.drain); until.After(m.staleUntil) {
		m.staleUntil = until
	}
	m.cs.stale = true
}

// finishLocked is called by the reader when a final result completes c. A
// NoDrain command sent while answers were owed may have been completed by
// one of those: the count is unchanged (its own answer is owed instead)
// and the window restarts, because that answer may still be on its way.
func (m *Modem) finishLocked(c *call, now time.Time) {
	m.echoOn = m.cs.echoSeen && !mayStopEcho(c.wire)
	m.active = nil
	m.cs = callState{}
	if m.owed > 0 {
		m.owed--
		m.oweLocked(now, c)
		m.tr.note("answered while earlier results were owed: its own answer may be owed now")
	}
}

// settleLocked drops one late final result that no command is waiting for.
// It reports false for an orphan (nothing was owed).
func (m *Modem) settleLocked() bool {
	if m.owed == 0 {
		return false
	}
	m.owed--
	if m.owed == 0 {
		m.clearStaleLocked()
	}
	return true
}

// clearStaleLocked forgets every owed result and releases a waiting command.
func (m *Modem) clearStaleLocked() {
	m.owed = 0
	m.owedWires = nil
	m.owedSecret = nil
	m.staleUntil = time.Time{}
	m.cs.stale = false
	if m.staleCh != nil {
		close(m.staleCh)
		m.staleCh = nil
	}
}

// gateLocked reports whether the router should still take a final result
// or information line for an earlier command's: the running command is
// gated, its echo has not come, results are owed and the window is open.
func (m *Modem) gateLocked(now time.Time) bool {
	return m.active != nil && m.cs.gated && !m.cs.echoSeen && m.owed > 0 && now.Before(m.gateUntil)
}

// ungateLocked is called on the running command's echo: the modem has
// finished every earlier command, so nothing is owed any more.
func (m *Modem) ungateLocked() {
	if !m.cs.gated {
		return
	}
	m.cs.gated = false
	if m.owed > 0 {
		m.clearStaleLocked()
		m.tr.note("echo of the gated command: the earlier commands are done; nothing is owed")
	}
}

// waitStale holds the next command until the owed final results arrive,
// the drain window of the last abandoned command passes, or ctx ends; or,
// with echo on, gates c and lets it go at once (see above). A command that
// gives up here was never sent, so it owes nothing.
func (m *Modem) waitStale(ctx context.Context, c *call) error {
	m.mu.Lock()
	ch, until := m.staleCh, m.staleUntil
	gate := ch != nil && m.echoOn && !m.owedWires[strings.ToUpper(c.wire)]
	if gate {
		c.gated = true
		m.gateUntil = until
	}
	m.mu.Unlock()
	if ch == nil {
		return nil
	}
	if gate {
		m.tr.note("echo is on: sending now; answers still owed will come before this command's echo")
		return nil
	}
	// Only the slot holder abandons commands, and that is us: until cannot
	// move while we wait.
	t := time.NewTimer(time.Until(until))
	defer t.Stop()
	select {
	case <-ch:
		return nil
	case <-t.C:
		m.mu.Lock()
		if m.staleCh == ch {
			m.clearStaleLocked()
		}
		m.mu.Unlock()
		m.tr.note("drain window passed without the late final result; sending anyway")
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-m.readerDone:
		return nil // the terminal error is reported by the caller
	case <-m.done:
		return ErrClosed
	}
}

// mayStopEcho reports a command line whose echo proves nothing about the
// next command's: E0 (or a bare E) turns echo off after echoing itself, and
// Z and &F load a profile that may have it off. Only the basic commands
// before the first extended one ("ATE0Z+CMEE=1") are looked at.
func mayStopEcho(wire string) bool {
	s := strings.ToUpper(stripAT(wire))
	if i := strings.IndexAny(s, "+^%$!#*_"); i >= 0 {
		s = s[:i]
	}
	for i := 0; i < len(s); i++ {
		amp := i > 0 && s[i-1] == '&'
		switch {
		case s[i] == 'Z' && !amp, s[i] == 'F' && amp:
			return true
		case s[i] == 'E' && !amp && (i+1 == len(s) || s[i+1] < '1' || s[i+1] > '9'):
			return true
		}
	}
	return false
}

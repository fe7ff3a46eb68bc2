// Package chat is an expect/send engine over a byte stream: scripts in
// YAML or in chat(8) syntax (unchanged), run with chat(8)'s exit codes. It
// imports no zdial package; the default dial sequence, which speaks AT
// through package at, is internal/dialseq.
//
// A script is a list of steps run in order against an io.ReadWriter. The
// engine writes each send and then reads until one of the step's expected
// strings appears, an abort string appears, or the step's timeout passes:
//
//	step                       wire (→ to the modem, ← from it)
//	send: AT  expect: OK       → AT\r           ← \r\nOK\r\n
//	wait_until: AT+CGREG?      → AT+CGREG?\r    ← \r\n+CGREG: 0,2\r\n\r\nOK\r\n
//	  match '\+CGREG: \d,[15]'   (every 1s)     → AT+CGREG?\r    ← \r\n+CGREG: 0,1\r\n…
//	send: ATD*99#  expect: CONNECT  → ATD*99#\r ← \r\nCONNECT 150000000\r\n
//	abort: [BUSY]              ← \r\nBUSY\r\n   ends the run with *AbortError{Index: 0}
//
// Matching follows chat(8): a text alternative matches as soon as its last
// byte arrives, anywhere in the bytes received since the step began; bytes
// after the match stay unread for the next step. A regexp alternative is
// tried on each complete received line (without its CR/LF).
//
// The same Script model comes from two parsers: ParseScriptYAML (the zdial
// format, see testdata/scripts/) and ParseChat8 (chat(8) syntax); RunScriptAsChat8
// runs one the way chat(8) does, behind `zdial chat`.
package chat

import (
	"fmt"
	"regexp"
	"time"
)

// DefaultStepTimeout is chat(8)'s default time to wait for an expected
// string (45 seconds), used when neither the script nor the step sets one.
const DefaultStepTimeout = 45 * time.Second

// Script is a parsed chat script, from YAML, chat(8) syntax, or Go code.
// A Script is not modified by running it, so one value may be run many
// times, also concurrently on different lines.
type Script struct {
	// Name is shown in errors (a file name, or a profile's name).
	Name string
	// Timeout is the initial expect timeout; zero means DefaultStepTimeout.
	// A StepSetTimeout step changes it for the steps after it.
	Timeout time.Duration
	// Steps run in order.
	Steps []Step
	// SevenBit clears the top bit of every received byte before matching,
	// as chat(8) does (a parity bit from a 7E1 line would otherwise break
	// every match).
	SevenBit bool
	// Secrets are strings (PIN, password) that never appear in a log line,
	// an echo or a report: each occurrence is shown as "****". A send that
	// contains one is logged as "****" as a whole.
	Secrets []string
}

// StepKind says which of a Step's fields are used.
type StepKind int

// Step kinds. Abort, report and timeout steps change the run's state for
// the steps after them, as chat(8)'s keywords do.
const (
	StepExpect      StepKind = iota + 1 // Expect (after its optional Send)
	StepSend                            // Send
	StepWaitUntil                       // WaitUntil
	StepAbort                           // Text joins the abort strings
	StepClearAbort                      // every abort string equal to Text is removed
	StepReport                          // Text joins the report strings
	StepClearReport                     // every report string equal to Text is removed
	StepSetTimeout                      // Duration becomes the expect timeout
	StepSay                             // Text goes to the say writer
	StepEcho                            // On turns echo of received bytes on or off
	StepHangup                          // On: a hangup (end of stream) ends the run; off: it is waited out
	StepSleep                           // pause for Duration
)

var stepKindNames = map[StepKind]string{
	StepExpect: "expect", StepSend: "send", StepWaitUntil: "wait_until",
	StepAbort: "abort", StepClearAbort: "clear_abort", StepReport: "report",
	StepClearReport: "clear_report", StepSetTimeout: "set_timeout", StepSay: "say",
	StepEcho: "echo", StepHangup: "hangup", StepSleep: "sleep",
}

func (k StepKind) String() string {
	if s, ok := stepKindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("StepKind(%d)", int(k))
}

// Step is one instruction of a Script. Kind says which fields apply.
type Step struct {
	Kind StepKind
	// Pos is where the step was written (file:line:col), for errors; zero
	// for steps built in code.
	Pos Pos
	// Send is written by StepSend, and by StepExpect before it starts
	// waiting (when it has parts).
	Send Send
	// Expect is used by StepExpect.
	Expect Expect
	// WaitUntil is used by StepWaitUntil.
	WaitUntil WaitUntil
	// Text is the argument of abort, report, say and their clear forms.
	Text string
	// Duration is the argument of StepSetTimeout and StepSleep.
	Duration time.Duration
	// On is the argument of StepEcho and StepHangup.
	On bool
}

// Pos is a position in a script source.
type Pos struct {
	File      string
	Line, Col int
}

func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Expect waits for one of several alternatives.
type Expect struct {
	// Alts are tried on every received byte (text) or line (regexp); the
	// first to match wins. No alternatives: the step succeeds at once
	// (chat(8)'s '').
	Alts []Alt
	// Timeout bounds each attempt; zero means the run's current timeout.
	Timeout time.Duration
	// Retries: after a timeout, the step's Send is written again and the
	// wait repeated, this many more times.
	Retries int
	// Fallbacks run in order after the last attempt timed out: each writes
	// its Send and waits for its Alts (chat(8)'s expect-send-expect). An
	// abort is never retried.
	Fallbacks []Fallback
}

// Alt is one acceptable answer.
type Alt struct {
	// Text matches as soon as it has been received (chat(8) semantics).
	Text string
	// Regexp, when set instead of Text, matches a complete received line.
	Regexp *regexp.Regexp
	// Then is written right after this alternative matched (when it has
	// parts): the answer to a prompt, for example.
	Then Send
	// Fail, when not empty, makes a match end the run with a *FailError
	// carrying this message (a known bad answer, named for the user).
	Fail string
}

func (a Alt) String() string {
	if a.Regexp != nil {
		return "/" + a.Regexp.String() + "/"
	}
	return a.Text
}

// Fallback is chat(8)'s "-subsend-subexpect": when the expect before it
// timed out, write Send and wait for Alts.
type Fallback struct {
	Send Send
	Alts []Alt
}

// WaitUntil polls: write Send, wait up to Every for a line matching Match;
// if none came, write Send again; give up with ErrExpectTimeout when Timeout
// has passed since the step began.
type WaitUntil struct {
	Send    Send
	Match   *regexp.Regexp
	Fail    *regexp.Regexp // optional: a line matching it ends the run with *FailError
	Every   time.Duration  // zero: 1s
	Timeout time.Duration  // zero: the run's current timeout
}

// Send is the bytes of one send, with the pauses and breaks between them.
type Send struct {
	Parts []SendPart
	// Secret sends are logged as "****".
	Secret bool
}

// SendPart is one piece of a Send: exactly one field is set.
type SendPart struct {
	Data  []byte
	Pause time.Duration // chat(8) \d (1s) and \p (10ms)
	Break bool          // chat(8) \K: a serial break, when the line supports one
}

// Bytes returns the data the send writes, without pauses and breaks.
func (s Send) Bytes() []byte {
	var b []byte
	for _, p := range s.Parts {
		b = append(b, p.Data...)
	}
	return b
}

func (s Send) empty() bool { return len(s.Parts) == 0 }

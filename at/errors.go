package at

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinels for the final result codes of V.250 and for the state of the line.
// Callers test them with errors.Is; a *CMEError or *CMSError also matches
// ErrError, because it is the modem saying ERROR with a reason attached.
var (
	ErrError      = errors.New("at: ERROR")
	ErrNoCarrier  = errors.New("at: NO CARRIER")
	ErrBusy       = errors.New("at: BUSY")
	ErrNoAnswer   = errors.New("at: NO ANSWER")
	ErrNoDialtone = errors.New("at: NO DIALTONE")

	// ErrClosed: the Modem was closed locally (Close was called).
	ErrClosed = errors.New("at: modem closed")
	// ErrHangup: the device went away (Read or Write failed without our Close).
	ErrHangup = errors.New("at: device hung up")
	// ErrDataMode: the modem answered CONNECT; the line carries data, not AT commands.
	ErrDataMode = errors.New("at: line is in data mode")
	// ErrResponseTooLarge: the modem sent more information for one command
	// than the engine keeps (WithResponseLimit). The command fails at once;
	// the rest of its answer, final result included, is drained like a
	// timed-out command's, so the next command gets its own answer.
	ErrResponseTooLarge = errors.New("at: response too large")
)

// CommandError records which command failed. Cmd is the command as sent,
// with secrets masked, and Err carries no secret of the command either
// (see secret.go), so the error can be logged as it is.
type CommandError struct {
	Cmd string
	Err error
}

func (e *CommandError) Error() string {
	return "at: " + e.Cmd + ": " + strings.TrimPrefix(e.Err.Error(), "at: ")
}

func (e *CommandError) Unwrap() error { return e.Err }

// ProtocolError means the modem's answer made no sense (OK where CONNECT
// was due, a reply the Parse* functions cannot read), as opposed to the
// modem deliberately answering ERROR. Line noise is not a protocol error:
// the engine drops it (see noise.go).
type ProtocolError struct {
	Line   string // the offending line, possibly shortened
	Reason string
}

func (e *ProtocolError) Error() string {
	return "at: protocol error: " + e.Reason + ": " + quoteShort(e.Line)
}

// quoteShort quotes s for an error message, cutting it to a readable length.
func quoteShort(s string) string {
	const max = 64
	if len(s) > max {
		s = s[:max] + "..."
	}
	return strconv.Quote(s)
}

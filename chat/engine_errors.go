package chat

import (
	"errors"
	"fmt"
)

// Conditions that end a script run. Run wraps them in a *StepError.
var (
	// ErrExpectTimeout: no alternative matched before the step's timeout
	// (chat(8) exit status 3).
	ErrExpectTimeout = errors.New("chat: timeout waiting for the expected answer")
	// ErrScriptIO: reading or writing the line failed, or the line ended
	// (the device vanished, the other side hung up) — chat(8) exit status 2.
	// The wrapping *StepError's chain also holds the underlying error.
	ErrScriptIO = errors.New("chat: line I/O failed")
)

// AbortError reports that an abort string arrived. Index is its position in
// the abort list at that moment (chat(8) exits with 4+Index).
type AbortError struct {
	Index int
	Text  string
}

func (e *AbortError) Error() string {
	return fmt.Sprintf("chat: abort string %q received", e.Text)
}

// FailError reports that an alternative (or wait_until line) marked as a
// failure matched. Message is the script's text; Got is what matched.
type FailError struct {
	Message string
	Got     string
}

func (e *FailError) Error() string {
	return fmt.Sprintf("chat: %s (got %q)", e.Message, e.Got)
}

// StepError is the one wrapper around every error Run returns: it records
// which step failed. Err is ErrExpectTimeout, ErrScriptIO (joined with the
// cause), *AbortError, *FailError or a context error.
type StepError struct {
	Index int      // index in Script.Steps
	Kind  StepKind // the step's kind
	Pos   Pos      // where the step was written, if known
	Desc  string   // what the step was doing, secrets masked: `expect "OK"`
	Err   error
}

func (e *StepError) Error() string {
	where := fmt.Sprintf("step %d", e.Index+1)
	if e.Pos.Line > 0 {
		where = e.Pos.String()
	}
	return fmt.Sprintf("%s (%s): %v", where, e.Desc, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// ScriptSyntaxError is a script that cannot be parsed or is invalid.
type ScriptSyntaxError struct {
	Pos Pos
	Msg string
}

func (e *ScriptSyntaxError) Error() string {
	if e.Pos == (Pos{}) {
		return "chat: " + e.Msg
	}
	return fmt.Sprintf("chat: %s: %s", e.Pos, e.Msg)
}

// ioError joins ErrScriptIO with the error that caused it, so that both
// errors.Is(err, ErrScriptIO) and errors.Is(err, io.EOF) (say) hold.
func ioError(op string, err error) error {
	return fmt.Errorf("%w: %s: %w", ErrScriptIO, op, err)
}

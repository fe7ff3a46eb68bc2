// Package printable keeps bytes that a modem, a file or another user chose
// away from the two places they can do harm: the modem's command line and a
// person's terminal.
//
// On the wire, V.250 modems apply line editing (backspace, S5) and some act
// on ESC or Ctrl-Z, so a control byte inside an APN or a number could edit
// the command the modem runs: Wire refuses anything but printable ASCII.
// On a terminal, ESC and friends move the cursor, rewrite the title or
// clear the screen: Strip removes escape sequences and control characters
// whole, so a modem's `CONNECT 7200\x1b[2J` is printed as `CONNECT 7200`.
package printable

import (
	"errors"
	"fmt"
)

// ErrNotPrintable is matched by every *Error.
var ErrNotPrintable = errors.New("not printable ASCII")

// Error reports the first byte of a value that may not go on the wire.
// It carries the position and the byte, never the value: the value may be
// a PIN or a password.
type Error struct {
	Pos  int  // byte offset, from 0
	Byte byte // the offending byte
}

func (e *Error) Error() string {
	return fmt.Sprintf("byte %d is %s: only printable ASCII (0x20-0x7e) may be sent to a modem", e.Pos+1, describe(e.Byte))
}

// Is makes errors.Is(err, ErrNotPrintable) true.
func (e *Error) Is(target error) bool { return target == ErrNotPrintable }

// Wire returns nil if s is printable ASCII (0x20 to 0x7e) only: what may be
// put inside an AT command line.
func Wire(s string) error {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return &Error{Pos: i, Byte: c}
		}
	}
	return nil
}

func describe(c byte) string {
	switch c {
	case 0x08:
		return "a backspace"
	case 0x1a:
		return "Ctrl-Z"
	case 0x1b:
		return "ESC"
	case 0x7f:
		return "DEL"
	case 0:
		return "NUL"
	}
	if c < 0x20 {
		return fmt.Sprintf("control byte 0x%02x", c)
	}
	return fmt.Sprintf("byte 0x%02x (not ASCII)", c)
}

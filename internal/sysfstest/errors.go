package sysfstest

import (
	"errors"
	"fmt"
)

// ErrSyntax is matched (errors.Is) by every *ParseError about a line the
// format does not have.
var ErrSyntax = errors.New("sysfstest: unrecognised capture line")

// ErrNoSnapshot: the capture has no snapshot of that name.
var ErrNoSnapshot = errors.New("sysfstest: no such snapshot")

// ParseError says which line of a capture could not be read.
type ParseError struct {
	Line int
	Text string
	Err  error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("sysfstest: line %d %q: %v", e.Line, e.Text, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

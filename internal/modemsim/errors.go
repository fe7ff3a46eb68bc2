package modemsim

import "errors"

var (
	// ErrUnknownPersona: no builtin persona has that name.
	ErrUnknownPersona = errors.New("modemsim: unknown persona")
	// ErrServed: a Sim serves one line, once.
	ErrServed = errors.New("modemsim: sim already served")
	// ErrNoConnect: with WithExitOnConnect, the line ended before CONNECT.
	ErrNoConnect = errors.New("modemsim: line ended before CONNECT")
)

// PersonaError reports a persona that could not be loaded.
type PersonaError struct {
	Name string
	Err  error
}

func (e *PersonaError) Error() string { return "modemsim: persona " + e.Name + ": " + e.Err.Error() }
func (e *PersonaError) Unwrap() error { return e.Err }

// Package secret holds the one type zdial keeps PINs, PUKs and passwords
// in. Every way Go has to print a value — fmt's verbs, slog, JSON, YAML,
// text marshalling — prints a String as Mask, so a secret that reaches a
// log line, an error or --json output by mistake still does not leak.
// Only Reveal returns the plain text, for the one place that needs it (the
// modem, pppd's password pipe).
package secret

import "log/slog"

// Mask is what a secret looks like wherever it is printed.
const Mask = "****"

// String is a secret. The empty String prints as "" (nothing configured).
type String string

// Reveal returns the plain text.
func (s String) Reveal() string { return string(s) }

// IsSet reports whether a secret was configured.
func (s String) IsSet() bool { return s != "" }

// String implements fmt.Stringer (covers %v and %s).
func (s String) String() string { return s.masked() }

// GoString implements fmt.GoStringer (covers %#v).
func (s String) GoString() string { return `"` + s.masked() + `"` }

// LogValue implements slog.LogValuer.
func (s String) LogValue() slog.Value { return slog.StringValue(s.masked()) }

// MarshalText implements encoding.TextMarshaler (JSON, YAML, …).
func (s String) MarshalText() ([]byte, error) { return []byte(s.masked()), nil }

func (s String) masked() string {
	if s == "" {
		return ""
	}
	return Mask
}

package pppctl

import "log/slog"

// Mask is what a secret looks like wherever it is printed.
const Mask = "****"

// Secret holds a password. Every way of printing it (fmt verbs, slog,
// JSON or text marshalling) yields Mask, so an Options value can be
// logged or dumped without leaking the password; only Reveal gives the
// plain text, and only secretdelivery code calls it.
type Secret string

// Reveal returns the plain text.
func (s Secret) Reveal() string { return string(s) }

// String implements fmt.Stringer (covers %v and %s).
func (s Secret) String() string { return s.masked() }

// GoString implements fmt.GoStringer (covers %#v).
func (s Secret) GoString() string { return `"` + s.masked() + `"` }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.masked()) }

// MarshalText implements encoding.TextMarshaler (JSON, YAML, …).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.masked()), nil }

func (s Secret) masked() string {
	if s == "" {
		return ""
	}
	return Mask
}

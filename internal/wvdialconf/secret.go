package wvdialconf

import "log/slog"

// Secret is a PIN or password read from wvdial.conf. Every way Go prints a
// value — fmt's verbs, slog, JSON and other text marshalling — shows it as
// "****"; only Reveal returns the plain text. (The same contract as
// internal/secret.String; this package imports no other zdial package.)
type Secret string

const mask = "****"

// Reveal returns the plain text.
func (s Secret) Reveal() string { return string(s) }

// IsSet reports whether a secret was read.
func (s Secret) IsSet() bool { return s != "" }

// String implements fmt.Stringer (covers %v and %s).
func (s Secret) String() string { return s.masked() }

// GoString implements fmt.GoStringer (covers %#v).
func (s Secret) GoString() string { return `"` + s.masked() + `"` }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.masked()) }

// MarshalText implements encoding.TextMarshaler (JSON and the like).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.masked()), nil }

func (s Secret) masked() string {
	if s == "" {
		return ""
	}
	return mask
}

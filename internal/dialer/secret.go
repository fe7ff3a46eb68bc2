package dialer

import "log/slog"

// Secret holds a PIN, PUK or password. Every way Go has to print it prints
// "****", so a secret that reaches a log line, an error or JSON by mistake
// still does not leak. Reveal returns the real value for the one place that
// needs it (the modem, pppd's password pipe).
type Secret string

const masked = "****"

func (s Secret) String() string   { return s.mask() }
func (s Secret) GoString() string { return s.mask() }

// LogValue keeps secrets out of slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.mask()) }

// MarshalText keeps secrets out of JSON and YAML output.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.mask()), nil }

// Reveal returns the secret itself.
func (s Secret) Reveal() string { return string(s) }

// IsSet reports whether a secret was configured.
func (s Secret) IsSet() bool { return s != "" }

func (s Secret) mask() string {
	if s == "" {
		return ""
	}
	return masked
}

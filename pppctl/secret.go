package pppctl

import (
	"strings"

	"github.com/zdial/zdial/internal/secret"
)

// Mask is what a secret looks like wherever it is printed.
const Mask = secret.Mask

// Secret holds a password: it prints as Mask every way Go prints a value,
// so an Options value can be logged or dumped without leaking it. Only
// Reveal gives the plain text, and only the password-delivery code calls it.
type Secret = secret.String

// maskSecret replaces the secret in s with Mask: pppctl's one rule for
// where a password shows. A short one (under 4 bytes) counts only where it
// stands as a whole word, so that it does not mangle ordinary words.
func maskSecret(s, secret string) string {
	if secret == "" {
		return s
	}
	if len(secret) >= 4 {
		return strings.ReplaceAll(s, secret, Mask)
	}
	f := strings.Fields(s)
	changed := false
	for i, w := range f {
		if w == secret {
			f[i], changed = Mask, true
		}
	}
	if !changed {
		return s
	}
	return strings.Join(f, " ")
}

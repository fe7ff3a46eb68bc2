package pppctl

import "github.com/zdial/zdial/internal/secret"

// Mask is what a secret looks like wherever it is printed.
const Mask = secret.Mask

// Secret holds a password: it prints as Mask every way Go prints a value,
// so an Options value can be logged or dumped without leaking it. Only
// Reveal gives the plain text, and only the password-delivery code calls it.
type Secret = secret.String

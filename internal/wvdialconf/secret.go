package wvdialconf

import "github.com/zdial/zdial/internal/secret"

// Secret is a PIN or password read from wvdial.conf: zdial's one secret
// type, which prints as "****" everywhere but Reveal.
type Secret = secret.String

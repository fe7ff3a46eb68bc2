package profile

import "github.com/zdial/zdial/internal/secret"

// Secret holds a PIN, PUK or password from a profile; see package secret.
type Secret = secret.String

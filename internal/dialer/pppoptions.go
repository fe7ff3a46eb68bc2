package dialer

import (
	"github.com/zdial/zdial/internal/profile"
	"github.com/zdial/zdial/pppctl"
)

// PPPOptions are the pppd options zdial runs pppd with for p: the same
// ones Connect uses, for a peers file that dials through `zdial chat`.
func PPPOptions(p profile.Profile) pppctl.Options { return pppOptions(p) }

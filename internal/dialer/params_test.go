package dialer_test

import (
	"strings"
	"testing"

	"github.com/zdial/zdial/carriers"
	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/profile"
)

// A resolved profile reaches the dial sequence's parameters, and the dial
// defaults come from the dial sequence.
func TestDialParamsFromProfile(t *testing.T) {
	cfg, err := profile.ParseConfig(strings.NewReader(`
profiles:
  home:
    inherits: three
    pin: "1234"
    trust_unknown_pin_attempts: true
`), "cfg.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := profile.Resolve(cfg, carriers.Builtin(), "home")
	if err != nil {
		t.Fatal(err)
	}
	o := dialer.Dialer{Profile: p}
	dp := o.DialParams()
	if dp.PIN != "1234" || !dp.TrustUnknownPINAttempts || dp.APN != "three.co.uk" {
		t.Errorf("the profile did not reach the dial script's parameters")
	}
	dp, err = dp.WithDefaults()
	if err != nil || dp.Number != "*99#" || dp.CID != 1 || dp.PDPType != "IP" {
		t.Errorf("defaults: number %q, cid %d, pdp type %q, err %v; want *99#, 1, IP", dp.Number, dp.CID, dp.PDPType, err)
	}
}

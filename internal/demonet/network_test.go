package demonet

import (
	"slices"
	"testing"

	"github.com/zdial/zdial/pppctl"
)

// The network pppd's options pass pppctl's checks, which refuse what a
// profile may not add: the demo's far end asks for nolock and ms-dns
// through Options' own fields, not through Extra.
func TestNetworkOptionsValidate(t *testing.T) {
	for _, debug := range []bool{false, true} {
		o := networkOptions(debug)
		if err := o.Validate(); err != nil {
			t.Fatalf("debug=%v: %v", debug, err)
		}
		args := pppctl.Args(o)
		for _, want := range [][]string{{"nolock"}, {"ms-dns", DNS}, {"silent"}, {PeerIP + ":" + LocalIP}} {
			i := slices.Index(args, want[0])
			if i < 0 || (len(want) == 2 && (i+1 >= len(args) || args[i+1] != want[1])) {
				t.Errorf("debug=%v: args %q lack %q", debug, args, want)
			}
		}
	}
}

package pppctl

import "strconv"

// Args returns the pppd options for o, in a fixed order, without the
// program name and without the parts Start adds at run time (logfd and
// the password delivery). It names no device: pppd then uses the
// terminal on its standard input, which is how Start hands over the
// dialed line. Options are not validated here (Start and DryRun do
// that), except that an Extra list Validate would reject is left out as a
// whole, so that a refused `password` never reaches a printed argv.
//
// `nodetach` is always present (pppd must stay our child) and
// `nopersist` overrides a `persist` in /etc/ppp/options: zdial, not
// pppd, decides whether to dial again.
func Args(o Options) []string {
	a := []string{"nodetach"}
	if o.Speed > 0 {
		a = append(a, strconv.Itoa(o.Speed))
	}
	flag := func(on bool, name string) {
		if on {
			a = append(a, name)
		}
	}
	flag(o.NoAuth, "noauth")
	flag(o.DefaultRoute, "defaultroute")
	flag(o.ReplaceDefaultRoute, "replacedefaultroute")
	flag(o.UsePeerDNS, "usepeerdns")
	flag(o.NoIPDefault, "noipdefault")
	flag(o.NoVJ, "novj")
	flag(o.Local, "local")
	flag(o.NoLock, "nolock")
	num := func(name string, n int) {
		if n > 0 {
			a = append(a, name, strconv.Itoa(n))
		}
	}
	num("lcp-echo-interval", o.LCPEchoInterval)
	num("lcp-echo-failure", o.LCPEchoFailure)
	str := func(name, v string) {
		if v != "" {
			a = append(a, name, v)
		}
	}
	str("user", o.User)
	str("ipparam", o.IPParam)
	str("linkname", o.LinkName)
	str("ifname", o.IfName)
	if o.MSDNS.IsValid() {
		a = append(a, "ms-dns", o.MSDNS.String())
	}
	a = append(a, "nopersist")
	extra, _ := extraWords(o.Extra, o.Password)
	return append(a, extra...)
}

package wvdialconf

import (
	"strconv"
	"strings"
)

// takeFields moves the pppd options zdial has fields for out of opts (one
// PPPD Option value) and returns the names of the fields it set and the
// options left.
func (d *PPPD) takeFields(opts string) (set []string, rest string) {
	yes, no := true, false
	words := strings.Fields(opts)
	var keep []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		arg := ""
		if i+1 < len(words) {
			arg = words[i+1]
		}
		n, err := strconv.Atoi(arg)
		switch {
		case w == "defaultroute":
			d.DefaultRoute = &yes
			set = append(set, "defaultroute")
		case w == "nodefaultroute":
			d.DefaultRoute = &no
			set = append(set, "defaultroute")
		case w == "replacedefaultroute":
			d.ReplaceDefaultRoute = true
			set = append(set, "replacedefaultroute")
		case w == "usepeerdns":
			d.UsePeerDNS = &yes
			set = append(set, "usepeerdns")
		case w == "novj":
			d.NoVJ = true
			set = append(set, "novj")
		case w == "lcp-echo-interval" && err == nil && n > 0:
			d.LCPEchoInterval = n
			set = append(set, "lcp_echo_interval")
			i++
		case w == "lcp-echo-failure" && err == nil && n > 0:
			d.LCPEchoFailure = n
			set = append(set, "lcp_echo_failure")
			i++
		case w == "ifname" && arg != "":
			d.IfName = arg
			set = append(set, "ifname")
			i++
		default:
			keep = append(keep, w)
		}
	}
	return set, strings.Join(keep, " ")
}

// splitPassword takes pppd's `password SECRET` out of a PPPD Option
// value: zdial refuses it there (argv is world-readable) and has a field
// for it.
func splitPassword(v string) (rest, secret string, found bool) {
	words := strings.Fields(v)
	var keep []string
	for i := 0; i < len(words); i++ {
		if strings.EqualFold(words[i], "password") {
			found = true
			if i+1 < len(words) {
				secret = words[i+1]
				i++
			}
			continue
		}
		keep = append(keep, words[i])
	}
	if !found {
		return v, "", false
	}
	return strings.Join(keep, " "), secret, true
}

package dialer

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	modeswitch "github.com/zdial/zdial/switch"
)

// ProbeResult is what probing learned from one port (probePort).
type ProbeResult struct {
	AT       bool           // answered AT with OK
	DataPort bool           // accepted the harmless data-port check
	PortMode map[string]int // Huawei AT^GETPORTMODE: "MDM"→0, "DIAG"→1, "PCUI"→2 (interface numbers)
	Info     string         // free text for display: maker, model, firmware
}

// Choice is the outcome of port discovery.
type Choice struct {
	Port  modeswitch.Port   // the PPP port
	Ports []modeswitch.Port // every port, roles filled in from probing where the database said nothing
	// Reason says how Port was chosen: "database role", "AT^GETPORTMODE
	// MDM", "data-port check", "cache", or a sentence when the choice was
	// among equals or a guess (see choosePort).
	Reason    string
	Results   map[string]ProbeResult // by port name; ports not probed are absent
	Errors    map[string]error       // probe errors by port name
	FromCache bool
}

// defaultProbeTimeout bounds each port's probe; ports are probed in
// parallel, so discovery takes about one timeout, not one per port.
const defaultProbeTimeout = 3 * time.Second

// choosePort probes every port the database does not mark diag/NMEA, all at
// once, and picks the PPP port, in this order:
//
//  1. the database's ppp role, if that port answers AT;
//  2. the interface Huawei's ^GETPORTMODE calls MDM;
//  3. the AT port that passed the data-port check (the lowest interface if
//     several did, which the reason says);
//  4. only when the database gives none of the ports a role: the one port
//     that answers AT, or, if several answer and none passed the check, the
//     lowest-numbered interface that answers AT (see choose for why).
//
// Diag and NMEA ports are never opened. Where the database does give roles,
// 4 does not apply: a known layout whose PPP port is silent is a device in
// trouble, and the port it calls "at" cannot dial.
func (s Discovery) choosePort(ctx context.Context, ports []modeswitch.Port) (Choice, error) {
	timeout := s.ProbeTimeout
	if timeout <= 0 {
		timeout = defaultProbeTimeout
	}
	probe := s.probe
	if probe == nil {
		probe = s.probePort
	}
	c := Choice{Ports: append([]modeswitch.Port(nil), ports...), Results: map[string]ProbeResult{}, Errors: map[string]error{}}
	var mu sync.Mutex // guards c.Results and c.Errors while probes run
	var wg sync.WaitGroup
	for _, p := range ports {
		if !p.Role.Probeable() {
			continue
		}
		wg.Add(1)
		go func(p modeswitch.Port) {
			defer wg.Done()
			pctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			r, err := probe(pctx, p.Path)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				c.Errors[p.Name] = err
				return
			}
			c.Results[p.Name] = r
		}(p)
	}
	wg.Wait()
	return choose(c)
}

// choose picks the PPP port from c's probe results (choosePort's order).
func choose(c Choice) (Choice, error) {
	pick := func(i int, reason string) (Choice, error) {
		c.Ports[i].Role = modeswitch.RolePPP
		c.Port, c.Reason = c.Ports[i], reason
		return c, nil
	}
	for _, p := range c.Ports {
		if p.Role == modeswitch.RolePPP && c.Results[p.Name].AT {
			c.Port, c.Reason = p, "database role"
			return c, nil
		}
	}
	for _, p := range c.Ports {
		r := c.Results[p.Name]
		if mdm, ok := r.PortMode["MDM"]; ok {
			for i, q := range c.Ports {
				if q.Interface == mdm && q.Role.Probeable() {
					applyPortMode(c.Ports, r.PortMode)
					return pick(i, "AT^GETPORTMODE MDM")
				}
			}
		}
	}
	data := c.matching(func(p modeswitch.Port, r ProbeResult) bool { return r.AT && r.DataPort })
	switch len(data) {
	case 0:
	case 1:
		return pick(data[0], "data-port check")
	default:
		return pick(data[0], fmt.Sprintf("data-port check: %s passed it; took the lowest interface, %d",
			c.names(data), c.Ports[data[0]].Interface))
	}
	// The fallback: no database roles, no port map, no data-port check
	// passed. It is a guess, and the reason says so. With one AT port there
	// is nothing else to try. With several, the lowest interface is what
	// people have always done with these sticks: usb_modeswitch does not
	// choose ports, and wvdialconf, which most of its users ran next, writes
	// the first port that answers AT into wvdial.conf. Of the layouts our
	// database records, Huawei's put the modem first (ppp 0, at 2); ZTE's put
	// it after the AT port, but those entries name the roles, so the
	// fallback does not run for them. A device the guess gets wrong needs
	// port roles in the database; until then --port overrides it.
	if c.databaseRoles() {
		return c, fmt.Errorf("%w among %s", modeswitch.ErrNoPort, describeProbes(c))
	}
	at := c.matching(func(p modeswitch.Port, r ProbeResult) bool { return r.AT && p.Role.Probeable() })
	switch len(at) {
	case 0:
		return c, fmt.Errorf("%w among %s", modeswitch.ErrNoPort, describeProbes(c))
	case 1:
		return pick(at[0], "the only port that answers AT (none passed the data-port check)")
	}
	return pick(at[0], fmt.Sprintf("first AT port: %s answer AT and none passed the data-port check; "+
		"took the lowest interface, %d, as usb_modeswitch users do", c.names(at), c.Ports[at[0]].Interface))
}

// matching returns the indexes into c.Ports of the probed ports for which
// ok holds, lowest interface first.
func (c Choice) matching(ok func(modeswitch.Port, ProbeResult) bool) []int {
	var out []int
	for i, p := range c.Ports {
		if r, probed := c.Results[p.Name]; probed && ok(p, r) {
			out = append(out, i)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return c.Ports[out[a]].Interface < c.Ports[out[b]].Interface })
	return out
}

// names lists the named ports, "ttyUSB0, ttyUSB1 and ttyUSB2".
func (c Choice) names(idx []int) string {
	var n []string
	for _, i := range idx {
		n = append(n, c.Ports[i].Name)
	}
	if len(n) < 2 {
		return strings.Join(n, "")
	}
	return strings.Join(n[:len(n)-1], ", ") + " and " + n[len(n)-1]
}

// databaseRoles reports whether the database gave any of c's ports a role.
// Roles found by probing (^GETPORTMODE) are set only on the way to a
// choice, so at the fallback every role is the database's.
func (c Choice) databaseRoles() bool {
	for _, p := range c.Ports {
		if p.Role != modeswitch.RoleNone {
			return true
		}
	}
	return false
}

func applyPortMode(ports []modeswitch.Port, pm map[string]int) {
	for i := range ports {
		if ports[i].Role != modeswitch.RoleNone {
			continue
		}
		for k, n := range pm {
			if n != ports[i].Interface {
				continue
			}
			switch k {
			case "PCUI", "AT":
				ports[i].Role = modeswitch.RoleAT
			case "DIAG":
				ports[i].Role = modeswitch.RoleDiag
			case "GPS", "NMEA":
				ports[i].Role = modeswitch.RoleNMEA
			}
		}
	}
}

func describeProbes(c Choice) string {
	if len(c.Ports) == 0 {
		return "no ports"
	}
	var parts []string
	for _, p := range c.Ports {
		s := p.Name
		switch r, ok := c.Results[p.Name]; {
		case !p.Role.Probeable():
			s += " (" + string(p.Role) + ", not probed)"
		case c.Errors[p.Name] != nil:
			s += " (" + c.Errors[p.Name].Error() + ")"
		case ok && r.AT:
			s += " (AT, not a data port)"
		default:
			s += " (no AT answer)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

var portModeItem = regexp.MustCompile(`([A-Z][A-Z0-9_]*):\s*(\d+)`)

// parseGetPortMode parses Huawei's answer to AT^GETPORTMODE, e.g.
//
//	^GETPORTMODE: TYPE: WCDMA: Huawei Technologies Co., Ltd,MDM:0,DIAG:1,PCUI:2
//
// into {"MDM":0, "DIAG":1, "PCUI":2}: port kind → interface number.
func parseGetPortMode(line string) map[string]int {
	_, rest, ok := strings.Cut(line, "^GETPORTMODE:")
	if !ok {
		rest = line
	}
	out := map[string]int{}
	for _, m := range portModeItem.FindAllStringSubmatch(rest, -1) {
		if m[1] == "TYPE" {
			continue
		}
		n, _ := strconv.Atoi(m[2])
		out[m[1]] = n
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// sortPorts orders ports by interface number.
func sortPorts(p []modeswitch.Port) {
	sort.Slice(p, func(i, j int) bool { return p[i].Interface < p[j].Interface })
}

// PortVerdict is what discovery takes one probed port for, and why, in
// choose's order: the device database's role first, then Huawei's
// ^GETPORTMODE map, then the data-port check (ATO). `zdial probe` prints
// it, so a port is never called both the PPP port and "not a data port":
// where the database and the check disagree, the verdict is the
// database's and the reason says what the check found. iface is the
// port's interface number, or -1 when unknown (a port named by path);
// checked is false when the probe was cut short before the port checks.
func PortVerdict(role modeswitch.Role, iface int, answersAT, checked, dataPort bool, portMode map[string]int) (data bool, why string) {
	check := "it passed the data-port check (ATO: NO CARRIER, an online data state to return to)"
	switch {
	case !checked:
		check = "the probe was cut short before the data-port check"
	case !dataPort:
		check = "the data-port check found no online data state (ATO: ERROR)"
	}
	switch {
	case !answersAT:
		return false, "no AT answer"
	case role == modeswitch.RolePPP:
		return true, "the device database names it the PPP port; " + check + ", and the database decides"
	case role != modeswitch.RoleNone:
		return false, fmt.Sprintf("the device database names it the %s port; %s, and the database decides", role, check)
	}
	if mdm, ok := portMode["MDM"]; ok {
		if iface < 0 {
			return dataPort, "Huawei's port map (AT^GETPORTMODE) names the interfaces, but this port was named by path, so its interface is unknown; " + check
		}
		if mdm == iface {
			return true, fmt.Sprintf("Huawei's port map (AT^GETPORTMODE) puts MDM on interface %d", mdm)
		}
		return false, fmt.Sprintf("Huawei's port map (AT^GETPORTMODE) puts MDM on interface %d, not this one", mdm)
	}
	return dataPort, check
}

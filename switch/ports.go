package modeswitch

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Port is one tty of a modem with what is known about it.
type Port struct {
	Name      string // "ttyUSB2"
	Path      string // "/dev/ttyUSB2"
	Interface int
	Driver    string
	Role      Role // from the database; RoleNone when it says nothing
}

// Ports lists d's ttys in interface order with the database's roles.
func (h *Host) Ports(db *DB, d Device) []Port {
	var roles map[int]Role
	if db != nil {
		if _, t, ok := db.LookupModem(d.ID); ok {
			roles = t.Ports
		}
	}
	var out []Port
	for _, t := range d.TTYs() {
		out = append(out, Port{Name: t.Name, Path: filepath.Join(h.Dev, t.Name), Interface: t.Interface,
			Driver: t.Driver, Role: roles[t.Interface]})
	}
	return out
}

// ProbeResult is what a Prober learned from one port.
type ProbeResult struct {
	AT       bool           // answered AT with OK
	DataPort bool           // accepted the harmless data-port check
	PortMode map[string]int // Huawei AT^GETPORTMODE: "MDM"→0, "DIAG"→1, "PCUI"→2 (interface numbers)
	Info     string         // free text for display: maker, model, firmware
}

// Prober probes one port: AT with a short deadline, ATE0, identification,
// and on Huawei AT^GETPORTMODE. The dialer supplies one built on package at,
// so this package does not depend on it. It must return by ctx's deadline.
type Prober func(ctx context.Context, devPath string) (ProbeResult, error)

// Choice is the outcome of port discovery.
type Choice struct {
	Port      Port                   // the PPP port
	Ports     []Port                 // every port, roles filled in from probing where the database said nothing
	Reason    string                 // "database role", "AT^GETPORTMODE MDM", "data-port check", "cache"
	Results   map[string]ProbeResult // by port name; ports not probed are absent
	Errors    map[string]error       // probe errors by port name
	FromCache bool
}

// DefaultProbeTimeout bounds each port's probe; ports are probed in
// parallel, so discovery takes about one timeout, not one per port.
const DefaultProbeTimeout = 3 * time.Second

// ChoosePort probes every port the database does not mark diag/NMEA, all at
// once, and picks the PPP port: the database's ppp role if that port answers
// AT; else the interface Huawei's ^GETPORTMODE calls MDM; else the first AT
// port that passed the data-port check. Diag and NMEA ports are never opened.
func ChoosePort(ctx context.Context, ports []Port, probe Prober, timeout time.Duration) (Choice, error) {
	if timeout <= 0 {
		timeout = DefaultProbeTimeout
	}
	c := Choice{Ports: append([]Port(nil), ports...), Results: map[string]ProbeResult{}, Errors: map[string]error{}}
	var mu sync.Mutex // guards c.Results and c.Errors while probes run
	var wg sync.WaitGroup
	for _, p := range ports {
		if !p.Role.Probeable() {
			continue
		}
		wg.Add(1)
		go func(p Port) {
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

	for _, p := range ports {
		if p.Role == RolePPP && c.Results[p.Name].AT {
			c.Port, c.Reason = p, "database role"
			return c, nil
		}
	}
	for _, p := range ports {
		r := c.Results[p.Name]
		if mdm, ok := r.PortMode["MDM"]; ok {
			for i, q := range c.Ports {
				if q.Interface == mdm && q.Role.Probeable() {
					c.Ports[i].Role = RolePPP
					c.Port, c.Reason = c.Ports[i], "AT^GETPORTMODE MDM"
					applyPortMode(c.Ports, r.PortMode)
					return c, nil
				}
			}
		}
	}
	for i, p := range c.Ports {
		if r := c.Results[p.Name]; r.AT && r.DataPort {
			c.Ports[i].Role = RolePPP
			c.Port, c.Reason = c.Ports[i], "data-port check"
			return c, nil
		}
	}
	return c, fmt.Errorf("%w among %s", ErrNoPort, describeProbes(c))
}

func applyPortMode(ports []Port, pm map[string]int) {
	for i := range ports {
		if ports[i].Role != RoleNone {
			continue
		}
		for k, n := range pm {
			if n != ports[i].Interface {
				continue
			}
			switch k {
			case "PCUI", "AT":
				ports[i].Role = RoleAT
			case "DIAG":
				ports[i].Role = RoleDiag
			case "GPS", "NMEA":
				ports[i].Role = RoleNMEA
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

// ParseGetPortMode parses Huawei's answer to AT^GETPORTMODE, e.g.
//
//	^GETPORTMODE: TYPE: WCDMA: Huawei Technologies Co., Ltd,MDM:0,DIAG:1,PCUI:2
//
// into {"MDM":0, "DIAG":1, "PCUI":2}: port kind → interface number.
func ParseGetPortMode(line string) map[string]int {
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
func sortPorts(p []Port) {
	sort.Slice(p, func(i, j int) bool { return p[i].Interface < p[j].Interface })
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/zdial/zdial/at"
	"github.com/zdial/zdial/carriers"
	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/printable"
	modeswitch "github.com/zdial/zdial/switch"
)

// runProbe asks ports what answers on them and what it is, all ports at
// once, with read-only AT queries only:
//
//	zdial probe                       every port of every dongle in modem mode
//	zdial probe /dev/ttyUSB2 …        these ports
//	zdial probe --json
//
// Ports the device database marks as diagnostics or NMEA are listed but
// never opened.
func runProbe(ctx context.Context, args []string, io stdio) int {
	fs := newFlagSet("probe", io.err)
	var p paths
	p.register(fs)
	asJSON := fs.Bool("json", false, "print a JSON array, one object per port")
	timeout := fs.Duration("timeout", 5*time.Second, "how long each port may take to answer every question")
	verbose := fs.Bool("v", false, "print the AT transcript of every port (interleaved)")
	fs.Usage = func() {
		fmt.Fprintln(io.err, "usage: zdial probe [PORT...] [--json] [--timeout D] [--sysfs DIR] [--dev DIR]")
		fs.PrintDefaults()
	}
	pos, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	var ports []probeJSON
	if len(pos) > 0 {
		for _, path := range pos {
			ports = append(ports, probeJSON{PortReport: dialer.PortReport{Port: path}})
		}
	} else {
		var code int
		if ports, code = donglePorts(&p, io); code != exitOK {
			return code
		}
	}

	var opts []at.Option
	if *verbose {
		opts = append(opts, at.WithTrace(&lockedWriter{w: io.err}))
	}
	var wg sync.WaitGroup
	for i := range ports {
		if ports[i].Skipped != "" {
			continue
		}
		wg.Add(1)
		go func(pr *probeJSON) { // each goroutine owns one element
			defer wg.Done()
			pctx, cancel := context.WithTimeout(ctx, *timeout)
			defer cancel()
			rep, err := dialer.Inspect(pctx, pr.Port, p.devRoot, opts...)
			pr.PortReport = rep
			if err != nil {
				pr.Error = err.Error()
				pr.openErr = err
			}
		}(&ports[i])
	}
	wg.Wait()

	simCarriers(&p, io, ports)
	answered := false
	var firstErr error
	for _, pr := range ports {
		answered = answered || pr.AT
		if firstErr == nil && pr.openErr != nil {
			firstErr = pr.openErr
		}
	}
	if *asJSON {
		enc := json.NewEncoder(io.out)
		enc.SetIndent("", "  ")
		enc.Encode(ports)
	} else {
		for i, pr := range ports {
			if i > 0 {
				fmt.Fprintln(io.out)
			}
			printProbe(io, pr)
		}
	}
	switch {
	case answered:
		return exitOK
	case firstErr != nil:
		return exitCode(firstErr)
	}
	return exitPort
}

// probeJSON is one port of `zdial probe --json`.
type probeJSON struct {
	dialer.PortReport
	Interface *int            `json:"interface,omitempty"`
	Role      modeswitch.Role `json:"role,omitempty"`    // the database's
	Skipped   string          `json:"skipped,omitempty"` // why the port was not opened
	Carrier   string          `json:"carrier,omitempty"` // the carrier the SIM belongs to, and why
	openErr   error
}

// donglePorts lists the ports of every dongle in modem mode.
func donglePorts(p *paths, io stdio) ([]probeJSON, int) {
	host, db, err := openHost(p, nil)
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return nil, exitCode(err)
	}
	dongles, err := host.Dongles(db)
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return nil, exitCode(err)
	}
	var out []probeJSON
	for _, g := range dongles {
		if g.Mode == modeswitch.ModeStorage {
			fmt.Fprintf(io.err, "zdial: %s %s (%s) is in storage mode and has no ports yet: zdial switch %s\n",
				g.Device.Name, g.Device.ID, g.Name(), g.Device.Name)
			continue
		}
		for _, pt := range host.Ports(db, g.Device) {
			pr := probeJSON{PortReport: dialer.PortReport{Port: pt.Path}, Interface: &pt.Interface, Role: pt.Role}
			if !pt.Role.Probeable() {
				pr.Skipped = fmt.Sprintf("the device database marks interface %d as %s: zdial never writes to it", pt.Interface, pt.Role)
			}
			out = append(out, pr)
		}
	}
	if len(out) == 0 {
		fmt.Fprintln(io.err, "zdial: no serial ports to probe")
		return nil, exitPort
	}
	return out, exitOK
}

func printProbe(io stdio, pr probeJSON) {
	head := pr.Port
	iface := -1
	if pr.Interface != nil {
		iface = *pr.Interface
		head += fmt.Sprintf("  interface %d", iface)
	}
	switch {
	case pr.Skipped != "":
		fmt.Fprintf(io.out, "%s: not probed (%s)\n", head, pr.Skipped)
		return
	case !pr.AT:
		fmt.Fprintf(io.out, "%s: no AT answer (%s)\n", head, pr.Error)
		return
	}
	// One verdict per port, with its reason: the database's role, the
	// port map and the ATO check can disagree, and discovery believes them
	// in that order (dialer.PortVerdict).
	checked := pr.Error == "" // Inspect runs the port checks last; an error cut them off
	data, why := dialer.PortVerdict(pr.Role, iface, pr.AT, checked, pr.DataPort, pr.PortMode)
	kind := "AT port, not a data port"
	switch {
	case data:
		kind = "data port (zdial dials here)"
	case !checked && pr.Role == "" && pr.PortMode == nil:
		kind = "AT port, not known whether a data port"
	}
	fmt.Fprintf(io.out, "%s: answers AT; %s: %s\n", head, kind, why)
	if pr.PortMode != nil {
		fmt.Fprintf(io.out, "  %-13s %s\n", "port map", portModeText(pr.PortMode))
	}
	if pr.Modem != nil {
		printInfo(io, *pr.Modem)
	}
	if pr.Carrier != "" {
		fmt.Fprintf(io.out, "  %-13s %s\n", "carrier", pr.Carrier)
	}
	if pr.Error != "" {
		fmt.Fprintf(io.out, "  %-13s %s\n", "cut short", pr.Error)
	}
}

func portModeText(pm map[string]int) string {
	var s []string
	for _, k := range []string{"MDM", "PCUI", "DIAG", "GPS", "NDIS"} {
		if n, ok := pm[k]; ok {
			s = append(s, fmt.Sprintf("%s on interface %d", k, n))
		}
	}
	return strings.Join(s, ", ")
}

// lockedWriter serialises the transcripts of ports probed at once.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// simCarriers names the carrier each port's SIM belongs to, from its IMSI
// (readable once the SIM is unlocked).
func simCarriers(p *paths, io stdio, ports []probeJSON) {
	var db *carriers.Database
	for i := range ports {
		m := ports[i].Modem
		if m == nil || m.IMSI == "" {
			continue
		}
		if db == nil {
			db = loadCarriers(p, io)
		}
		if sc, err := db.FromIMSI(m.IMSI); err == nil {
			ports[i].Carrier = printable.Strip(sc.Reason)
		} else {
			ports[i].Carrier = "unknown (" + printable.Strip(err.Error()) + ")"
		}
	}
}

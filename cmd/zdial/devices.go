package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"strings"

	modeswitch "github.com/zdial/zdial/switch"
)

// runDevices lists every dongle on the USB bus, as sysfs and the device
// database describe it; it opens no port and changes nothing:
//
//	zdial devices            one block per dongle
//	zdial devices --json     a JSON array of the same
func runDevices(_ context.Context, args []string, io stdio) int {
	fs := newFlagSet("devices", io.err)
	var p paths
	p.register(fs)
	asJSON := fs.Bool("json", false, "print a JSON array, one object per dongle")
	fs.Usage = func() {
		fmt.Fprintln(io.err, "usage: zdial devices [--json] [--sysfs DIR] [--dev DIR]")
		fs.PrintDefaults()
	}
	if code, ok := parseNone(fs, args); !ok {
		return code
	}
	host, db, err := openHost(&p, nil)
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitCode(err)
	}
	dongles, err := host.Dongles(db)
	if err != nil {
		if *asJSON {
			fmt.Fprintln(io.out, "[]")
		}
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitCode(err)
	}
	var list []deviceJSON
	for _, g := range dongles {
		d := deviceJSON{DongleInfo: host.Info(db, g)}
		if g.Mode == modeswitch.ModeModem {
			d.Link = "/dev/zdial/" + g.Device.LinkName()
		}
		if g.Entry == nil && g.Mode == modeswitch.ModeStorage {
			d.Snippet = modeswitch.Snippet(g.Device)
		}
		list = append(list, d)
	}
	if *asJSON {
		enc := json.NewEncoder(io.out)
		enc.SetIndent("", "  ")
		enc.Encode(list)
		return exitOK
	}
	for i, d := range list {
		if i > 0 {
			fmt.Fprintln(io.out)
		}
		printDongle(io, d)
	}
	return exitOK
}

// deviceJSON is one dongle of `zdial devices --json`.
type deviceJSON struct {
	modeswitch.DongleInfo
	// Snippet is a devices.yaml entry to fill in, for a storage-mode
	// device no database knows.
	Snippet string `json:"snippet,omitempty"`
	// Link is the directory of the modem's stable port links that zdial's
	// udev rule makes, /dev/zdial/19d2-0001-SERIAL (modem mode only).
	Link string `json:"link,omitempty"`
}

func printDongle(io stdio, d deviceJSON) {
	// The name is the device family; the ID beside it and the mode after
	// it are the ones the device has now.
	fmt.Fprintf(io.out, "%s  %s  %s, in %s mode\n", d.Sysfs, d.ID, d.Name, d.Mode)
	row := func(k, v string) { fmt.Fprintf(io.out, "  %-9s %s\n", k, v) }
	label := strings.TrimSpace(d.Manufacturer + " " + d.Product)
	if d.Serial != "" {
		label += " (serial " + d.Serial + ")"
	}
	if label != d.Name {
		row("device", label)
	}
	switch {
	case d.Mode == modeswitch.ModeStorage && d.Known:
		row("mode", fmt.Sprintf("storage (virtual CD-ROM): switch with %s: zdial switch %s", d.Method, d.Sysfs))
	case d.Mode == modeswitch.ModeStorage:
		row("mode", "storage (virtual CD-ROM), and not in the device database: zdial cannot switch it yet")
	default:
		row("mode", "modem")
	}
	if len(d.Drivers) > 0 {
		row("drivers", strings.Join(d.Drivers, ", "))
	}
	if d.Source != "" {
		row("database", d.Source)
	}
	for i, pt := range d.Ports {
		k := ""
		if i == 0 {
			k = "ports"
		}
		role := string(pt.Role)
		if role == "" {
			role = "role unknown (zdial probe tells)"
		}
		row(k, fmt.Sprintf("%-14s interface %d  %s", pt.Path, pt.Interface, role))
	}
	if d.Mode == modeswitch.ModeModem && d.Link != "" && len(d.Ports) > 0 {
		row("links", d.Link+"/ROLE (made by zdial's udev rule: zdial udev-rule --install)")
	}
	if d.Mode == modeswitch.ModeModem && len(d.Ports) == 0 {
		row("ports", "none yet (no serial driver bound: zdial switch binds option)")
	}
	if d.Snippet != "" {
		fmt.Fprintf(io.out, "\n  To add it: install usb-modeswitch-data if that knows it (zdial reads it), or put a\n"+
			"  usb_modeswitch configuration for it in /etc/usb_modeswitch.d/%04x:%04x; for zdial's own\n"+
			"  database (switch/devices.yaml) the entry looks like this, with the modem-mode ID that\n"+
			"  lsusb shows after one successful switch:\n\n%s", d.ID.Vendor, d.ID.Product, d.Snippet)
	}
}

// openHost is the machine and device database for the mode-switching
// commands, with the roots from p. log nil discards the library's log.
func openHost(p *paths, log *slog.Logger) (*modeswitch.Host, *modeswitch.DB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opts := p.detectOptions()
	db, _, err := opts.DeviceDB()
	if err != nil {
		return nil, nil, err
	}
	return opts.Host(p.devRoot, log), db, nil
}

// parseNone parses a command that takes flags only.
func parseNone(fs *flag.FlagSet, args []string) (int, bool) {
	pos, code, ok := parseArgs(fs, args)
	if !ok {
		return code, false
	}
	if len(pos) != 0 {
		fs.Usage()
		return exitUsage, false
	}
	return exitOK, true
}

// verboseLog is the library log for -v: what was written where.
func verboseLog(io stdio, verbose bool) *slog.Logger {
	if !verbose {
		return nil
	}
	return slog.New(slog.NewTextHandler(io.err, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

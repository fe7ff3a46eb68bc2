package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/zdial/zdial/at"
	"github.com/zdial/zdial/internal/dialer"
	modeswitch "github.com/zdial/zdial/switch"
)

// runSwitch takes a dongle out of storage (ZeroCD) mode now and waits for
// its serial ports:
//
//	zdial switch                  the one dongle there is
//	zdial switch 1-2              the dongle at USB port 1-2 (udev's %k), or by ID: 19d2:2000
//	zdial switch --no-wait 1-2    one step, then exit: what the udev rule runs (below)
//	zdial switch --permanent      say what would make it start as a modem for good
//	zdial switch --permanent --yes   and do it (the vendor's own AT command)
//
// --no-wait is for udev, which kills RUN programs that take long: on a
// storage-mode device it sends the switch and exits; on a modem-mode device
// it binds option through new_id if no serial driver has it, and exits.
// The rule runs it at both events (modeswitch.UdevRule describes the flow).
func runSwitch(ctx context.Context, args []string, io stdio) int {
	fs := newFlagSet("switch", io.err)
	var p paths
	p.register(fs)
	permanent := fs.Bool("permanent", false, "send the vendor's \"stay in modem mode\" AT command (changes the dongle's flash; needs --yes)")
	yes := fs.Bool("yes", false, "confirm --permanent")
	wait := fs.Duration("wait", modeswitch.DefaultWait, "how long to wait for the switched dongle's serial ports")
	noWait := fs.Bool("no-wait", false, "do one step and exit: send the switch (storage mode) or bind option (modem mode); for the udev rule")
	verbose := fs.Bool("v", false, "log every sysfs write and USB transfer (and the AT transcript with --permanent)")
	runDir := fs.String("run-dir", "", "directory of the per-device switch locks and records (default /run/zdial with the real --sysfs; none with another)")
	fs.Usage = func() {
		fmt.Fprintln(io.err, "usage: zdial switch [DEVICE] [--no-wait | --permanent [--yes]] [--sysfs DIR] [--dev DIR]")
		fmt.Fprintln(io.err, "DEVICE is a USB port name as in /sys/bus/usb/devices (1-2) or an ID (19d2:2000).")
		fs.PrintDefaults()
	}
	pos, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 1 || (*yes && !*permanent) || (*noWait && *permanent) {
		fs.Usage()
		return exitUsage
	}
	host, db, err := openHost(&p, verboseLog(io, *verbose))
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitCode(err)
	}
	host.Wait = *wait
	// The records make a switch happen once per plug however many times
	// udev and people ask; they describe this machine's devices, so a fake
	// --sysfs tree keeps none unless --run-dir names a place.
	host.RunDir = *runDir
	if host.RunDir == "" && filepath.Clean(p.sysRoot) == "/sys" {
		host.RunDir = "/run/zdial"
	}
	dongles, err := host.Dongles(db)
	var nd *modeswitch.NoDongleError
	if err != nil && !(*noWait && len(pos) == 1 && errors.As(err, &nd) && len(nd.Seen) > 0) {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitCode(err)
	}
	g, err := selectDongle(dongles, pos, *permanent)
	if err != nil && *noWait && len(pos) == 1 {
		// udev runs this at a USB device's add, which can come before its
		// interfaces exist, and at bind, which can come after a switched
		// dongle has left: its next events run zdial again.
		fmt.Fprintf(io.out, "nothing to do: no dongle at %s now (still configuring, re-enumerating after a switch, or not a dongle)\n", pos[0])
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(io.err, "zdial switch:", err)
		return exitUsage
	}
	if *permanent {
		return switchPermanent(ctx, &p, host, db, g, *yes, *verbose, io)
	}

	if g.Mode == modeswitch.ModeStorage && g.Entry != nil && g.Entry.Switch != nil {
		fmt.Fprintf(io.out, "switching %s %s (%s) with %s\n", g.Device.Name, g.Device.ID, g.Name(), g.Entry.Switch.Method)
	} else if g.Mode == modeswitch.ModeModem {
		fmt.Fprintf(io.out, "%s %s (%s) is already in modem mode\n", g.Device.Name, g.Device.ID, g.Name())
	}
	if *noWait {
		return switchNoWait(ctx, host, g, io)
	}
	res, err := host.Switch(ctx, g)
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitCode(err)
	}
	if res.Already != "" {
		fmt.Fprintf(io.out, "not sent again: %s\n", res.Already)
	}
	printSent(io, res)
	if res.Method != "" {
		fmt.Fprintf(io.out, "now %s at %s (%s)\n", res.Device.ID, res.Device.Name, res.Device.Label())
	}
	fmt.Fprintln(io.out, "ports:")
	for _, pt := range host.Ports(db, res.Device) {
		role := string(pt.Role)
		if role == "" {
			role = "role unknown (zdial probe tells)"
		}
		fmt.Fprintf(io.out, "  %-14s interface %d  %s\n", pt.Path, pt.Interface, role)
	}
	return exitOK
}

// switchNoWait does the one step g's mode calls for and exits without
// waiting for the device: a udev RUN program must return at once.
func switchNoWait(ctx context.Context, host *modeswitch.Host, g modeswitch.Dongle, io stdio) int {
	res, err := host.SwitchNoWait(ctx, g)
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitCode(err)
	}
	printSent(io, res)
	switch {
	case res.Already != "":
		fmt.Fprintf(io.out, "nothing to do: %s\n", res.Already)
	case res.Method != "":
		fmt.Fprintf(io.out, "not waiting (--no-wait): %s re-enumerates in modem mode; the udev rule then runs zdial switch --no-wait %s again to bind a serial driver\n",
			g.Device.Name, g.Device.Name)
	case res.Bound:
		fmt.Fprintf(io.out, "not waiting (--no-wait): the option driver creates the serial ports of %s; zdial devices lists them\n", g.Device.Name)
	default:
		fmt.Fprintf(io.out, "nothing to do: a serial driver already serves %s\n", g.Device.Name)
	}
	return exitOK
}

func printSent(io stdio, res modeswitch.SwitchResult) {
	if res.FellBack != nil {
		fmt.Fprintf(io.out, "switched by detaching usb-storage from the storage interface (DetachStorageOnly), not %s: %s\n",
			res.Planned, forPeople(res.FellBack))
	}
	if len(res.Sent) == 0 {
		return
	}
	fmt.Fprintln(io.out, "sent:")
	for _, s := range res.Sent {
		fmt.Fprintln(io.out, "  "+s)
	}
}

// selectDongle picks the dongle named by pos (a sysfs name or VID:PID), or
// the only candidate: the only dongle in storage mode for a switch, the
// only one in modem mode for --permanent.
func selectDongle(dongles []modeswitch.Dongle, pos []string, permanent bool) (modeswitch.Dongle, error) {
	if len(pos) == 1 {
		want := pos[0]
		if i := strings.LastIndex(want, "/"); i >= 0 { // /sys/bus/usb/devices/1-2
			want = want[i+1:]
		}
		id, idErr := modeswitch.ParseID(want)
		for _, g := range dongles {
			if g.Device.Name == want || (idErr == nil && g.Device.ID == id) {
				return g, nil
			}
		}
		return modeswitch.Dongle{}, fmt.Errorf("no dongle %q; dongles: %s", pos[0], listDongles(dongles))
	}
	if len(dongles) == 1 {
		return dongles[0], nil
	}
	mode := modeswitch.ModeStorage
	if permanent {
		mode = modeswitch.ModeModem
	}
	var match []modeswitch.Dongle
	for _, g := range dongles {
		if g.Mode == mode {
			match = append(match, g)
		}
	}
	if len(match) == 1 {
		return match[0], nil
	}
	return modeswitch.Dongle{}, fmt.Errorf("%d dongles; name one: %s", len(dongles), listDongles(dongles))
}

func listDongles(gs []modeswitch.Dongle) string {
	var s []string
	for _, g := range gs {
		s = append(s, fmt.Sprintf("%s (%s, %s mode)", g.Device.Name, g.Device.ID, g.Mode))
	}
	return strings.Join(s, ", ")
}

// switchPermanent sends the vendor's "always start as a modem" command on
// the dongle's AT port. It changes the dongle's flash, so without yes it
// only says what it would do.
func switchPermanent(ctx context.Context, p *paths, host *modeswitch.Host, db *modeswitch.DB,
	g modeswitch.Dongle, yes, verbose bool, io stdio) int {
	cmd := modeswitch.PermanentModemCommand(g.Device.ID)
	if cmd == "" {
		fmt.Fprintf(io.err, "zdial switch: zdial knows no \"stay in modem mode\" command for %s (%s); "+
			"install the udev rule instead (zdial udev-rule --install)\n", g.Device.ID, g.Name())
		return exitOther
	}
	if g.Mode != modeswitch.ModeModem {
		fmt.Fprintf(io.err, "zdial switch: %s is in storage mode: the command goes to its AT port, which it has only in modem mode;\n"+
			"run zdial switch first, then zdial switch --permanent --yes\n", g.Device.Name)
		return exitPort
	}
	disc := dialer.Discovery{DevRoot: p.devRoot, LockDir: p.lockDir, ProcRoot: p.procRoot}
	port, err := disc.CommandPort(ctx, g.Device, host.Ports(db, g.Device))
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitCode(err)
	}
	if !yes {
		fmt.Fprintf(io.out, "would send AT%s on %s to %s (%s).\n"+
			"It writes the dongle's flash so that from its next power-up it starts as a modem,\n"+
			"without the virtual CD-ROM, on this and every other computer.\n"+
			"Run zdial switch --permanent --yes to do it.\n", cmd, port, g.Device.ID, g.Name())
		return exitUsage
	}
	if verbose {
		disc.ATOptions = append(disc.ATOptions, at.WithTrace(io.err))
	}
	disc.Note = func(format string, args ...any) { fmt.Fprintf(io.out, format+"\n", args...) }
	if err := disc.SendPermanent(ctx, port, cmd); err != nil {
		fmt.Fprintf(io.err, "zdial: %s: %s\n", g.Device.ID, forPeople(err))
		return exitCode(err) // ErrNoAnswer is a port failure, ErrRefused anything else
	}
	fmt.Fprintf(io.out, "OK: %s starts in modem mode from its next power-up\n", g.Device.ID)
	return exitOK
}

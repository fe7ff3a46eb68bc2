package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

type options struct {
	mode, configfs, sysfs, udc, name, serial, image, state string
	ports, ignoreEjects                                    int
	selfSwitch, switchDelay, poll                          time.Duration

	// The modem port with DTR (-modem-port): which serial function it is (-1: none), where
	// its FunctionFS is mounted, the persona its simulator plays, where the network's end of
	// the line is linked.
	modemPort                int
	ffsDir, persona, netLink string
}

// A logger stamps each event with the guest's uptime, the clock the scenarios use too.
type logger struct{ w io.Writer }

func (l logger) printf(format string, args ...any) {
	up, _ := os.ReadFile("/proc/uptime")
	stamp, _, _ := strings.Cut(string(up), " ")
	fmt.Fprintf(l.w, "firmware: [%s] %s\n", stamp, fmt.Sprintf(format, args...))
}

func run(ctx context.Context, o options, log logger) error {
	g := newGadget(o.configfs, o.name)
	setState := func(mode string) error {
		if o.state == "" {
			return nil
		}
		return os.WriteFile(o.state, []byte(mode+"\n"), 0o644)
	}
	// A leftover gadget of the same name (an earlier run) would make mkdir fail.
	if err := g.remove(); err != nil {
		return err
	}
	if o.modemPort >= o.ports {
		return fmt.Errorf("firmware: -modem-port %d: the modem has %d serial functions", o.modemPort, o.ports)
	}
	switch o.mode {
	case "modem":
		return plugModem(ctx, g, o, log, setState)
	case "disk":
		if err := g.create(diskSpec(o.serial, o.image), o.udc); err != nil {
			return err
		}
		log.printf("plugged disk %s on %s", o.image, o.udc)
		return setState("disk")
	case "zerocd":
	default:
		return fmt.Errorf("firmware: unknown mode %q", o.mode)
	}

	if err := ensureImage(o.image, 1<<20); err != nil {
		return err
	}
	if err := g.create(zeroCDSpec(o.serial, o.image), o.udc); err != nil {
		return err
	}
	log.printf("plugged ZeroCD 19d2:2000 on %s (image %s)", o.udc, o.image)
	if err := setState("zerocd"); err != nil {
		return err
	}
	why, err := waitForSwitch(ctx, g, o, log)
	if err != nil {
		return err
	}
	log.printf("switching: %s", why)
	time.Sleep(o.switchDelay) // let the eject's CSW reach the host before the unplug
	if err := g.remove(); err != nil {
		return err
	}
	return plugModem(ctx, g, o, log, setState)
}

// plugModem plugs the dongle in modem mode and records the state. With -modem-port, function
// N is the FunctionFS port and the firmware serves the modem on it until ctx is done.
func plugModem(ctx context.Context, g gadget, o options, log logger, setState func(string) error) error {
	s := modemSpec(o.serial, o.ports)
	var port *ffsPort
	if o.modemPort >= 0 {
		s.functions[o.modemPort] = function{name: "ffs.modem", ready: func() (err error) {
			port, err = openFFS("modem", o.ffsDir)
			return err
		}}
	}
	if err := g.create(s, o.udc); err != nil {
		if port != nil {
			port.Close()
		}
		return err
	}
	log.printf("plugged modem 19d2:0001 on %s (%d serial functions)", o.udc, o.ports)
	if err := setState("modem"); err != nil || port == nil {
		return err
	}
	return serveModem(ctx, g, port, o, log)
}

// waitForSwitch watches the LUN until the firmware decides to switch and says why.
func waitForSwitch(ctx context.Context, g gadget, o options, log logger) (string, error) {
	const lunFile = "functions/mass_storage.0/lun.0/file"
	ejects := 0
	var unclaimedSince time.Time
	tick := time.NewTicker(o.poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-tick.C:
		}
		file, err := g.read(lunFile)
		if err != nil {
			return "", fmt.Errorf("firmware: read LUN: %w", err)
		}
		if file == "" {
			ejects++
			log.printf("eject %d seen (medium removed)", ejects)
			if ejects > o.ignoreEjects {
				return fmt.Sprintf("eject %d", ejects), nil
			}
			time.Sleep(o.switchDelay)
			if err := g.write(lunFile, o.image); err != nil {
				return "", err
			}
			log.printf("ignoring eject %d: medium re-inserted", ejects)
			continue
		}
		if o.selfSwitch <= 0 {
			continue
		}
		claimed, err := storageClaimed(o.sysfs, zteVendor, zteZeroCD, o.serial)
		switch {
		case errors.Is(err, errNoDevice):
			unclaimedSince = time.Time{} // not enumerated (yet)
		case err != nil:
			return "", err
		case claimed:
			if !unclaimedSince.IsZero() {
				log.printf("storage interface claimed again")
			}
			unclaimedSince = time.Time{}
		case unclaimedSince.IsZero():
			unclaimedSince = time.Now()
			log.printf("storage interface unclaimed; switching in %v unless claimed", o.selfSwitch)
		case time.Since(unclaimedSince) >= o.selfSwitch:
			return fmt.Sprintf("storage interface unclaimed for %v", o.selfSwitch), nil
		}
	}
}

// ensureImage creates a blank CD image of size bytes when path does not exist yet.
func ensureImage(path string, size int64) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("firmware: image: %w", err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		return fmt.Errorf("firmware: image: %w", err)
	}
	return f.Close()
}

// Command firmware is the emulated ZTE dongle of the zdial lab. It runs inside the lab's QEMU
// guest, on the gadget side of dummy_hcd, and builds the dongle with configfs:
//
//	firmware -mode zerocd   plug as 19d2:2000 (a CD-ROM LUN), wait for the eject, then
//	                        re-enumerate as 19d2:0001 with three serial functions and exit
//	firmware -mode modem    plug as 19d2:0001 directly (a dongle already switched) and exit
//	firmware -mode disk     plug a plain USB flash disk (the bystander) and exit
//
// With -modem-port N (zerocd or modem mode) serial function N is not the kernel's gser but a
// FunctionFS function served by the firmware itself, and the modem is in the firmware: zdial's
// simulator answers AT on it, sees the host's DTR (which gser cannot pass on), and in a call
// carries the data to and from a pty whose path is linked at -net, where the operator's pppd
// runs. The firmware then stays running until SIGTERM.
//
//	ttyUSBN ── option ── bulk IN/OUT ── firmware: modem (AT, DTR, data) ── pty (-net) ── pppd
//	TIOCMBIC DTR ──── SET_CONTROL_LINE_STATE ──► DTR off: the call is hung up, AT answered
//
// What the host does, the firmware sees through the gadget's LUN: a SCSI START STOP UNIT with
// LoEj (from /dev/sr0, or a raw bulk-only CBW as usb_modeswitch and zdial send it) makes
// f_mass_storage close the backing file, so functions/mass_storage.0/lun.0/file reads empty.
//
//	host                                      gadget (this program)
//	CBW 55534243 … 1b 00 00 00 02 00   ──►    lun.0/file: "/run/zerocd.iso" → ""
//	CSW 55534253 … 00                  ◄──    (after -switch-delay) UDC "" → 19d2:0001, gser.0-2
//
// Variants, as real dongles behave: -ignore-ejects N re-inserts the medium for the first N
// ejects (a dongle that needs the eject twice); -self-switch D switches on its own once the
// host has left the storage interface unclaimed for D (a ZTE MF622 does this when no driver
// talks to its CD-ROM). The firmware cannot see host-side claims through the cable, so for
// that variant it reads the host's sysfs, which in the lab guest is the same kernel's.
//
// Events go to stderr as "firmware: [uptime] …"; -state FILE holds the current mode
// (zerocd, modem, disk) for scenarios to wait on.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	var o options
	flag.StringVar(&o.mode, "mode", "zerocd", "start as zerocd, modem or disk")
	flag.StringVar(&o.configfs, "configfs", "/sys/kernel/config", "configfs mount point")
	flag.StringVar(&o.sysfs, "sysfs", "/sys", "host-side sysfs (for -self-switch)")
	flag.StringVar(&o.udc, "udc", "dummy_udc.0", "UDC to bind the gadget to")
	flag.StringVar(&o.name, "name", "zte", "configfs gadget name")
	flag.StringVar(&o.serial, "serial", "MF622LAB0001", "iSerial")
	flag.StringVar(&o.image, "image", "/run/zerocd.iso", "CD-ROM (or disk) image; a CD image is created if absent")
	flag.IntVar(&o.ports, "ports", 3, "serial functions in modem mode")
	flag.IntVar(&o.ignoreEjects, "ignore-ejects", 0, "re-insert the medium for the first N ejects")
	flag.DurationVar(&o.selfSwitch, "self-switch", 0, "switch after the storage interface is unclaimed this long (0: never)")
	flag.DurationVar(&o.switchDelay, "switch-delay", 200*time.Millisecond, "time between the eject and the re-enumeration")
	flag.DurationVar(&o.poll, "poll", 20*time.Millisecond, "how often to look at the LUN (configfs has no inotify)")
	flag.StringVar(&o.state, "state", "", "file to hold the current mode")
	flag.IntVar(&o.modemPort, "modem-port", -1, "serve serial function N as the modem itself, with DTR (FunctionFS), and stay running")
	flag.StringVar(&o.ffsDir, "ffs", "/run/ffs-modem", "where -modem-port's FunctionFS is mounted")
	flag.StringVar(&o.persona, "persona", "zte-mf622", "the modem -modem-port plays (a zdial sim persona)")
	flag.StringVar(&o.netLink, "net", "/run/modem-net", "symlink to -modem-port's network end: the operator's pppd runs on it")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, logger{os.Stderr}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

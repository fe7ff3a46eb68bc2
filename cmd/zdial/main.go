// Command zdial takes a USB mobile-broadband dongle from "just plugged in"
// to "online" with one command, and keeps it online:
//
//	zdial three                     dial the Three UK profile
//	zdial up three / down / status  keep it online in the background (zdial run: foreground)
//	zdial ensure three              for cron: bring the link up unless it is healthy
//	zdial auto                      dial with nothing configured: APN from the SIM
//	zdial carriers vodafone         which carriers zdial knows, and their APNs
//	zdial config show work          a resolved profile, and where each value came from
//	zdial --port /dev/ttyUSB2 work  dial a profile from the config file
//	zdial demo                      the whole path against a simulated ZTE MF622
//	zdial sim --persona NAME        serve a simulated modem on a pty
//	zdial chat SCRIPT               chat(8) stand-in for pppd's connect option
//	zdial devices                   the dongles on the USB bus, their mode and ports
//	zdial switch [DEVICE]           switch a dongle out of CD-ROM mode now
//	zdial probe [PORT...]           what answers on each port, and what it is
//	zdial udev-rule [--install]     switch dongles automatically as they are plugged in
//	zdial peer PROFILE [--install]  /etc/ppp/peers/PROFILE: pon and pppd call dial through zdial
//	zdial install-unit [--install]  zdial@.service: systemd keeps a profile online
//	zdial help --man                the zdial(8) manual page, from the same text as --help
//	zdial completion bash           bash completion, from the same commands and flags
//
// Only this package prints, reads flags and exits; everything below it
// returns values and typed errors.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}

// stdio is the terminal, passed in so that run is testable in-process.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, io stdio) int
}

func commands() []command {
	return []command{
		{"connect", "dial PROFILE and stay online (the default: zdial PROFILE)", runConnect},
		{"run", "keep PROFILE online in the foreground: redial when the link drops (for systemd)", runRun},
		{"up", "start a supervisor for PROFILE and return once the link is up", runUp},
		{"down", "hang PROFILE up and stop its supervisor", runDown},
		{"status", "show the supervised links (all, or PROFILE), with --json", runStatus},
		{"ensure", "for cron: exit 0 if PROFILE's link is healthy, else bring it up", runEnsure},
		{"auto", "get online with nothing configured: APN from the SIM", runAuto},
		{"carriers", "search the carriers zdial knows: names, countries, networks, APNs", runCarriers},
		{"config", "check the config files, or show a resolved profile and where each value came from", runConfig},
		{"demo", "run the whole dial path against a simulated ZTE MF622", runDemo},
		{"sim", "serve a simulated modem on a pty (or stdin/stdout)", runSim},
		{"chat", "run a chat(8) script on stdin/stdout, as pppd's connect program", runChat},
		{"devices", "list the USB modem dongles: IDs, mode, driver, ports and their roles", runDevices},
		{"switch", "switch a dongle out of storage (CD-ROM) mode now and wait for its ports", runSwitch},
		{"probe", "ask serial ports what answers on them and what it is", runProbe},
		{"udev-rule", "print (or --install) the udev rule that switches dongles as they are plugged in", runUdevRule},
		{"import-wvdial", "convert a wvdial.conf into zdial profiles", runImportWvdial},
		{"peer", "print (or --install) /etc/ppp/peers/PROFILE: pon and pppd call dial through zdial", runPeer},
		{"install-unit", "print (or --install) zdial@.service, the systemd unit for zdial run PROFILE", runInstallUnit},
		{"udev-role", "for the udev rule: the link name and role of a tty, from the database and the port cache", runUdevRole},
		{"version", "print zdial's version", runVersion},
		{"help", "this list; help COMMAND: a command's flags; help --man: the zdial(8) manual page", runHelp},
		{"completion", "print the bash completion script (zdial completion bash)", runCompletion},
	}
}

func run(ctx context.Context, args []string, io stdio) int {
	if len(args) == 0 {
		usage(io.err)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(io.out)
		return exitOK
	}
	for _, c := range commands() {
		if args[0] == c.name {
			return c.run(ctx, args[1:], io)
		}
	}
	// Anything else is a profile name, possibly after connect's flags.
	return runConnect(ctx, args, io)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: zdial [flags] PROFILE     dial PROFILE (a carrier such as three, or a profile from the config)")
	fmt.Fprintln(w, "       zdial COMMAND [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun zdial COMMAND -h for a command's flags.")
}

func runVersion(_ context.Context, args []string, io stdio) int {
	if code, ok := parseNone(newFlagSet("version", io.err), args); !ok {
		return code
	}
	fmt.Fprintln(io.out, "zdial", version)
	return exitOK
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "devel"

package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/zdial/zdial/at"
	"github.com/zdial/zdial/carriers"
	"github.com/zdial/zdial/internal/demonet"
	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/modemsim"
	"github.com/zdial/zdial/internal/profile"
)

// runDemo shows zdial end to end with no hardware: a simulated ZTE MF622,
// probed, then dialed with the built-in profile three. When this host can
// run pppd (root, /dev/ppp, pppd installed, network namespaces) the call
// goes on to real pppd against a PPP peer behind the simulated modem,
// both isolated from the host's routes and DNS (runLive); otherwise the
// demo stops at CONNECT, says why in one line and prints the pppd command
// it would run.
func runDemo(ctx context.Context, args []string, io stdio) int {
	fs := newFlagSet("demo", io.err)
	persona := fs.String("persona", "zte-mf622", "simulated modem to dial")
	profileName := fs.String("profile", "three", "profile to dial")
	verbose := fs.Bool("v", false, "print the AT transcript (and the network pppd's log)")
	pppdFlag := fs.String("pppd", "", "pppd binary (default: pppd from PATH or /usr/sbin)")
	dryRun := fs.Bool("dry-run", false, "stop at CONNECT and print the pppd command, even where pppd could run")
	hold := fs.Duration("hold", 3*time.Second, "how long to keep the link up before hanging up (0: until Ctrl-C)")
	if _, code, ok := parseArgs(fs, args); !ok {
		return code
	}
	p, err := modemsim.Builtin(*persona)
	if err != nil {
		fmt.Fprintln(io.err, "zdial demo:", err)
		return exitUsage
	}
	prof, err := profile.Resolve(nil, carriers.Builtin(), *profileName)
	if err != nil {
		fmt.Fprintln(io.err, "zdial demo:", err)
		return exitUsage
	}
	const devRoot = "/dev"
	whyNot := "--dry-run"
	var pppd string
	iso := demonet.DefaultIsolation()
	if !*dryRun {
		findPPPD := func() (string, error) { return dialer.FindPPPD(*pppdFlag) }
		pppd, whyNot = demonet.HostChecks(devRoot, findPPPD, iso).Decide()
	}
	if whyNot == "" {
		return runLive(ctx, io, liveDemo{persona: p, profile: prof, pppd: pppd, devRoot: devRoot,
			iso: iso, hold: *hold, verbose: *verbose})
	}
	return runDryDemo(ctx, io, p, prof, whyNot, *verbose)
}

// runDryDemo dials the simulated modem on a pty up to CONNECT, hangs up
// and prints the pppd command it would have run, saying why it did not.
func runDryDemo(ctx context.Context, io stdio, p modemsim.Persona, prof profile.Profile, whyNot string, verbose bool) int {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	sim, err := modemsim.OpenPTY(ctx, p, modemsim.WithGuardTime(100*time.Millisecond))
	if err != nil {
		fmt.Fprintln(io.err, "zdial demo:", err)
		return exitOther
	}
	defer sim.Close()
	fmt.Fprintf(io.out, "simulated %s %s on %s\n\n", p.Identity.Manufacturer, p.Identity.Model, sim.Path)

	if code := demoProbe(ctx, sim.Path, io); code != exitOK {
		return code
	}

	tmp, err := os.MkdirTemp("", "zdial-demo-")
	if err != nil {
		fmt.Fprintln(io.err, "zdial demo:", err)
		return exitOther
	}
	defer os.RemoveAll(tmp)
	// Text, whatever stdout is: a demo is for people.
	f := connectFlags{paths: paths{lockDir: tmp, stateDir: tmp, devRoot: "/dev", procRoot: "/proc", log: logFlags{format: logText}}, verbose: verbose}
	opts := f.dialerOptions(demoProfile(prof), io) // the command runLive would run
	fmt.Fprintf(io.out, "\ndialing profile %s (APN %s, %s)\n", prof.Name, prof.APN, dialNumber(opts))
	opts.Port = sim.Path
	opts.GuardTime = 200 * time.Millisecond
	opts.DryRun = true
	res, err := dialer.Connect(ctx, opts)
	code := report(io, false, res, err)
	if err == nil {
		fmt.Fprintf(io.out, "\n(demo: pppd not run: %s; lab/run demo runs it for real)\n", whyNot)
	}
	return code
}

// demoProbe prints what the simulated modem says about itself.
func demoProbe(ctx context.Context, port string, io stdio) int {
	line, err := dialer.OpenPort(port, "/dev")
	if err != nil {
		fmt.Fprintln(io.err, "zdial demo:", err)
		return exitPort
	}
	m := at.New(line)
	defer m.Close()
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	info, err := dialer.Describe(pctx, m)
	if err != nil {
		fmt.Fprintln(io.err, "zdial demo: probe:", err)
		return exitPort
	}
	printInfo(io, info)
	return exitOK
}

func printInfo(io stdio, info dialer.ModemInfo) {
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(io.out, "  %-13s %s\n", k, v)
		}
	}
	row("modem", info.Manufacturer+" "+info.Model)
	row("firmware", info.Revision)
	row("IMEI", info.IMEI)
	row("ICCID", info.ICCID)
	sim := info.SIM
	if info.PINAttempts > 0 {
		sim += fmt.Sprintf(" (%d attempts left)", info.PINAttempts)
	}
	row("SIM", sim)
	if info.SignalDBm != 0 {
		row("signal", fmt.Sprintf("%d dBm", info.SignalDBm))
	} else {
		row("signal", "unknown")
	}
	reg := info.Registration
	if info.AccessTech != "" {
		reg += " (" + info.AccessTech + ")"
	}
	row("registration", reg)
	row("operator", info.Operator)
}

// dialNumber is the number the dial sequence dials for o's profile: the
// profile's own, or the default for its cid.
func dialNumber(o dialer.Dialer) string {
	dp, err := o.DialParams().WithDefaults()
	if err != nil {
		return o.Profile.Number // Connect reports the error
	}
	return dp.Number
}

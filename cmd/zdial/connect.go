package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/zdial/zdial/carriers"
	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/profile"
)

// connectFlags are zdial PROFILE's flags.
type connectFlags struct {
	paths
	port    string
	pppd    string
	dryRun  bool
	verbose bool
	json    bool
	guard   time.Duration
}

func (f *connectFlags) register(fs *flag.FlagSet) {
	f.paths.register(fs)
	fs.StringVar(&f.port, "port", "", "the modem's AT/PPP port, e.g. /dev/ttyUSB0 (overrides the profile)")
	fs.StringVar(&f.pppd, "pppd", "", "pppd binary (default: pppd from PATH or /usr/sbin)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "dial, then hang up and print the pppd command instead of running it")
	fs.BoolVar(&f.verbose, "v", false, "print the AT transcript with timestamps (PIN and password shown as ****)")
	fs.BoolVar(&f.json, "json", false, "print the final state as one JSON object")
	fs.DurationVar(&f.guard, "guard-time", time.Second, "silence before and after +++ when hanging up (the modem's S12)")
}

func runConnect(ctx context.Context, args []string, io stdio) int {
	fs := newFlagSet("connect", io.err)
	var f connectFlags
	f.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(io.err, "usage: zdial [connect] [flags] PROFILE")
		fs.PrintDefaults()
	}
	pos, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	prof, code := loadProfile(&f.paths, pos[0], io)
	if code != exitOK {
		return code
	}
	opts := f.dialerOptions(prof, io)
	res, err := dialer.Connect(ctx, opts)
	return report(io, f.json, res, err)
}

// loadProfile reads the config files and resolves name, printing any
// warning or error.
func loadProfile(p *paths, name string, io stdio) (profile.Profile, int) {
	files, required := p.configFiles()
	cfg, err := profile.LoadConfig(files, required)
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", err)
		return profile.Profile{}, exitUsage
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintln(io.err, "zdial: warning:", w)
	}
	prof, err := profile.Resolve(cfg, carriers.Builtin(), name)
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", err)
		return profile.Profile{}, exitUsage
	}
	return prof, exitOK
}

func (f *connectFlags) dialerOptions(prof profile.Profile, io stdio) dialer.Dialer {
	progressOut := io.out
	if f.json {
		progressOut = io.err // keep stdout for the one JSON object
	}
	opts := dialer.Dialer{
		Profile:       prof,
		Port:          f.port,
		DevRoot:       f.devRoot,
		LockDir:       f.lockDir,
		ProcRoot:      f.procRoot,
		StateDir:      f.stateDir,
		PPPD:          f.pppd,
		DryRun:        f.dryRun,
		GuardTime:     f.guard,
		Progress:      f.log.progress(progressOut),
		DetectOptions: f.paths.detectOptions(),
		Logger:        slog.New(slog.DiscardHandler),
	}
	if prof.PPPD.Path != "" && f.pppd == "" {
		opts.PPPD = prof.PPPD.Path
	}
	if f.verbose {
		opts.Trace = io.err
		opts.Logger = slog.New(slog.NewTextHandler(io.err, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	return opts
}

// report prints the outcome and returns the exit code.
func report(io stdio, asJSON bool, res dialer.Result, err error) int {
	code := exitCode(err)
	if asJSON {
		out := struct {
			dialer.Result
			OK    bool   `json:"ok"`
			Error string `json:"error,omitempty"`
			Exit  int    `json:"exit_code"`
		}{Result: res, OK: err == nil, Exit: code}
		if err != nil {
			out.Error = err.Error()
		}
		enc := json.NewEncoder(io.out)
		enc.Encode(out)
	} else if len(res.PPPDArgs) > 0 {
		fmt.Fprintln(io.out, "pppd command (dry run):", shellQuote(res.PPPDArgs))
	}
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", err)
	}
	return code
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	iofs "io/fs"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/printable"
	"github.com/zdial/zdial/internal/profile"
	"github.com/zdial/zdial/internal/safefile"
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
	// Overrides of any profile, for the user who knows their APN and
	// nothing else. A password only from a file: argv is world-readable.
	apn, number, user, passwordFile string
}

func (f *connectFlags) register(fs *flag.FlagSet) {
	f.paths.register(fs)
	fs.StringVar(&f.port, "port", "", "the modem's AT/PPP port, e.g. /dev/ttyUSB0 (overrides the profile)")
	fs.StringVar(&f.pppd, "pppd", "", "pppd binary (default: pppd from PATH or /usr/sbin)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "dial, then hang up and print the pppd command instead of running it")
	fs.BoolVar(&f.verbose, "v", false, "print the AT transcript with timestamps (PIN and password shown as ****)")
	fs.BoolVar(&f.json, "json", false, "print the final state as one JSON object")
	fs.DurationVar(&f.guard, "guard-time", time.Second, "silence before and after +++ when hanging up (the modem's S12)")
	fs.StringVar(&f.apn, "apn", "", "APN to use, over the profile's (find yours with zdial carriers QUERY)")
	fs.StringVar(&f.number, "number", "", "number to dial, over the profile's (default *99# for cid 1)")
	fs.StringVar(&f.user, "user", "", "PPP username, over the profile's")
	fs.StringVar(&f.passwordFile, "password-file", "", "file holding the PPP password (first line), over the profile's; never on the command line")
}

// override is the profile the command line lays over any other.
func (f *connectFlags) override() (profile.Profile, error) {
	p := profile.Profile{APN: f.apn, Number: f.number, Username: f.user}
	for _, v := range []struct{ flag, val string }{{"--apn", f.apn}, {"--number", f.number}, {"--user", f.user}} {
		if err := printable.Wire(v.val); err != nil {
			return p, &profile.ConfigError{File: "command line", Field: v.flag, Err: err}
		}
	}
	if f.passwordFile != "" {
		pw, err := readPasswordFile(f.passwordFile)
		if err != nil {
			return p, err
		}
		p.Password = pw
	}
	return p, nil
}

// maxPasswordFile bounds a --password-file.
const maxPasswordFile = 4096

// readPasswordFile reads the first line of a file the running user trusts
// (as root: root's, in directories only root can change).
func readPasswordFile(path string) (profile.Secret, error) {
	fail := func(err error) (profile.Secret, error) {
		return "", &profile.ConfigError{File: path, Field: "--password-file", Err: err}
	}
	if err := safefile.Self().Trusted(path); err != nil {
		return fail(err)
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fail(err)
	}
	b, err := safefile.ReadFile(real, maxPasswordFile)
	if err != nil {
		var pe *iofs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fail(err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimSuffix(line, "\r")
	if line == "" {
		return fail(errors.New("the first line is empty"))
	}
	if err := printable.Wire(line); err != nil {
		return fail(errors.New("the password holds a byte that is not printable ASCII"))
	}
	return profile.Secret(line), nil
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
	return connect(ctx, &f, pos[0], io)
}

// connect dials name ("" for zdial auto: nothing configured) with f.
func connect(ctx context.Context, f *connectFlags, name string, io stdio) int {
	r, code := loadResolver(f, io)
	if code != exitOK {
		return code
	}
	prof, needSIM, err := r.Draft(name)
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitCode(err)
	}
	opts := f.dialerOptions(prof, io)
	if needSIM {
		// The carrier or the APN is settled once the SIM says which network
		// it belongs to: the dial sequence reads the IMSI when it is ready.
		opts.FromSIM = func(imsi string) (profile.Profile, string, error) {
			return r.ForSIM(name, imsi)
		}
	}
	res, err := dialer.Connect(ctx, opts)
	return report(io, f.json, res, err)
}

// loadResolver reads the config files and the carrier database, and sets
// the command line's overrides, printing any warning or error.
func loadResolver(f *connectFlags, io stdio) (profile.Resolver, int) {
	ov, err := f.override()
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return profile.Resolver{}, exitUsage
	}
	cfg, err := loadConfig(&f.paths, io)
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return profile.Resolver{}, exitUsage
	}
	return profile.Resolver{Config: cfg, DB: loadCarriers(&f.paths, io), Override: ov}, exitOK
}

// loadProfile reads the config files and resolves name without a SIM,
// printing any warning or error.
func loadProfile(p *paths, name string, io stdio) (profile.Profile, int) {
	cfg, err := loadConfig(p, io)
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return profile.Profile{}, exitUsage
	}
	prof, err := profile.Resolver{Config: cfg, DB: loadCarriers(p, io)}.Resolve(name, "")
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return profile.Profile{}, exitCode(err)
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
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
	}
	return code
}

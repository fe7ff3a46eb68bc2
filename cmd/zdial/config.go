package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"text/tabwriter"

	"github.com/zdial/zdial/carriers"
	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/printable"
	"github.com/zdial/zdial/internal/profile"
	"github.com/zdial/zdial/internal/safefile"
)

// loadConfig reads the layered config files as the running user: as
// root only root's files. Warnings go to stderr; an error is returned for
// the caller to print.
func loadConfig(p *paths, io stdio) (*profile.Config, error) {
	cfg, err := profile.Loader{Owner: safefile.Self()}.Load(p.configFiles())
	if err != nil {
		return nil, err
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintln(io.err, "zdial: warning:", w)
	}
	return cfg, nil
}

// loadCarriers returns the built-in carrier database with
// mobile-broadband-provider-info's merged beneath it when installed. A
// broken provider file is a warning: zdial's own carriers still work.
func loadCarriers(p *paths, io stdio) *carriers.Database {
	db := carriers.Builtin()
	if p.providerInfo == "" {
		return db
	}
	pi, _, err := carriers.LoadProviderInfo(os.DirFS(filepath.Dir(p.providerInfo)), filepath.Base(p.providerInfo))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return db
	case err != nil:
		fmt.Fprintf(io.err, "zdial: warning: %s left out: %s\n", p.providerInfo, printable.Strip(err.Error()))
		return db
	}
	return db.Merge(pi)
}

// runConfig is `zdial config check` and `zdial config show PROFILE`.
func runConfig(_ context.Context, args []string, io stdio) int {
	fs := newFlagSet("config", io.err)
	var p paths
	p.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(io.err, "usage: zdial config check            validate the config files, every error with file:line:col")
		fmt.Fprintln(io.err, "       zdial config show PROFILE     the resolved profile, where each value came from (secrets masked)")
		fs.PrintDefaults()
	}
	pos, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	switch {
	case len(pos) == 1 && pos[0] == "check":
		return configCheck(&p, io)
	case len(pos) == 2 && pos[0] == "show":
		return configShow(&p, pos[1], io)
	}
	fs.Usage()
	return exitUsage
}

func configCheck(p *paths, io stdio) int {
	cfg, err := loadConfig(p, io)
	if err != nil {
		errs := profile.AllErrors(err)
		for _, e := range errs {
			fmt.Fprintln(io.err, "zdial:", e)
		}
		if len(errs) == 0 {
			fmt.Fprintln(io.err, "zdial:", forPeople(err))
		}
		return exitUsage
	}
	// Every profile must resolve: an inherits: loop or an unknown carrier
	// shows here, not at the next dial. A name only the SIM can narrow is
	// fine: the dial reads the SIM first.
	// So must what a dial would refuse before it touches a modem: an
	// untrusted or missing pppd.path, an untrusted or broken script:.
	r := profile.Resolver{Config: cfg, DB: loadCarriers(p, io)}
	bad := 0
	for _, name := range sortedNames(cfg.Profiles) {
		prof, _, err := r.Draft(name)
		if err == nil {
			err = dialer.Check(dialer.Dialer{Profile: prof})
		}
		if err != nil {
			fmt.Fprintln(io.err, "zdial:", forPeople(err))
			bad++
		}
	}
	if bad > 0 {
		return exitUsage
	}
	if len(cfg.Files) == 0 {
		fmt.Fprintln(io.out, "no config files (read: none of", filesList(p.configFiles())+")")
		return exitOK
	}
	for _, f := range cfg.Files {
		fmt.Fprintln(io.out, f+": ok")
	}
	if n := len(cfg.Profiles); n == 1 {
		fmt.Fprintln(io.out, "1 profile")
	} else {
		fmt.Fprintf(io.out, "%d profiles\n", n)
	}
	return exitOK
}

func configShow(p *paths, name string, io stdio) int {
	cfg, err := loadConfig(p, io)
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitUsage
	}
	r := profile.Resolver{Config: cfg, DB: loadCarriers(p, io)}
	_, vals, err := r.Explain(name)
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitCode(err)
	}
	fmt.Fprintf(io.out, "profile %s\n", name)
	tw := tabwriter.NewWriter(io.out, 0, 4, 2, ' ', 0)
	for _, v := range vals {
		fmt.Fprintf(tw, "  %s:\t%s\t# %s\n", v.Field, printable.Strip(v.Value), v.Source)
	}
	tw.Flush()
	if _, needSIM, err := r.Draft(name); err == nil && needSIM {
		fmt.Fprintln(io.out, "  (when dialing, the SIM's network settles the carrier and, where none is set, the APN)")
	}
	return exitOK
}

func sortedNames(m map[string]profile.Profile) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func filesList(files []profile.File) string {
	s := ""
	for i, f := range files {
		if i > 0 {
			s += ", "
		}
		s += f.Path
	}
	return s
}

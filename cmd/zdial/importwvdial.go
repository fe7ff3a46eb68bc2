package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/zdial/zdial/internal/safefile"
	"github.com/zdial/zdial/internal/wvdialconf"
)

// runImportWvdial converts a wvdial.conf into zdial profiles:
//
//	zdial import-wvdial [FILE]               print the profiles as YAML
//	zdial import-wvdial [FILE] --write PATH  write them to PATH (0600, not over an existing file)
//
// What could not be mapped is listed, with its line, in comments at the top
// of the output and counted on stderr.
func runImportWvdial(_ context.Context, args []string, io stdio) int {
	flags := newFlagSet("import-wvdial", io.err)
	write := flags.String("write", "", "write the profiles to this file (mode 0600) instead of printing them")
	force := flags.Bool("force", false, "with --write: replace an existing file")
	flags.Usage = func() {
		fmt.Fprintf(io.err, "usage: zdial import-wvdial [FILE] [--write PATH [--force]]\n  FILE defaults to %s\n", wvdialconf.DefaultPath)
		flags.PrintDefaults()
	}
	pos, code, ok := parseArgs(flags, args)
	if !ok {
		return code
	}
	if len(pos) > 1 {
		flags.Usage()
		return exitUsage
	}
	path := wvdialconf.DefaultPath
	if len(pos) == 1 {
		path = pos[0]
	}
	// Read like any file another user may have put there: no links
	// followed, no FIFO blocking, bounded.
	src, err := safefile.ReadFile(path, wvdialconf.MaxSize)
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		if errors.Is(err, fs.ErrNotExist) {
			return exitUsage
		}
		return exitOther
	}
	res, err := wvdialconf.Import(bytes.NewReader(src), path)
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitUsage
	}
	var out bytes.Buffer
	if err := res.EmitYAML(&out); err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitOther
	}
	names := make([]string, len(res.Profiles))
	for i, p := range res.Profiles {
		names[i] = p.Name
	}
	if *write == "" {
		io.out.Write(out.Bytes())
	} else {
		if _, err := os.Lstat(*write); err == nil && !*force {
			fmt.Fprintf(io.err, "zdial: %s exists; add --force to replace it\n", *write)
			return exitUsage
		}
		if err := safefile.WriteAtomic(*write, out.Bytes(), 0o600); err != nil {
			fmt.Fprintln(io.err, "zdial:", forPeople(err))
			return exitOther
		}
	}
	fmt.Fprintf(io.err, "profiles: %s\n", strings.Join(names, ", "))
	if n := len(res.Unmapped); n > 0 {
		fmt.Fprintf(io.err, "%d settings not mapped: see the comments at the top\n", n)
	}
	if res.HasSecrets() && *write == "" {
		fmt.Fprintln(io.err, "the profiles hold a PIN or password: keep the file they go to private (chmod 600)")
	}
	return exitOK
}

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
)

// tools are the programs the bench compares zdial with, and the Debian
// package each comes from.
var tools = []struct{ bin, pkg string }{
	{"chat", "ppp"},
	{"wvdial", "wvdial"},
	{"wvdialconf", "wvdial"},
	{"comgt", "comgt"},
	{"time", "time"}, // GNU time, for the dialers' peak RSS
}

// ensureTools installs the Debian packages of the tools that are missing,
// running apt-get update first when apt-cache does not know a package.
func ensureTools(ctx context.Context, log io.Writer) error {
	var missing []string
	for _, t := range tools {
		if _, err := exec.LookPath(t.bin); err != nil && !slices.Contains(missing, t.pkg) {
			missing = append(missing, t.pkg)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return fmt.Errorf("missing %s and no apt-get to install them", strings.Join(missing, ", "))
	}
	known := exec.CommandContext(ctx, "apt-cache", append([]string{"show"}, missing...)...).Run() == nil
	if !known {
		if err := command(ctx, log, "apt-get", "update"); err != nil {
			return err
		}
	}
	fmt.Fprintf(log, "installing %s\n", strings.Join(missing, " "))
	return command(ctx, log, "apt-get", append([]string{"install", "-y", "--no-install-recommends"}, missing...)...)
}

// command runs a helper command with its output on log.
func command(ctx context.Context, log io.Writer, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return nil
}

// versions reports the Debian package version of each tool.
func versions(ctx context.Context) map[string]string {
	v := map[string]string{}
	for _, t := range tools {
		out, err := exec.CommandContext(ctx, "dpkg-query", "-W", "-f", "${Version}", t.pkg).Output()
		if err == nil {
			v[t.pkg] = string(out)
		} else {
			v[t.pkg] = "?"
		}
	}
	return v
}

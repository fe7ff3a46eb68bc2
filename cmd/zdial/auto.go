package main

import (
	"context"
	"fmt"
)

// runAuto is `zdial auto`: online with nothing configured. The dongle is
// found and switched, its port probed, the SIM unlocked (a PIN only from
// the config), and the APN taken from the SIM's network (AT+CIMI and the
// carrier database), with the same flags as zdial PROFILE: --apn and
// friends still win, and a top-level country: or PIN-less config applies.
func runAuto(ctx context.Context, args []string, io stdio) int {
	fs := newFlagSet("auto", io.err)
	var f connectFlags
	f.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(io.err, "usage: zdial auto [flags]     detect, switch, probe, unlock, APN from the SIM, dial")
		fs.PrintDefaults()
	}
	pos, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 0 {
		fs.Usage()
		return exitUsage
	}
	return connect(ctx, &f, "", io)
}

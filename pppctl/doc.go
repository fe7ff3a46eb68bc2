// Package pppctl runs and supervises pppd on a line that has already
// been dialed: it builds pppd's argv from a profile's Options, hands the
// open tty over as pppd's standard input, passes the password without
// exposing it, turns pppd's log into typed events and its exit status
// into typed errors, and stops it, with whatever it started in its
// process group, by SIGTERM and, after a bounded wait, SIGKILL.
//
// The hand-off. pppd(8): "If no device name is given, or if the name of
// the terminal connected to the standard input is given, pppd will use
// that terminal". So no device is named; the dialed tty is the child's
// fd 0, opened read/write, which also makes pppd skip locking it (zdial
// holds the UUCP lock) and never touch DTR. Nothing closes the line
// between CONNECT and LCP:
//
//	zdial                          modem                      pppd
//	AT+CGDCONT=1,"IP","three.co.uk" →
//	                               ← OK
//	ATD*99#                        →
//	                               ← CONNECT 150000000
//	fork/exec, fd 0 = tty, fd 3 = log pipe, fd 4 = password pipe ───→
//	                                  pppd nodetach noauth … nopersist logfd 3
//	                                       plugin …/passwordfd.so passwordfd 4
//	                               ← LCP ConfReq / ConfAck →  (on the same tty)
//	                               ← PAP/CHAP (password read from fd 4)
//	                               ← IPCP: addresses, DNS
//	log pipe ← "Using interface ppp0"
//	         ← "Connect: ppp0 <--> /dev/ttyUSB0"
//	         ← "local  IP address 10.64.64.64" … "primary   DNS address …"
//	Stop: SIGTERM to pppd's process group ────────────────────→
//	         ← "Terminating on signal 15" … "Connection terminated."
//	exit status 5 → *ExitError{Status: 5, Err: ErrUserRequest}
//
// The password never appears in argv (/proc/PID/cmdline is readable by
// everyone), in pppd's environment, in the log or in errors. With pppd's
// passwordfd plugin it travels through a pipe; without it, through a
// pipe that pppd reads as an options file (`file /dev/fd/4`). It is never
// written to a disk, so nothing is left behind if zdial is killed.
//
// Usage:
//
//	p, err := pppctl.Start(ctx, pppctl.Config{
//		Binary: pppdPath, Line: tty, Options: opts,
//		PluginDir: pppctl.PluginDir("/usr/lib", version),
//		OnEvent: func(ev pppctl.Event) { … },
//	})
//	…
//	err = p.Wait(ctx)            // or p.Stop(ctx) on SIGINT
//	if errors.Is(err, pppctl.ErrHangup) { … }
package pppctl

// Package fakepppd is test support: a stand-in for pppd that is the test
// binary itself, re-executed under the name fake-pppd, the way os/exec's
// own tests re-execute themselves. It lets pppctl, the dialer and the CLI
// test the hand-off to pppd over a real tty without pppd, root or kernel
// PPP, and it is the only fake pppd in zdial: packages share it instead of
// copying one (STYLE.md, habit 6).
//
// A package that starts pppd in its tests calls Main first thing in its
// TestMain, and Install in each test:
//
//	func TestMain(m *testing.M) {
//		fakepppd.Main() // returns unless this process is the fake
//		os.Exit(m.Run())
//	}
//
//	bin, record := fakepppd.Install(t, fakepppd.Spec{TTY: line, Mode: fakepppd.ModeTerm, Log: …})
//	… start bin as pppd on the line …
//	rec := record() // what the fake saw
//
// What the fake does, run as `fake-pppd OPTIONS…` with the dialed tty as
// its standard input:
//
//	--version                 print "pppd version 2.4.9" (Spec.Version) and exit 0
//	stdin                     compare its device number with Spec.TTY's (pppd's tty.c
//	                          compares st_rdev the same way): Record.StdinIsLine
//	argv, environment         recorded as given
//	logfd N                   Spec.Log lines written to fd N, "{tty}" replaced by the
//	                          name of the stdin tty
//	passwordfd N              the password read from fd N (the passwordfd plugin)
//	file PATH                 the password read from PATH's "password WORD" line,
//	                          with the file's and its directory's modes
//	exit                      ModeExit: status Spec.Exit; ModeTerm: print ReadyLine,
//	                          then exit 5 (pppd's "user request") on SIGTERM, after
//	                          pppd's termination lines; ModeIgnoreTerm: print
//	                          ReadyLine and survive SIGTERM until SIGKILL;
//	                          ModeIgnoreTermChild: the same, with a child in its
//	                          process group that does likewise (pid logged)
//
// The instructions travel in a file next to the symlink, not in the
// environment, so that the child's environment is exactly what the code
// under test gave it; the record comes back the same way.
package fakepppd

// Package linkstate keeps one small runtime record per profile under a run
// directory (normally /run/zdial), so that `zdial status`, `zdial ensure` and
// `zdial down` can find a link's supervisor and pppd without asking the modem,
// and a per-profile dial lock so that overlapping `ensure` runs start one dial:
//
//	/run/zdial/home.json   the record: who supervises, which pppd, ppp0, 10.64.1.7, …
//	/run/zdial/home.lock   the dial lock (flock(2)); never removed
//
//	{"profile":"home","state":"up","supervisor":{"pid":812,"start":90211},
//	 "pppd":{"pid":840,"start":90577},"device":"12d1:1506/SERIAL1234",
//	 "port":"/dev/ttyUSB0","interface":"ppp0","ip":"10.64.1.7",…}
//
// Records are rewritten atomically (internal/safefile) and are world-
// readable (0644) for status; so the Record type has no field for a secret,
// and callers must not put one into a free-text field (LastError carries
// zdial's error text, which by the project's rules never holds a PIN,
// PUK or password).
//
// A record outlives a supervisor killed with SIGKILL. It is stale when its
// supervisor's PID no longer runs, or runs another program: the record keeps
// the supervisor's start time (field 22 of /proc/PID/stat) and a PID that
// was reused shows a different one.
//
// The run directory is ours, but readers are strict anyway: a record is
// opened without following symbolic links or blocking on a FIFO, must be a
// regular file owned by root or by us and not writable by group or others,
// and is read up to MaxRecordSize. Free-text fields (operator, last error…)
// come from a modem or from errors and are cleaned of control characters on
// write and on read, so printing them cannot drive a terminal.
package linkstate

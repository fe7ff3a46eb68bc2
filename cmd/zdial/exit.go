package main

// Exit codes are part of zdial's interface (README, "Exit codes"): scripts
// and systemd units branch on them.
const (
	exitOK       = 0 // connected and the link ended normally, or the command succeeded
	exitOther    = 1 // anything else
	exitUsage    = 2 // usage or configuration error
	exitPort     = 3 // no modem port, or it could not be opened
	exitSIM      = 4 // SIM absent, PIN needed and none configured, PIN rejected or refused, PUK
	exitRegister = 5 // not registered before the deadline, or denied
	exitDial     = 6 // dial failed
	exitPPPD     = 7 // pppd failed
	exitBusy     = 8 // port busy (locked or held by another program)
)

package main

import (
	"context"
	"errors"

	"github.com/zdial/zdial/chat"
	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/dialseq"
)

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

// exitCode is zdial's exit code for an error: the one mapping, over the
// dialer's classes of failure.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	switch dialer.Classify(err) {
	case dialer.ClassConfig:
		return exitUsage
	case dialer.ClassPort:
		return exitPort
	case dialer.ClassSIM:
		return exitSIM
	case dialer.ClassRegistration:
		return exitRegister
	case dialer.ClassDial:
		return exitDial
	case dialer.ClassPPPD:
		return exitPPPD
	case dialer.ClassBusy:
		return exitBusy
	}
	return exitOther
}

// chatExitCode is `zdial chat`'s exit status for an error: chat(8)'s codes
// (chat.Chat8ExitCode, the one table of them), which a dial by profile
// follows too: 0 CONNECT, 1 a bad profile, 2 the line failed, 3 a deadline
// passed, 4 the modem refused (SIM, network or dial). A profile's own chat
// script fails as that script would under chat(8).
func chatExitCode(err error) int {
	var de *dialseq.Error
	if !errors.As(err, &de) {
		return chat.Chat8ExitCode(err)
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, dialseq.ErrNotRegistered):
		return 3
	case dialer.Classify(err) == dialer.ClassPort: // the modem is silent or hung up
		return 2
	}
	return 4
}

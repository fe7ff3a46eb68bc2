package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/zdial/zdial/internal/demonet"
	"github.com/zdial/zdial/internal/modemsim"
)

// serveModem is the dongle's modem behind the FunctionFS port: zdial's simulator, persona
// o.persona, in line between the host and the network's end, a pty linked at o.netLink for
// the operator's pppd (a new one each call: see demonet.ServeModem). The host's DTR goes to
// the simulator (AT&D2: falling hangs up); so does the cable going away (the function
// disabled). It serves until ctx is done, then unplugs the dongle.
func serveModem(ctx context.Context, g gadget, port *ffsPort, o options, log logger) error {
	p, err := modemsim.Builtin(o.persona)
	if err != nil {
		port.Close()
		return fmt.Errorf("firmware: %w", err)
	}
	m, err := demonet.ServeModem(ctx, p, port, o.netLink, modemsim.WithLogf(func(format string, args ...any) {
		log.printf("modem: "+format, args...)
	}))
	if err != nil {
		port.Close()
		return fmt.Errorf("firmware: %w", err)
	}
	port.onDTR = func(on bool) {
		log.printf("modem port: DTR %s", map[bool]string{true: "on", false: "off"}[on])
		m.SetDTR(on)
	}
	served := make(chan error, 1)
	go func() { served <- port.serve(log.printf) }()
	log.printf("modem port: function %d serves %s, network end at %s (a new one each call)", o.modemPort, o.persona, o.netLink)
	select {
	case <-ctx.Done():
	case err = <-served:
		log.printf("modem port: %v; unplugging", err)
	}
	// Unplug, and return without m.Close: the simulator's read may wait for the endpoint to
	// be enabled again, which an unplugged function never is, and the firmware is exiting.
	uerr := g.write("UDC", "")
	return errors.Join(err, uerr, port.Close())
}

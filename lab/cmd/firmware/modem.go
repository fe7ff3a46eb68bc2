package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/zdial/zdial/internal/demonet"
	"github.com/zdial/zdial/internal/modemsim"
)

// serveModem is the dongle's modem behind the FunctionFS port: zdial's simulator, persona
// o.persona, in line between the host and a pty linked at o.netLink for the operator's pppd.
// The host's DTR goes to the simulator (AT&D2: falling hangs up). It serves until ctx is
// done, then unplugs the dongle.
func serveModem(ctx context.Context, g gadget, port *ffsPort, o options, log logger) error {
	p, err := modemsim.Builtin(o.persona)
	if err != nil {
		port.Close()
		return fmt.Errorf("firmware: %w", err)
	}
	m, err := demonet.ServeModem(ctx, p, port, modemsim.WithLogf(func(format string, args ...any) {
		log.printf("modem: "+format, args...)
	}))
	if err != nil {
		port.Close()
		return fmt.Errorf("firmware: %w", err)
	}
	if err := os.Remove(o.netLink); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("firmware: %w", err)
	}
	if err := os.Symlink(m.Net, o.netLink); err != nil {
		return fmt.Errorf("firmware: %w", err)
	}
	port.onDTR = func(on bool) {
		log.printf("modem port: DTR %s", map[bool]string{true: "on", false: "off"}[on])
		m.SetDTR(on)
	}
	served := make(chan error, 1)
	go func() { served <- port.serve(log.printf) }()
	log.printf("modem port: function %d serves %s, network end %s -> %s", o.modemPort, o.persona, o.netLink, m.Net)
	select {
	case <-ctx.Done():
	case err = <-served:
	}
	// Unbinding ends the transfers a Read or Write of the simulator waits on.
	uerr := g.write("UDC", "")
	return errors.Join(err, uerr, m.Close(), port.Close())
}

package modemsim

import (
	"context"
	"net"
)

// Pipe serves a new Sim for p on an in-memory line and returns the other
// end. The serving goroutine starts here, so called inside a
// testing/synctest bubble it belongs to that bubble, and all the Sim's
// timing (latency, registration delay, URC schedules, +++ guard time) runs
// on the bubble's fake clock. Closing client (or sim.Vanish) ends it;
// sim.Done() is closed once it has. Close client before the bubble ends,
// or synctest reports the serving goroutines as leaked. net.Pipe has no
// buffer: the client must keep reading while it writes, as a modem's
// reader goroutine does, or the echo blocks both sides.
func Pipe(p Persona, opts ...Option) (client net.Conn, sim *Sim) {
	client, server := net.Pipe()
	sim = New(p, opts...)
	ln, _ := sim.begin(server) // a new Sim: cannot fail
	go func() {
		defer server.Close()
		sim.serve(context.Background(), ln)
	}()
	return client, sim
}

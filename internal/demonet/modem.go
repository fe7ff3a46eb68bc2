package demonet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/zdial/zdial/internal/modemsim"
)

// Modem is the live demo's dongle: a simulated modem between two pty
// pairs, standing where a real one stands, between the PC's serial port
// and the operator's network:
//
//	zdial, then its pppd             the modem                 the network
//	Port (pty slave) ═ master ── modemsim.Sim ── master ═ Net (pty slave) ── pppd 10.64.0.1
//	  AT…               →          answers AT
//	  ATD*99#           →          CONNECT  (data mode)
//	  LCP, IPCP, IP     →          data hook   →                 LCP, IPCP, IP
//	                    ←          while in a call  ←
//	  +++ (guard times) →          OK  (command mode)
//	  ATH               →          OK
//
// Both ends are real ttys, as /dev/ttyUSB0 and the gadget's /dev/ttyGS0
// are in the lab. The modem in the middle (rather than the simulator as
// the network pppd's connect program, as in the lab) answers the
// hang-up's +++ and ATH, since one Sim serves the whole session; and the
// network's pppd is up before the call, so no LCP frame is lost to its
// start-up flush.
type Modem struct {
	Port string // the modem's serial port: what zdial dials
	Net  string // the network's end: the peer pppd's tty
	sim  *modemsim.Sim

	port, net *ptyPair
	cancel    context.CancelFunc
	wg        sync.WaitGroup // fromNet
	once      sync.Once
}

// netWriteTimeout bounds a write towards the network: a network side that
// reads nothing must not stall the modem (it then drops the data, as a
// real modem's buffer overflows), or it could never answer +++.
const netWriteTimeout = time.Second

// OpenModem starts a Sim for p between two new ptys. It
// serves until ctx is done or Close.
func OpenModem(ctx context.Context, p modemsim.Persona, opts ...modemsim.Option) (*Modem, error) {
	port, err := openPTYPair()
	if err != nil {
		return nil, err
	}
	net, err := openPTYPair()
	if err != nil {
		port.close()
		return nil, err
	}
	l := &Modem{Port: port.path, Net: net.path, port: port, net: net}
	l.sim = modemsim.New(p, append(opts, modemsim.WithDataHook(l.toNet))...)
	ctx, l.cancel = context.WithCancel(ctx)
	l.wg.Go(l.fromNet)
	go l.sim.Serve(ctx, port.master) // ends on ctx (Close) or Vanish; closes port.master
	return l, nil
}

// toNet is the Sim's data hook: what zdial's pppd sends, to the network.
// It runs on the Sim's serving goroutine, never after Serve returns.
func (l *Modem) toNet(b []byte) {
	l.net.master.SetWriteDeadline(time.Now().Add(netWriteTimeout))
	l.net.master.Write(b) // a timeout or a closed line drops the data
}

// fromNet copies what the network sends to zdial while a call is up, and
// drops it otherwise, as a modem in command mode has no data path.
func (l *Modem) fromNet() {
	buf := make([]byte, 4096)
	for {
		n, err := l.net.master.Read(buf)
		if n > 0 && l.sim.InCall() {
			l.port.master.Write(buf[:n]) // fails only once the modem is closing
		}
		if err != nil {
			return // Close closed the master
		}
	}
}

// Close stops the modem and its goroutines and releases both ptys. It is
// idempotent.
func (l *Modem) Close() error {
	var err error
	l.once.Do(func() {
		l.sim.Vanish()
		l.cancel()
		<-l.sim.Done() // Serve has closed port.master; toNet will not run again
		err = l.net.master.Close()
		l.wg.Wait()
		err = errors.Join(err, l.port.close(), l.net.close())
	})
	return err
}

// ptyPair is a pty whose slave we hold open (never reading it), so that
// its master does not read EIO while no one else has the slave open, and
// the raw mode set here stays between clients.
type ptyPair struct {
	path   string
	master *os.File // non-blocking, so Close interrupts a Read
	slave  *os.File
}

func openPTYPair() (*ptyPair, error) {
	master, path, slave, err := modemsim.OpenRawPair()
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return &ptyPair{path: path, master: master, slave: slave}, nil
}

// close releases the pair; the master may be closed already.
func (p *ptyPair) close() error {
	merr := p.master.Close()
	if errors.Is(merr, os.ErrClosed) {
		merr = nil
	}
	return errors.Join(merr, p.slave.Close())
}

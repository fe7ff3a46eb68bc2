package demonet

import (
	"context"
	"errors"
	"fmt"
	"io"
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
// Both ends are real ttys, as /dev/ttyUSB0 is. The modem in the middle
// (rather than the simulator as the network pppd's connect program) answers
// the hang-up's DTR drop, +++ and ATH, since one Sim serves the whole
// session; and the network's pppd is up before the call, so no LCP frame
// is lost to its start-up flush. The lab's dongle firmware puts the same
// modem behind a USB function that carries DTR (ServeModem).
type Modem struct {
	Port string // the modem's serial port (OpenModem): what zdial dials
	Net  string // the network's end: the peer pppd's tty
	sim  *modemsim.Sim

	line   io.Writer // the modem's serial end, where the network's data goes in a call
	port   *ptyPair  // nil when the caller brought the line (ServeModem)
	net    *ptyPair
	cancel context.CancelFunc
	wg     sync.WaitGroup // fromNet
	once   sync.Once
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
	l, err := serveModem(ctx, p, port.master, opts, false)
	if err != nil {
		port.close()
		return nil, err
	}
	l.Port, l.port = port.path, port
	return l, nil
}

// ServeModem starts a Sim for p on line, the modem's serial end brought by
// the caller (the lab's dongle firmware: a USB function, whose DTR it
// passes on with SetDTR), with a new pty as the network's end. DTR starts
// low: nobody has opened the port yet. Each call set up is announced on the
// network's end as "\r\nCONNECT\r\n", as an answering modem tells its
// host: the operator's pppd waits for it in its connect script, so each
// call meets a fresh PPP peer, one that waits up to pppd's connect-delay
// for the dialer to speak first. It serves until ctx is done or Close;
// Close closes line if it is an io.Closer, and returns once a Read blocked
// on line has returned.
func ServeModem(ctx context.Context, p modemsim.Persona, line io.ReadWriter, opts ...modemsim.Option) (*Modem, error) {
	return serveModem(ctx, p, line, opts, true)
}

// serveModem starts the Sim on line; brought is ServeModem's line, with
// DTR and the call announcement.
func serveModem(ctx context.Context, p modemsim.Persona, line io.ReadWriter, opts []modemsim.Option, brought bool) (*Modem, error) {
	net, err := openPTYPair()
	if err != nil {
		return nil, err
	}
	l := &Modem{Net: net.path, net: net, line: line}
	opts = append(opts, modemsim.WithDataHook(l.toNet))
	if brought {
		opts = append(opts, modemsim.WithCallHook(func() { l.toNet(callAnnouncement) }))
	}
	l.sim = modemsim.New(p, opts...)
	if brought {
		l.sim.SetDTR(false)
	}
	ctx, l.cancel = context.WithCancel(ctx)
	l.wg.Go(l.fromNet)
	go l.sim.Serve(ctx, line) // ends on ctx (Close) or Vanish; closes line if it can
	return l, nil
}

// callAnnouncement is what ServeModem's network end hears when a call is set up.
var callAnnouncement = []byte("\r\nCONNECT\r\n")

// SetDTR passes the DTE's DTR line to the modem: falling ends a call
// (AT&D2) and the modem is in command mode at once. See modemsim.Sim.SetDTR.
func (l *Modem) SetDTR(on bool) { l.sim.SetDTR(on) }

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
			l.line.Write(buf[:n]) // fails only once the modem is closing
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
		<-l.sim.Done() // Serve has closed the line; toNet will not run again
		err = l.net.master.Close()
		l.wg.Wait()
		err = errors.Join(err, l.net.close())
		if l.port != nil {
			err = errors.Join(err, l.port.close())
		}
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

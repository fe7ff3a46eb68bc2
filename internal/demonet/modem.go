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
	Net  string // the network's end: the peer pppd's tty (ServeModem: the link to it)
	sim  *modemsim.Sim

	line    io.Writer // the modem's serial end, where the network's data goes in a call
	port    *ptyPair  // nil when the caller brought the line (ServeModem)
	netLink string    // ServeModem: a new network end per call, linked here
	cancel  context.CancelFunc
	wg      sync.WaitGroup // fromNet, one per network end

	mu     sync.Mutex // guards net and closed
	net    *ptyPair
	closed bool
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
	l := &Modem{line: port.master, port: port, Port: port.path}
	if err := l.start(ctx, p, port.master, opts); err != nil {
		port.close()
		return nil, err
	}
	return l, nil
}

// ServeModem starts a Sim for p on line, the modem's serial end brought by
// the caller (the lab's dongle firmware: a USB function, whose DTR it
// passes on with SetDTR). DTR starts low: nobody has opened the port yet.
//
// The network's end is a new pty for each call, linked at netLink, where
// the operator's pppd opens it. Each call set up is announced there as
// "\r\nCONNECT\r\n", as an answering modem tells its host: the operator's
// pppd waits for it in its connect script, so each call meets a fresh PPP
// peer, one that waits up to pppd's connect-delay for the dialer to speak
// first. When the call ends (ATH, DTR, NO CARRIER) that pty is closed,
// which hangs the operator's side up as a network tears its end of a call
// down, and a new one takes the link. It serves until ctx is done or
// Close; Close closes line if it is an io.Closer, and returns once a Read
// blocked on line has returned.
func ServeModem(ctx context.Context, p modemsim.Persona, line io.ReadWriter, netLink string, opts ...modemsim.Option) (*Modem, error) {
	l := &Modem{line: line, netLink: netLink, Net: netLink}
	opts = append(opts, modemsim.WithCallHook(l.call))
	if err := l.start(ctx, p, line, opts); err != nil {
		return nil, err
	}
	return l, nil
}

// start opens the first network end and serves the Sim on line.
func (l *Modem) start(ctx context.Context, p modemsim.Persona, line io.ReadWriter, opts []modemsim.Option) error {
	net, err := l.openNet()
	if err != nil {
		return err
	}
	if l.Net == "" {
		l.Net = net.path
	}
	l.net = net
	l.sim = modemsim.New(p, append(opts, modemsim.WithDataHook(l.toNet))...)
	if l.port == nil {
		l.sim.SetDTR(false)
	}
	ctx, l.cancel = context.WithCancel(ctx)
	l.wg.Go(func() { l.fromNet(net) })
	go l.sim.Serve(ctx, line) // ends on ctx (Close) or Vanish; closes line if it can
	return nil
}

// openNet opens a network end and, for ServeModem, links it at netLink in
// place of the last one (a rename: the link never goes missing).
func (l *Modem) openNet() (*ptyPair, error) {
	net, err := openPTYPair()
	if err != nil || l.netLink == "" {
		return net, err
	}
	tmp := l.netLink + ".new"
	os.Remove(tmp)
	if err := os.Symlink(net.path, tmp); err == nil {
		err = os.Rename(tmp, l.netLink)
	}
	if err != nil {
		net.close()
		return nil, fmt.Errorf("demo: network end: %w", err)
	}
	return net, nil
}

// callAnnouncement is what ServeModem's network end hears when a call is set up.
var callAnnouncement = []byte("\r\nCONNECT\r\n")

// call is ServeModem's call hook: announce a call to the network; when it
// ends, hang the network's end up and put a new one in its place.
func (l *Modem) call(up bool) {
	if up {
		l.toNet(callAnnouncement)
		return
	}
	next, err := l.openNet()
	if err != nil {
		return // the old end stays; the operator's side ends its session itself
	}
	l.mu.Lock()
	old := l.net
	if l.closed {
		l.mu.Unlock()
		next.close()
		return
	}
	l.net = next
	l.mu.Unlock()
	l.wg.Go(func() { l.fromNet(next) })
	old.close() // the operator's pppd reads a hang-up; old's fromNet ends
}

// SetDTR passes the DTE's DTR line to the modem: falling ends a call
// (AT&D2) and the modem is in command mode at once. See modemsim.Sim.SetDTR.
func (l *Modem) SetDTR(on bool) { l.sim.SetDTR(on) }

// toNet is the Sim's data hook: what zdial's pppd sends, to the network.
func (l *Modem) toNet(b []byte) {
	l.mu.Lock()
	net := l.net
	l.mu.Unlock()
	net.master.SetWriteDeadline(time.Now().Add(netWriteTimeout))
	net.master.Write(b) // a timeout or a closed line drops the data
}

// fromNet copies what the network sends on net to zdial while a call is
// up, and drops it otherwise, as a modem in command mode has no data path.
// It ends when net's master is closed.
func (l *Modem) fromNet(net *ptyPair) {
	buf := make([]byte, 4096)
	for {
		n, err := net.master.Read(buf)
		if n > 0 && l.sim.InCall() {
			l.line.Write(buf[:n]) // fails only once the modem is closing
		}
		if err != nil {
			return
		}
	}
}

// Close stops the modem and its goroutines and releases its ptys (and
// ServeModem's link). It is idempotent.
func (l *Modem) Close() error {
	var err error
	l.once.Do(func() {
		l.sim.Vanish()
		l.cancel()
		<-l.sim.Done() // Serve has closed the line; toNet will not run again
		l.mu.Lock()
		l.closed = true
		net := l.net
		l.mu.Unlock()
		err = net.close()
		l.wg.Wait()
		if l.port != nil {
			err = errors.Join(err, l.port.close())
		}
		if l.netLink != "" {
			os.Remove(l.netLink)
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

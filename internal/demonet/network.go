package demonet

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/zdial/zdial/pppctl"
	"golang.org/x/sys/unix"
)

// The addresses the demo's network hands out, as the lab's does.
const (
	PeerIP  = "10.64.0.1"  // the network's end of the link
	LocalIP = "10.64.0.2"  // what zdial's pppd is given
	DNS     = "10.64.0.53" // the DNS server it is told of
)

// Network is the operator's side of the live demo: a pppd on the modem
// line's Net end, run and supervised by pppctl like zdial's own, isolated
// like it, answering as a 3G network's PPP peer does.
type Network struct {
	proc   *pppctl.Process
	cancel context.CancelFunc // ends pppd (SIGTERM, then SIGKILL: pppctl)
	done   chan struct{}      // closed once Run has returned: pppd has exited
	err    error              // pppd's exit; written before done is closed

	ready chan struct{} // closed once pppd has set up its tty (pppctl.EventConnect)
	once  sync.Once

	mu   sync.Mutex // guards tail
	tail []string   // the last lines of pppd's log
}

// networkOptions are the network pppd's options. `silent` makes it wait
// for zdial's first LCP frame instead of timing out while zdial is still
// dialing (and keeps it listening after a call, as a network does);
// `local`, since a pty has no carrier; `nolock`, since the pty is ours
// alone; `noipv6`, as for a PDP context of type IP.
func networkOptions(debug bool) pppctl.Options {
	extra := []string{"silent", "noipv6", "nodefaultroute", PeerIP + ":" + LocalIP,
		"lcp-echo-interval", "0", "lcp-restart", "1"}
	if debug {
		extra = append(extra, "debug")
	}
	return pppctl.Options{NoAuth: true, Local: true, NoIPDefault: true, NoLock: true,
		MSDNS: netip.MustParseAddr(DNS), Extra: extra}
}

// Bounds on the network pppd.
const (
	networkReadyTimeout = 15 * time.Second
	networkTailLines    = 40
)

// StartNetwork starts the network pppd on tty, through pppctl, inside iso,
// and waits until it is ready for zdial's LCP; it runs until Stop. logf, if
// set, receives each line of its log (and turns on pppd's debug log).
func StartNetwork(ctx context.Context, iso Isolation, pppd, tty string, logf func(string)) (*Network, error) {
	fd, err := unix.Open(tty, unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("demonet: network pppd: open %s: %w", tty, err)
	}
	line := os.NewFile(uintptr(fd), tty)
	pctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	n := &Network{cancel: cancel, ready: make(chan struct{}), done: make(chan struct{})}
	cfg := pppctl.Config{
		Binary:  pppd,
		Line:    line,
		Options: networkOptions(logf != nil),
		OnEvent: func(ev pppctl.Event) { n.logged(ev, logf) },
	}
	started := make(chan error, 1)
	go func() {
		defer close(n.done)
		defer line.Close()
		// Started and waited for on the isolated thread, which must
		// outlive pppd: its parent-death signal fires when the thread ends.
		n.err = iso.Run(pctx, func(ctx context.Context) error {
			proc, err := pppctl.Start(ctx, cfg)
			n.proc = proc
			started <- err
			if err != nil {
				return err
			}
			return proc.Wait(context.WithoutCancel(ctx))
		})
		select {
		case started <- n.err: // the isolation failed: fn never ran
		default:
		}
	}()
	if err := <-started; err != nil {
		<-n.done
		cancel()
		return nil, fmt.Errorf("demonet: network pppd: %w", err)
	}

	timer := time.NewTimer(networkReadyTimeout)
	defer timer.Stop()
	select {
	case <-n.ready:
		return n, nil
	case <-n.done:
		return nil, fmt.Errorf("demonet: network pppd exited before it was ready (%v): %s", n.err, n.lastLines())
	case <-timer.C:
		err = fmt.Errorf("demonet: network pppd not ready after %v: %s", networkReadyTimeout, n.lastLines())
	case <-ctx.Done():
		err = ctx.Err()
	}
	n.Stop()
	return nil, err
}

// logged keeps the tail of pppd's log and notices readiness. pppctl calls
// it from one goroutine, in order.
func (n *Network) logged(ev pppctl.Event, logf func(string)) {
	n.mu.Lock()
	n.tail = append(n.tail, ev.Line)
	if len(n.tail) > networkTailLines {
		n.tail = n.tail[1:]
	}
	n.mu.Unlock()
	if logf != nil {
		logf(ev.Line)
	}
	if ev.Kind == pppctl.EventConnect {
		n.once.Do(func() { close(n.ready) })
	}
}

// Pid is the network pppd's process id.
func (n *Network) Pid() int { return n.proc.Pid() }

func (n *Network) lastLines() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.tail) == 0 {
		return "(no log)"
	}
	return strings.Join(n.tail, " | ")
}

// Stop ends pppd (pppctl: SIGTERM, SIGKILL after its grace) and returns
// its exit; a clean stop is no error. Called once zdial's pppd has ended
// the link, it costs no LCP timers: being `silent`, this pppd would
// otherwise wait for the next call forever.
func (n *Network) Stop() error {
	n.cancel()
	<-n.done
	if errors.Is(n.err, pppctl.ErrUserRequest) {
		return nil
	}
	return n.err
}

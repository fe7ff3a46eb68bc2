package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The addresses the demo's network hands out, as the lab's does.
const (
	netPeerIP  = "10.64.0.1"
	netLocalIP = "10.64.0.2"
	netDNS     = "10.64.0.53"
)

// network is the operator's side of the live demo: a pppd on the modem
// line's Net end, isolated like zdial's own, answering as a 3G network's
// PPP peer does.
type network struct {
	pid    int
	cancel context.CancelFunc // SIGTERMs pppd (exec.Cmd.Cancel)
	ready  chan struct{}      // closed once pppd has set up its tty
	done   chan struct{}      // closed once pppd has exited and its log is read
	err    error              // pppd's exit; written before done is closed

	mu   sync.Mutex // guards tail
	tail []string   // the last lines of pppd's log
}

// networkArgs is the network pppd's command line on tty. `silent` makes
// it wait for zdial's first LCP frame instead of timing out while zdial
// is still dialing (and keeps it listening after a call, as a network
// does); `local`, since a pty has no carrier; `nolock`, since the pty is
// ours alone; `noipv6`, as for a PDP context of type IP.
func networkArgs(tty string, debug bool) []string {
	a := []string{tty, "nodetach", "noauth", "local", "silent", "nolock", "noipv6",
		"nodefaultroute", "noipdefault", netPeerIP + ":" + netLocalIP, "ms-dns", netDNS,
		"lcp-echo-interval", "0", "lcp-restart", "1", "logfd", "2"}
	if debug {
		a = append(a, "debug")
	}
	return a
}

// Bounds on the network pppd.
const (
	networkReadyTimeout = 15 * time.Second
	networkKillDelay    = 5 * time.Second
	networkTailLines    = 40
)

// startNetwork starts the network pppd on tty in iso and waits until it
// is ready for zdial's LCP; it runs until stop. logf, if set, receives
// each line of its log (and turns on pppd's debug log).
func startNetwork(ctx context.Context, iso isolation, pppd, tty string, logf func(string)) (*network, error) {
	logR, logW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("demo: network pppd: log pipe: %w", err)
	}
	pctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	n := &network{cancel: cancel, ready: make(chan struct{}), done: make(chan struct{})}
	cmd := exec.CommandContext(pctx, pppd, networkArgs(tty, logf != nil)...)
	cmd.Stdout, cmd.Stderr = logW, logW
	// Its own process group: a Ctrl-C on the terminal is for zdial, which
	// hangs up, and then this pppd ends with the call. (SIGINT to both at
	// once would cost seconds of LCP timers.)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = networkKillDelay

	started := make(chan error, 1)
	logDone := make(chan struct{})
	go func() {
		launched := false
		// Started and waited for on the isolated thread, which must
		// outlive pppd: its parent-death signal fires when the thread ends.
		err := iso.run(pctx, func(context.Context) error {
			err := cmd.Start()
			logW.Close()
			launched = err == nil
			started <- err
			if err != nil {
				return err
			}
			return cmd.Wait()
		})
		if !launched {
			select {
			case started <- err: // the isolation failed: fn never ran
				logW.Close()
			default:
			}
			logR.Close()
			close(n.done)
			return
		}
		<-logDone
		n.err = err
		close(n.done)
	}()
	if err := <-started; err != nil {
		<-n.done
		cancel()
		return nil, fmt.Errorf("demo: network pppd: %w", err)
	}
	n.pid = cmd.Process.Pid
	go n.readLog(logR, logf, logDone)

	timer := time.NewTimer(networkReadyTimeout)
	defer timer.Stop()
	select {
	case <-n.ready:
		return n, nil
	case <-n.done:
		return nil, fmt.Errorf("demo: network pppd exited before it was ready (%v): %s", n.err, n.lastLines())
	case <-timer.C:
		err = fmt.Errorf("demo: network pppd not ready after %v: %s", networkReadyTimeout, n.lastLines())
	case <-ctx.Done():
		err = ctx.Err()
	}
	n.stop()
	return nil, err
}

// readLog reads pppd's log until EOF (pppd has exited). pppd logs
// "Connect: ppp0 <--> TTY" once it has set up the tty and its PPP unit.
func (n *network) readLog(r *os.File, logf func(string), done chan<- struct{}) {
	defer close(done)
	defer r.Close()
	var once sync.Once
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		n.mu.Lock()
		n.tail = append(n.tail, line)
		if len(n.tail) > networkTailLines {
			n.tail = n.tail[1:]
		}
		n.mu.Unlock()
		if logf != nil {
			logf(line)
		}
		if strings.Contains(line, "Connect: ") {
			once.Do(func() { close(n.ready) })
		}
	}
}

func (n *network) lastLines() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.tail) == 0 {
		return "(no log)"
	}
	return strings.Join(n.tail, " | ")
}

// stop ends pppd with SIGTERM (SIGKILL after networkKillDelay) and
// returns its exit. Called once zdial's pppd has terminated the link, it
// costs no LCP timers: being `silent`, this pppd would otherwise wait for
// the next call forever.
func (n *network) stop() error {
	n.cancel()
	<-n.done
	return n.err
}

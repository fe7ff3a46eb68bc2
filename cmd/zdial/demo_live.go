package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/zdial/zdial/internal/demonet"
	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/modemsim"
	"github.com/zdial/zdial/internal/profile"
)

// liveDemo is what runLive needs: the flags, resolved.
type liveDemo struct {
	persona modemsim.Persona
	profile profile.Profile
	pppd    string
	devRoot string
	iso     demonet.Isolation
	hold    time.Duration // 0: until interrupted
	verbose bool
}

// linkDeadline bounds the wait for the link, from the start of the dial.
const linkDeadline = 2 * time.Minute

// runLive dials the simulated modem and runs real pppd against a real
// PPP peer behind it, both pppds isolated from the host (see
// internal/demonet); it holds the link up, hangs up and cleans up.
func runLive(ctx context.Context, io stdio, d liveDemo) int {
	// The progress, the transcript (-v) and the network's log come from
	// different goroutines.
	io.out, io.err = &lockedWriter{w: io.out}, &lockedWriter{w: io.err}

	// The modem outlives ctx: a Ctrl-C must still find it there to answer
	// the hang-up's +++ and ATH.
	line, err := demonet.OpenModem(context.WithoutCancel(ctx), d.persona, modemsim.WithGuardTime(100*time.Millisecond))
	if err != nil {
		fmt.Fprintln(io.err, "zdial demo:", err)
		return exitOther
	}
	defer line.Close()
	p := d.persona
	fmt.Fprintf(io.out, "simulated %s %s on %s, the network behind it on %s\n", p.Identity.Manufacturer, p.Identity.Model, line.Port, line.Net)

	var logf func(string)
	if d.verbose {
		logf = func(s string) { fmt.Fprintln(io.err, "network:", s) }
	}
	net, err := demonet.StartNetwork(ctx, d.iso, d.pppd, line.Net, logf)
	if err != nil {
		fmt.Fprintln(io.err, "zdial demo:", err)
		return exitPPPD
	}
	defer func() {
		if err := net.Stop(); err != nil && d.verbose {
			fmt.Fprintln(io.err, "network: pppd:", err)
		}
	}()
	fmt.Fprintf(io.out, "network: pppd (pid %d) in its own network namespace: %s, gives %s and DNS %s\n\n", net.Pid(), demonet.PeerIP, demonet.LocalIP, demonet.DNS)

	if code := demoProbe(ctx, line.Port, io); code != exitOK {
		return code
	}
	// Text, whatever stdout is: a demo is for people.
	f := connectFlags{paths: paths{devRoot: d.devRoot, procRoot: "/proc", log: logFlags{format: logText}}, verbose: d.verbose}
	opts := f.dialerOptions(demoProfile(d.profile), io)
	fmt.Fprintf(io.out, "\ndialing profile %s (APN %s, %s); pppd runs in a private network namespace, %s\n",
		d.profile.Name, d.profile.APN, dialNumber(opts), holdNote(d.hold))
	opts.Port = line.Port
	opts.PPPD = d.pppd
	opts.GuardTime = 200 * time.Millisecond
	up := make(chan struct{})
	var upOnce sync.Once
	var upAt, downAt time.Time // written by the event goroutine before Connect returns
	show := opts.Progress
	opts.Progress = func(ev dialer.Event) {
		show(ev)
		switch {
		case ev.PPP == nil:
		case ev.Link.Up && ev.Link.LocalIP.IsValid():
			upOnce.Do(func() { upAt = time.Now(); close(up) })
		case !ev.Link.Up && !upAt.IsZero() && downAt.IsZero():
			downAt = time.Now()
		}
	}

	dctx, hangUp := context.WithCancel(ctx)
	defer hangUp()
	timedOut := make(chan bool, 1)
	go func() { timedOut <- holdLink(dctx, up, d.hold, hangUp) }()

	var res dialer.Result
	err = d.iso.Run(dctx, func(ctx context.Context) error {
		// Lock and state files inside the isolation: /run may be hidden.
		tmp, err := os.MkdirTemp("", "zdial-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		opts.LockDir, opts.StateDir = tmp, tmp
		res, err = dialer.Connect(ctx, opts)
		return err
	})
	hangUp()
	code := report(io, false, res, err)
	if <-timedOut && code == exitOK {
		// Our own hang-up made Connect's return clean; the demo was not.
		fmt.Fprintf(io.err, "zdial demo: no link within %v\n", linkDeadline)
		return exitPPPD
	}
	if err == nil && !upAt.IsZero() {
		if downAt.IsZero() {
			downAt = time.Now()
		}
		traffic := ""
		if res.Link.Sent > 0 || res.Link.Received > 0 {
			traffic = fmt.Sprintf(" (%d bytes sent, %d received)", res.Link.Sent, res.Link.Received)
		}
		fmt.Fprintf(io.out, "\ndemo: link %s ↔ %s was up for %v%s; hung up cleanly\n",
			res.Link.LocalIP, res.Link.RemoteIP, downAt.Sub(upAt).Round(100*time.Millisecond), traffic)
	}
	return code
}

// demoProfile keeps the demo's pppd off the host's routes and DNS even
// if it were not isolated: no default route. usepeerdns stays on so the
// network's DNS is shown; pppd writes it to /etc/ppp/resolv.conf, which
// the isolation hides, and the ip-up scripts that would copy it to
// /etc/resolv.conf are hidden with it. `local`: a pty has no carrier.
func demoProfile(p profile.Profile) profile.Profile {
	no, yes := false, true
	p.PPPD.DefaultRoute = &no
	p.PPPD.ReplaceDefaultRoute = false
	p.PPPD.UsePeerDNS = &yes
	p.PPPD.Options = append(append([]string(nil), p.PPPD.Options...), "local")
	return p
}

func holdNote(hold time.Duration) string {
	if hold <= 0 {
		return "the link stays up until Ctrl-C"
	}
	return fmt.Sprintf("the link stays up %v (Ctrl-C hangs up sooner)", hold)
}

// holdLink hangs up hold after the link came up (never, for 0), or when
// it did not come up within linkDeadline; it returns when ctx is done,
// reporting whether the deadline passed.
func holdLink(ctx context.Context, up <-chan struct{}, hold time.Duration, hangUp context.CancelFunc) bool {
	deadline := time.NewTimer(linkDeadline)
	defer deadline.Stop()
	select {
	case <-up:
	case <-deadline.C:
		hangUp()
		return true
	case <-ctx.Done():
		return false
	}
	if hold > 0 {
		t := time.NewTimer(hold)
		defer t.Stop()
		select {
		case <-t.C:
			hangUp()
		case <-ctx.Done():
		}
	}
	<-ctx.Done()
	return false
}

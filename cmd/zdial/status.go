package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/health"
	"github.com/zdial/zdial/internal/linkstate"
	"github.com/zdial/zdial/internal/printable"
	modeswitch "github.com/zdial/zdial/switch"
)

// `zdial status [PROFILE] [--json]` shows the link records (every one
// without PROFILE), each marked stale when its supervisor is gone, with
// the interface's byte counters read from sysfs. It reads files only: it
// opens no port but, for a link that is up, the dongle's AT control port
// (never the PPP port, never a port another program holds, at most two
// seconds) to show the live signal.
// Exit status: 0 if records were shown; 1 if PROFILE has none (or none
// exist), as `zdial down` would find nothing to stop.

// linkStatus is one record as status shows it.
type linkStatus struct {
	linkstate.Record
	Stale     bool    `json:"stale"`
	PPPDAlive bool    `json:"pppd_alive"`
	RxBytes   *uint64 `json:"rx_bytes,omitempty"`
	TxBytes   *uint64 `json:"tx_bytes,omitempty"`
	// LiveSignalDBm is read now on the dongle's AT control port, when the
	// link is up and that port is free; LiveSignalNote says why not.
	LiveSignalDBm  *int   `json:"live_signal_dbm,omitempty"`
	LiveSignalNote string `json:"live_signal_note,omitempty"`
}

func runStatus(ctx context.Context, args []string, io stdio) int {
	fs := newFlagSet("status", io.err)
	var p paths
	p.register(fs)
	p.registerRunDir(fs)
	asJSON := fs.Bool("json", false, "print the records as a JSON array")
	fs.Usage = func() {
		fmt.Fprintln(io.err, "usage: zdial status [flags] [PROFILE]   show the links zdial supervises")
		fs.PrintDefaults()
	}
	pos, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	io.err = p.log.stderr(io.err) // one record a line, in --log-format
	if len(pos) > 1 {
		fs.Usage()
		return exitUsage
	}
	dir := p.linkDir()
	var recs []linkstate.Record
	var err error
	if len(pos) == 1 {
		var r linkstate.Record
		r, err = dir.Read(pos[0])
		if err == nil {
			recs = append(recs, r)
		}
	} else {
		recs, err = dir.List()
	}
	if err != nil && !errors.Is(err, linkstate.ErrNotFound) {
		fmt.Fprintln(io.err, "zdial:", forPeople(err)) // a bad record; the others still show
	}
	out := make([]linkStatus, 0, len(recs))
	for _, r := range recs {
		s := describeLink(dir, p.sysRoot, r)
		if !s.Stale && s.State == linkstate.StateUp && s.Port != "" {
			s.liveSignal(ctx, &p)
		}
		out = append(out, s)
	}
	if *asJSON {
		enc := json.NewEncoder(io.out)
		enc.SetIndent("", "  ")
		enc.Encode(out)
	} else {
		for _, s := range out {
			fmt.Fprint(io.out, formatLink(s, time.Now()))
		}
	}
	if len(out) == 0 {
		if len(pos) == 1 {
			fmt.Fprintf(io.err, "zdial: %s: no link record (not started with zdial up/run/ensure)\n", pos[0])
		} else if !*asJSON {
			fmt.Fprintln(io.err, "zdial: no links")
		}
		return exitOther
	}
	return exitOK
}

func describeLink(dir linkstate.Dir, sysRoot string, r linkstate.Record) linkStatus {
	s := linkStatus{Record: r}
	stale, err := dir.Stale(r)
	s.Stale = stale || err != nil
	s.PPPDAlive, _ = dir.Alive(r.PPPD)
	if !s.Stale && r.State == linkstate.StateUp && r.Interface != "" {
		if c, err := health.ReadCounters(sysRoot, r.Interface); err == nil {
			s.RxBytes, s.TxBytes = &c.RxBytes, &c.TxBytes
		}
	}
	return s
}

// liveSignal asks the dongle's control port for the signal now.
func (s *linkStatus) liveSignal(ctx context.Context, p *paths) {
	db, err := modeswitch.Builtin()
	if err != nil {
		s.LiveSignalNote = err.Error()
		return
	}
	d := p.detectOptions()
	disc := dialer.Discovery{DevRoot: p.devRoot, LockDir: p.lockDir, ProcRoot: p.procRoot}
	sig, port, err := disc.LiveSignal(ctx, d.Host(p.devRoot, nil), db, s.Port)
	switch {
	case err != nil:
		s.LiveSignalNote = printable.Strip(err.Error())
	case !sig.Known:
		s.LiveSignalNote = port + ": signal not known (+CSQ: 99)"
	default:
		s.LiveSignalDBm = &sig.DBm
	}
}

// formatLink is the text form: one headline and indented details.
func formatLink(s linkStatus, now time.Time) string {
	var b strings.Builder
	state := string(s.State)
	if s.Stale {
		state += " (stale: supervisor gone)"
	}
	fmt.Fprintf(&b, "%s: %s", s.Profile, state)
	if !s.Since.IsZero() {
		fmt.Fprintf(&b, " for %s", now.Sub(s.Since).Round(time.Second))
	}
	b.WriteByte('\n')
	line := func(k, format string, v ...any) { fmt.Fprintf(&b, "  %-11s %s\n", k, fmt.Sprintf(format, v...)) }
	line("supervisor", "%d", s.Supervisor.PID)
	if s.PPPD.PID != 0 {
		alive := "running"
		if !s.PPPDAlive {
			alive = "gone"
		}
		line("pppd", "%d (%s)", s.PPPD.PID, alive)
	}
	if s.Port != "" && s.Device != "" {
		line("port", "%s (modem %s)", s.Port, s.Device)
	} else if s.Port != "" {
		line("port", "%s", s.Port)
	}
	if s.Interface != "" || s.IP.IsValid() {
		line("interface", "%s %s", s.Interface, s.IP)
	}
	if len(s.DNS) > 0 {
		line("dns", "%v", s.DNS)
	}
	if s.Operator != "" || s.AccessTech != "" || s.SignalDBm != nil {
		sig := ""
		if s.SignalDBm != nil {
			sig = fmt.Sprintf(", %d dBm", *s.SignalDBm)
		}
		line("network", "%s %s%s", s.Operator, s.AccessTech, sig)
	}
	switch {
	case s.LiveSignalDBm != nil:
		line("signal now", "%d dBm", *s.LiveSignalDBm)
	case s.LiveSignalNote != "":
		line("signal now", "not read: %s", s.LiveSignalNote)
	}
	if s.RxBytes != nil {
		line("bytes", "%d in, %d out", *s.RxBytes, *s.TxBytes)
	}
	line("reconnects", "%d", s.Reconnects)
	if s.LastError != "" {
		code := ""
		if s.ExitCode != nil {
			code = fmt.Sprintf(" (exit %d)", *s.ExitCode)
		}
		line("last error", "%s%s", s.LastError, code)
	}
	return b.String()
}

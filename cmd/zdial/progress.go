package main

import (
	"fmt"
	"strings"

	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/dialseq"
	"github.com/zdial/zdial/pppctl"
)

// describe turns a stage event into the line a person watching wants, or
// "" for events not worth a line of their own.
func describe(ev dialer.Event) string {
	switch {
	case ev.Dial != nil:
		return describeDial(*ev.Dial)
	case ev.PPP != nil:
		return describePPP(ev)
	}
	return ev.Note
}

func describeDial(ev dialseq.Event) string {
	switch ev.Kind {
	case dialseq.EventSIMReady:
		if ev.PINSent {
			return "SIM ready (PIN accepted)"
		}
		return "SIM ready"
	case dialseq.EventRegistered:
		var detail []string
		if ev.AccessTech != "" {
			detail = append(detail, ev.AccessTech)
		}
		if ev.SignalDBm != 0 {
			detail = append(detail, fmt.Sprintf("%d dBm", ev.SignalDBm))
		}
		where := "registered"
		if ev.Roaming {
			where = "registered (roaming)"
		}
		if ev.Operator != "" {
			where += fmt.Sprintf(" on %q", ev.Operator)
		}
		if len(detail) > 0 {
			where += " (" + strings.Join(detail, ", ") + ")"
		}
		return where
	case dialseq.EventAPNSet:
		return "APN " + ev.APN
	case dialseq.EventConnect:
		return strings.TrimSpace("CONNECT " + ev.Rate)
	}
	return ""
}

// shellQuote renders argv so it can be pasted into a shell.
func shellQuote(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		if a != "" && !strings.ContainsAny(a, " \t\n'\"\\$`*?[]{}()<>|&;#~") {
			out[i] = a
			continue
		}
		out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(out, " ")
}

func describePPP(ev dialer.Event) string {
	e := ev.PPP
	switch e.Kind {
	case pppctl.EventLocalIP:
		return fmt.Sprintf("%s up %s", ifname(ev.Link.Interface), e.Addr)
	case pppctl.EventRemoteIP:
		return fmt.Sprintf("peer %s", e.Addr)
	case pppctl.EventPrimaryDNS:
		return fmt.Sprintf("DNS %s", e.Addr)
	case pppctl.EventSecondaryDNS:
		if len(ev.Link.DNS) < 2 {
			return "" // the same address as the primary: said already
		}
		return fmt.Sprintf("DNS %s", e.Addr)
	case pppctl.EventLocalLL:
		return fmt.Sprintf("%s up (IPv6) %s", ifname(ev.Link.Interface), e.Addr)
	case pppctl.EventAuthFailed, pppctl.EventConfigTimeout, pppctl.EventEchoTimeout,
		pppctl.EventTerminatedByPeer, pppctl.EventModemHangup, pppctl.EventConnectionTerminated:
		return "link down: " + e.Line
	}
	return ""
}

func ifname(s string) string {
	if s == "" {
		return "ppp"
	}
	return s
}

package pppctl

import (
	"net/netip"
	"time"
)

// Link is what pppd's log has told us about the link so far: the state
// a dialer prints ("ppp0 up 10.64.64.64, DNS …") and reports as JSON.
type Link struct {
	Interface   string        `json:"interface,omitempty"`
	Device      string        `json:"device,omitempty"`
	Up          bool          `json:"up"` // IPCP or IPv6CP is up and not yet terminated
	LocalIP     netip.Addr    `json:"local_ip,omitzero"`
	RemoteIP    netip.Addr    `json:"remote_ip,omitzero"`
	DNS         []netip.Addr  `json:"dns,omitempty"` // primary first
	LocalLL     netip.Addr    `json:"local_ll,omitzero"`
	RemoteLL    netip.Addr    `json:"remote_ll,omitzero"`
	AuthFailed  string        `json:"auth_failed,omitempty"` // protocol that failed
	Down        string        `json:"down,omitempty"`        // first reason the link ended
	ConnectTime time.Duration `json:"connect_time,omitempty"`
	Sent        uint64        `json:"sent_bytes,omitempty"`
	Received    uint64        `json:"received_bytes,omitempty"`
}

// Apply folds one event into l.
func (l *Link) Apply(ev Event) {
	down := func(why string) {
		l.Up = false
		if l.Down == "" {
			l.Down = why
		}
	}
	switch ev.Kind {
	case EventInterface:
		l.Interface = ev.Interface
	case EventConnect:
		l.Interface, l.Device = ev.Interface, ev.Device
	case EventLocalIP:
		l.LocalIP, l.Up = ev.Addr, true
	case EventRemoteIP:
		l.RemoteIP = ev.Addr
	case EventPrimaryDNS:
		l.DNS = append([]netip.Addr{ev.Addr}, l.withoutDNS(ev.Addr)...)
	case EventSecondaryDNS:
		l.DNS = append(l.withoutDNS(ev.Addr), ev.Addr)
	case EventLocalLL:
		l.LocalLL, l.Up = ev.Addr, true
	case EventRemoteLL:
		l.RemoteLL = ev.Addr
	case EventAuthFailed:
		l.AuthFailed = ev.Protocol
		down(ev.Line)
	case EventConfigTimeout, EventEchoTimeout, EventTerminatedByPeer,
		EventModemHangup, EventTerminating, EventConnectionTerminated:
		down(ev.Line)
	case EventConnectTime:
		l.ConnectTime = ev.Duration
	case EventTraffic:
		l.Sent, l.Received = ev.Sent, ev.Received
	}
}

// withoutDNS returns l.DNS less a; IPCP can come up twice (a lost
// Configure-Ack) and repeat the same addresses.
func (l *Link) withoutDNS(a netip.Addr) []netip.Addr {
	var out []netip.Addr
	for _, d := range l.DNS {
		if d != a {
			out = append(out, d)
		}
	}
	return out
}

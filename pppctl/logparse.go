package pppctl

import (
	"github.com/zdial/zdial/internal/printable"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// EventKind says what a pppd log line reported.
type EventKind int

const (
	EventOther                EventKind = iota // any other line; only Line is set
	EventInterface                             // "Using interface ppp0": Interface
	EventConnect                               // "Connect: ppp0 <--> /dev/ttyUSB0": Interface, Device
	EventAuthSucceeded                         // "PAP authentication succeeded": Protocol
	EventAuthFailed                            // "CHAP authentication failed": Protocol, Reason
	EventLocalIP                               // "local  IP address 10.1.2.3": Addr
	EventRemoteIP                              // "remote IP address 10.64.64.64": Addr
	EventPrimaryDNS                            // "primary   DNS address 8.8.8.8": Addr
	EventSecondaryDNS                          // "secondary DNS address 8.8.4.4": Addr
	EventLocalLL                               // "local  LL address fe80::…": Addr (IPv6CP up)
	EventRemoteLL                              // "remote LL address fe80::…": Addr
	EventConfigTimeout                         // "LCP: timeout sending Config-Requests": Protocol
	EventEchoTimeout                           // "No response to 4 echo-requests": N
	EventTerminatedByPeer                      // "LCP terminated by peer (reason)": Protocol, Reason
	EventModemHangup                           // "Modem hangup"
	EventTerminating                           // "Terminating on signal 15": N (the signal)
	EventConnectTime                           // "Connect time 2.3 minutes.": Duration
	EventTraffic                               // "Sent 1 bytes, received 2 bytes.": Sent, Received
	EventConnectionTerminated                  // "Connection terminated."
)

var kindNames = [...]string{
	"other", "interface", "connect", "auth-succeeded", "auth-failed",
	"local-ip", "remote-ip", "primary-dns", "secondary-dns", "local-ll",
	"remote-ll", "config-timeout", "echo-timeout", "terminated-by-peer",
	"modem-hangup", "terminating", "connect-time", "traffic",
	"connection-terminated",
}

func (k EventKind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "EventKind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText makes kinds readable in JSON output.
func (k EventKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Event is one line of pppd's log, parsed. Line is always set (with the
// password masked, should it ever appear); the other fields are set as
// the comment on Kind says. No field holds a control character or an
// escape sequence: Line, Device and Reason are cleaned of them (see
// printable.Strip), Interface is a valid interface name, Protocol letters and
// digits, Addr a parsed address.
type Event struct {
	Kind      EventKind     `json:"kind"`
	Line      string        `json:"line"`
	Interface string        `json:"interface,omitempty"`
	Device    string        `json:"device,omitempty"`
	Addr      netip.Addr    `json:"addr,omitzero"`
	Protocol  string        `json:"protocol,omitempty"`
	Reason    string        `json:"reason,omitempty"`
	N         int           `json:"n,omitempty"`
	Duration  time.Duration `json:"duration,omitempty"`
	Sent      uint64        `json:"sent,omitempty"`
	Received  uint64        `json:"received,omitempty"`
}

// The texts come from pppd 2.4.9 and 2.5.x (main.c, auth.c, ipcp.c,
// ipv6cp.c, fsm.c, lcp.c, upap.c, chap.c). pppd pads "local  IP" and
// "primary   DNS" to line up with the longer words; \s+ keeps us from
// depending on that.
var (
	reInterface   = regexp.MustCompile(`^Using interface (\S+)$`)
	reConnect     = regexp.MustCompile(`^Connect: (\S+) <--> ?(.*)$`)
	reAuthOK      = regexp.MustCompile(`^(PAP|CHAP|EAP) authentication succeeded`)
	reAuthFail    = regexp.MustCompile(`^(PAP|CHAP|EAP) authentication (failed|timed out)(.*)$`)
	reAddr        = regexp.MustCompile(`^(local|remote|primary|secondary)\s+(IP|LL|DNS) address (\S+)$`)
	reCfgTimeout  = regexp.MustCompile(`^([A-Za-z0-9]+): timeout sending Config-Requests$`)
	reEchoTimeout = regexp.MustCompile(`^No response to (\d{1,9}) echo-requests$`)
	rePeerTerm    = regexp.MustCompile(`^([A-Za-z0-9]+) terminated by peer(?: \((.*)\))?$`)
	reTerminating = regexp.MustCompile(`^Terminating on signal (\d{1,9})\b`)
	reConnectTime = regexp.MustCompile(`^Connect time (\d{1,8})\.(\d) minutes\.$`)
	reTraffic     = regexp.MustCompile(`^Sent (\d+) bytes, received (\d+) bytes\.$`)
)

var addrKinds = map[string]EventKind{
	"local IP": EventLocalIP, "remote IP": EventRemoteIP,
	"primary DNS": EventPrimaryDNS, "secondary DNS": EventSecondaryDNS,
	"local LL": EventLocalLL, "remote LL": EventRemoteLL,
}

// ParseLine parses one line of pppd's log (as pppd writes it to logfd:
// no timestamp, no syslog prefix). Unknown lines give EventOther. The
// line is cleaned of control characters and escape sequences first, so
// what it returns is safe to show on a terminal.
func ParseLine(line string) Event {
	line = printable.Strip(strings.TrimRight(line, "\r\n"))
	ev := Event{Kind: EventOther, Line: line}
	s := strings.TrimSpace(line)
	var m []string
	match := func(re *regexp.Regexp) bool { m = re.FindStringSubmatch(s); return m != nil }
	switch {
	case s == "Modem hangup":
		ev.Kind = EventModemHangup
	case s == "Connection terminated.":
		ev.Kind = EventConnectionTerminated
	case match(reInterface) && validArg(argIfName, m[1]):
		ev.Kind, ev.Interface = EventInterface, m[1]
	case match(reConnect) && validArg(argIfName, m[1]):
		ev.Kind, ev.Interface, ev.Device = EventConnect, m[1], m[2]
	case match(reAuthOK):
		ev.Kind, ev.Protocol = EventAuthSucceeded, m[1]
	case match(reAuthFail):
		ev.Kind, ev.Protocol = EventAuthFailed, m[1]
		reason := strings.TrimSpace(m[3]) // "due to protocol-reject", ": message"
		if m[2] == "timed out" {
			reason = "timed out " + reason
		}
		ev.Reason = strings.TrimSpace(strings.TrimPrefix(reason, ":"))
	case match(reAddr):
		kind, ok := addrKinds[m[1]+" "+m[2]]
		addr, err := netip.ParseAddr(m[3])
		if ok && err == nil {
			ev.Kind, ev.Addr = kind, addr
		}
	case match(reCfgTimeout):
		ev.Kind, ev.Protocol = EventConfigTimeout, m[1]
	case match(reEchoTimeout):
		ev.Kind, ev.N = EventEchoTimeout, atoi(m[1])
	case match(rePeerTerm):
		ev.Kind, ev.Protocol, ev.Reason = EventTerminatedByPeer, m[1], m[2]
	case match(reTerminating):
		ev.Kind, ev.N = EventTerminating, atoi(m[1])
	case match(reConnectTime):
		// pppd prints tenths of a minute: 6 s each.
		ev.Kind = EventConnectTime
		ev.Duration = time.Duration(atoi(m[1])*10+atoi(m[2])) * 6 * time.Second
	case match(reTraffic):
		sent, err1 := strconv.ParseUint(m[1], 10, 64)
		recv, err2 := strconv.ParseUint(m[2], 10, 64)
		if err1 == nil && err2 == nil {
			ev.Kind, ev.Sent, ev.Received = EventTraffic, sent, recv
		}
	}
	return ev
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s) // only called on \d{1,9} matches: no overflow
	return n
}

package pppctl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseLine feeds the pppd log parser arbitrary lines: it must not
// panic, must hand up only clean text (no control byte, no escape
// sequence, valid UTF-8), only valid interface names and addresses, and
// must be stable: parsing its own cleaned Line gives the same event.
//
//	go test -run='^$' -fuzz=FuzzParseLine -fuzztime=10m -parallel=1 ./pppctl
func FuzzParseLine(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.log"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			f.Add(syslogPrefix.ReplaceAllString(l, ""))
		}
	}
	for _, s := range []string{
		"Connect: ppp0 <--> /dev/ttyUSB0\x1b[2J\x1b]0;owned\x07",
		"CHAP authentication failed: \x1b]0;owned\x07Access denied",
		"LCP terminated by peer (\x1b]2;pwned\x07bye\u009b2J)",
		"local  IP address 10.1.2.3\r\n", "remote LL address fe80::1%ppp0",
		"Sent 18446744073709551616 bytes, received 1 bytes.",
		"Connect time 99999999999999999999.9 minutes.",
		"No response to 99999999999999999999 echo-requests",
		"Terminating on signal 99999999999999999999",
		"\u202eUsing interface ppp0", "\xff\xfe\x1b[", "\x1bP\x1b\\\u009c\u009d",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		ev := ParseLine(line)
		if strings.HasPrefix(ev.Kind.String(), "EventKind(") {
			t.Fatalf("unknown kind %d", ev.Kind)
		}
		for _, s := range []string{ev.Line, ev.Device, ev.Reason, ev.Interface, ev.Protocol} {
			if !safeText(s) {
				t.Fatalf("unsafe text %q from %q", s, line)
			}
		}
		if len(ev.Line) > 3*len(line) {
			t.Fatalf("Line grew from %d to %d bytes", len(line), len(ev.Line))
		}
		switch ev.Kind {
		case EventInterface, EventConnect:
			if !validArg(argIfName, ev.Interface) {
				t.Fatalf("interface %q from %q", ev.Interface, line)
			}
		case EventLocalIP, EventRemoteIP, EventPrimaryDNS, EventSecondaryDNS, EventLocalLL, EventRemoteLL:
			if !ev.Addr.IsValid() {
				t.Fatalf("no address from %q", line)
			}
		case EventConnectTime:
			if ev.Duration < 0 {
				t.Fatalf("negative duration %v from %q", ev.Duration, line)
			}
		case EventEchoTimeout, EventTerminating:
			if ev.N < 0 {
				t.Fatalf("negative N %d from %q", ev.N, line)
			}
		}
		if again := ParseLine(ev.Line); again != ev {
			t.Fatalf("not stable: %q gave %+v, its Line %q gave %+v", line, ev, ev.Line, again)
		}
		var l Link
		l.Apply(ev)
		if !safeText(l.Down) {
			t.Fatalf("unsafe Link.Down %q", l.Down)
		}
	})
}

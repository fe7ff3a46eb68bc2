package pppctl

import (
	"context"
	"strings"
	"testing"

	"github.com/zdial/zdial/internal/fakepppd"
	"github.com/zdial/zdial/internal/printable"
)

// safeText reports whether s holds nothing a terminal would act on.
func safeText(s string) bool { return printable.Strip(s) == s && !strings.Contains(s, "\t") }

// TestParseLineStripsControls pins issue 9 item 14 on pppctl's side:
// pppd's log carries text from the peer and from scripts; nothing of it
// reaches a terminal or JSON with its control bytes.
func TestParseLineStripsControls(t *testing.T) {
	for _, tc := range []struct {
		line string
		want Event
	}{
		{"Connect: ppp0 <--> /dev/ttyUSB0\x1b[2J\x1b]0;owned\x07",
			Event{Kind: EventConnect, Line: "Connect: ppp0 <--> /dev/ttyUSB0", Interface: "ppp0", Device: "/dev/ttyUSB0"}},
		{"CHAP authentication failed: \x1b]0;owned\x07Access\x1b[31m denied\x07",
			Event{Kind: EventAuthFailed, Line: "CHAP authentication failed: Access denied", Protocol: "CHAP", Reason: "Access denied"}},
		{"LCP terminated by peer (\x1b]2;pwned\x07bye\u009b2J)",
			Event{Kind: EventTerminatedByPeer, Line: "LCP terminated by peer (bye)", Protocol: "LCP", Reason: "bye"}},
		{"Using interface ppp0\x1b[2J", Event{Kind: EventInterface, Line: "Using interface ppp0", Interface: "ppp0"}},
		// Not an interface name: no interface reported.
		{"Using interface ppp/0", Event{Kind: EventOther, Line: "Using interface ppp/0"}},
		{"Using interface a-very-long-ifname", Event{Kind: EventOther, Line: "Using interface a-very-long-ifname"}},
		{"L\x1b[2JCP: timeout sending Config-Requests", Event{Kind: EventConfigTimeout, Line: "LCP: timeout sending Config-Requests", Protocol: "LCP"}},
		{"script says \x1b]0;owned\x07\x1b[2Jhi\x08\x08", Event{Kind: EventOther, Line: "script says hi"}},
	} {
		got := ParseLine(tc.line)
		if got != tc.want {
			t.Errorf("ParseLine(%q)\n = %+v\nwant %+v", tc.line, got, tc.want)
		}
	}
}

// Through a running pppd: events, the Link and a password split by a
// control byte (the mask runs on the cleaned line); a line longer than
// the bound arrives cut to it.
func TestProcessEventsAreClean(t *testing.T) {
	ctx := watchdog(t)
	split := testPassword[:4] + "\x07" + testPassword[4:]
	long := "x" + strings.Repeat("\x1b[2J", 10) + strings.Repeat("y", 3*maxLogLine)
	h := newHarness(t, fakepppd.Spec{Mode: fakepppd.ModeExit, Exit: 11, Log: []string{
		"Using interface ppp0",
		"Connect: ppp0 <--> {tty}\x1b]0;owned\x07",
		`rcvd [PAP AuthReq id=0x1 user="web" password="` + split + `"]`,
		"CHAP authentication failed: \x1b[2J\x1b]0;owned\x07Access denied",
		long,
	}})
	cfg := h.config(profile())
	p := h.start(ctx, cfg)
	if err := p.Wait(context.WithoutCancel(ctx)); err == nil {
		t.Fatal("Wait = nil, want status 11")
	}
	evs := h.seen()
	var lines []string
	for _, ev := range evs {
		for _, s := range []string{ev.Line, ev.Device, ev.Reason, ev.Interface, ev.Protocol} {
			if !safeText(s) {
				t.Errorf("unsafe text %q in event %+v", s, ev)
			}
		}
		lines = append(lines, ev.Line)
	}
	assertNoSecret(t, "log events", lines...)
	if want := `rcvd [PAP AuthReq id=0x1 user="web" password="****"]`; lines[2] != want {
		t.Errorf("PAP line = %q, want %q", lines[2], want)
	}
	if got := evs[1].Device; got != h.tty.Name() {
		t.Errorf("device %q, want %s", got, h.tty.Name())
	}
	if l := p.Link(); l.Down != "CHAP authentication failed: Access denied" || !safeText(l.Down) {
		t.Errorf("Link.Down = %q", l.Down)
	}
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "xyyy") || len(last) > maxLogLine {
		t.Errorf("long line came as %d bytes starting %q, want at most %d", len(last), last[:min(len(last), 8)], maxLogLine)
	}
}

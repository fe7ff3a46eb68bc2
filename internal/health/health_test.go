package health

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func fakeLookup(m map[string]InterfaceInfo) func(string) (InterfaceInfo, error) {
	return func(name string) (InterfaceInfo, error) {
		info, ok := m[name]
		if !ok {
			return InterfaceInfo{}, ErrNoInterface
		}
		return info, nil
	}
}

func TestInterface(t *testing.T) {
	ip := netip.MustParseAddr("10.64.1.7")
	c := Checker{Lookup: fakeLookup(map[string]InterfaceInfo{
		"ppp0": {Up: true, Addrs: []netip.Addr{ip}},
		"ppp1": {Up: true},
		"ppp2": {Up: false, Addrs: []netip.Addr{ip}},
	})}
	tests := []struct {
		iface string
		want  netip.Addr
		err   error
	}{
		{"ppp0", ip, nil},
		{"ppp0", netip.Addr{}, nil},
		{"ppp0", netip.MustParseAddr("::ffff:10.64.1.7"), nil}, // a mapped form is the same address
		{"ppp0", netip.MustParseAddr("10.64.1.8"), ErrNoAddress},
		{"ppp1", netip.Addr{}, ErrNoAddress}, // IPCP not done yet
		{"ppp2", ip, ErrDown},
		{"ppp9", netip.Addr{}, ErrNoInterface},
		{"../ppp0", netip.Addr{}, ErrBadInterface},
	}
	for _, tt := range tests {
		err := c.Interface(tt.iface, tt.want)
		if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("Interface(%q, %v) = %v, want %v", tt.iface, tt.want, err, tt.err)
		}
		var ce *CheckError
		if err != nil && (!errors.As(err, &ce) || ce.Check != "interface" || ce.Target != tt.iface) {
			t.Errorf("Interface(%q): %v is not a *CheckError naming it", tt.iface, err)
		}
	}
}

// TestSystemInterface reads the real kernel: lo is up and holds 127.0.0.1.
func TestSystemInterface(t *testing.T) {
	info, err := SystemInterface("lo")
	if err != nil {
		t.Fatal(err)
	}
	if !info.Up {
		t.Error("lo is not up")
	}
	if err := (Checker{}).Interface("lo", netip.MustParseAddr("127.0.0.1")); err != nil {
		t.Error(err)
	}
	if _, err := SystemInterface("zdialnone0"); !errors.Is(err, ErrNoInterface) {
		t.Errorf("missing interface: %v, want ErrNoInterface", err)
	}
}

func TestValidInterface(t *testing.T) {
	for _, ok := range []string{"ppp0", "wwan0", "enx0c5b8f279a64", "a"} {
		if err := ValidInterface(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", ".", "..", "a/b", "ppp0:1", "pp p", "ppp\n", "sixteen-chars-xx", "\xff"} {
		if err := ValidInterface(bad); !errors.Is(err, ErrBadInterface) {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}

func listenTCP(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return l.Addr().String()
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestTCP(t *testing.T) {
	open, closed := listenTCP(t), closedPort(t)
	c := Checker{Timeout: time.Minute}
	tests := []struct {
		name, addr, bind string
		err              error
	}{
		{"open", open, "", nil},
		{"open, bound to lo", open, "lo", nil},
		{"closed", closed, "", syscall.ECONNREFUSED},
		{"bound to a missing interface", open, "zdialnone0", syscall.ENODEV},
	}
	for _, tt := range tests {
		err := c.TCP(t.Context(), tt.addr, tt.bind)
		if tt.err == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, ErrUnreachable) || !errors.Is(err, tt.err) {
			t.Errorf("%s: %v, want ErrUnreachable and %v", tt.name, err, tt.err)
		}
	}
}

// TestTCPCancelled: a done context fails the check at once, with its cause.
func TestTCPCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := Checker{}.TCP(ctx, listenTCP(t), "")
	if !errors.Is(err, ErrUnreachable) || !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want ErrUnreachable wrapping context.Canceled", err)
	}
}

// dnsServer answers A queries for known names with 192.0.2.1, AAAA queries
// with no answer, and anything else with NXDOMAIN: enough DNS for Go's
// resolver, on a real UDP socket.
func dnsServer(t *testing.T, known string) netip.AddrPort {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if resp := answer(buf[:n], known); resp != nil {
				pc.WriteTo(resp, from)
			}
		}
	}()
	return netip.MustParseAddrPort(pc.LocalAddr().String())
}

func answer(q []byte, known string) []byte {
	if len(q) < 12 || binary.BigEndian.Uint16(q[4:]) != 1 {
		return nil
	}
	var labels []string
	i := 12
	for i < len(q) && q[i] != 0 {
		l := int(q[i])
		if i+1+l > len(q) {
			return nil
		}
		labels = append(labels, string(q[i+1:i+1+l]))
		i += 1 + l
	}
	if i+5 > len(q) {
		return nil
	}
	qtype := binary.BigEndian.Uint16(q[i+1:])
	question := q[12 : i+5]
	name := strings.ToLower(strings.Join(labels, ".")) + "."
	flags, ancount := uint16(0x8180), uint16(0)
	if name != known {
		flags |= 3 // NXDOMAIN
	} else if qtype == 1 {
		ancount = 1
	}
	resp := binary.BigEndian.AppendUint16(nil, binary.BigEndian.Uint16(q))
	resp = binary.BigEndian.AppendUint16(resp, flags)
	resp = binary.BigEndian.AppendUint16(resp, 1)
	resp = binary.BigEndian.AppendUint16(resp, ancount)
	resp = append(resp, 0, 0, 0, 0)
	resp = append(resp, question...)
	if ancount == 1 {
		resp = append(resp, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1)
	}
	return resp
}

func TestDNS(t *testing.T) {
	ns := dnsServer(t, "probe.zdial.test.")
	c := Checker{Timeout: time.Minute}
	tests := []struct {
		name, host, bind string
		ns               netip.AddrPort
		err              error
	}{
		{"known", "probe.zdial.test.", "", ns, nil},
		{"known, bound to lo", "probe.zdial.test.", "lo", ns, nil},
		{"unknown", "nothing.zdial.test.", "", ns, ErrUnreachable},
		// The resolver's *net.DNSError does not unwrap to the dial error:
		// the text shows the bind was tried.
		{"bound to a missing interface", "probe.zdial.test.", "zdialnone0", ns, ErrUnreachable},
	}
	for _, tt := range tests {
		err := c.DNS(t.Context(), tt.host, tt.ns, tt.bind)
		if tt.bind == "zdialnone0" && (err == nil || !strings.Contains(err.Error(), "bind to zdialnone0")) {
			t.Errorf("%s: %v does not show the bind", tt.name, err)
		}
		if tt.err == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, ErrUnreachable) || !errors.Is(err, tt.err) {
			t.Errorf("%s: %v, want ErrUnreachable and %v", tt.name, err, tt.err)
		}
	}
}

// TestCheckRunsEachPart: Check passes only when every named part passes,
// and reports the first that fails.
func TestCheckRunsEachPart(t *testing.T) {
	ip := netip.MustParseAddr("127.0.0.1")
	c := Checker{Timeout: time.Minute, Lookup: fakeLookup(map[string]InterfaceInfo{"lo": {Up: true, Addrs: []netip.Addr{ip}}})}
	ns := dnsServer(t, "probe.zdial.test.")
	open, closed := listenTCP(t), closedPort(t)
	tests := []struct {
		name  string
		t     Target
		check string // "" for success, else the failing check
	}{
		{"interface only", Target{Interface: "lo", Address: ip}, ""},
		{"all", Target{Interface: "lo", Address: ip, TCP: open, DNS: "probe.zdial.test.", Nameserver: ns, Bind: true}, ""},
		{"missing interface", Target{Interface: "ppp0", TCP: open}, "interface"},
		{"tcp fails", Target{Interface: "lo", TCP: closed, DNS: "probe.zdial.test.", Nameserver: ns}, "tcp"},
		{"dns fails", Target{Interface: "lo", TCP: open, DNS: "nothing.zdial.test.", Nameserver: ns}, "dns"},
	}
	for _, tt := range tests {
		err := c.Check(t.Context(), tt.t)
		var ce *CheckError
		switch {
		case tt.check == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.check != "" && (!errors.As(err, &ce) || ce.Check != tt.check):
			t.Errorf("%s: %v, want a failed %s check", tt.name, err, tt.check)
		}
	}
}

func TestReadCounters(t *testing.T) {
	sys := t.TempDir()
	write := func(iface, rx, tx string) {
		dir := filepath.Join(sys, "class", "net", iface, "statistics")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "rx_bytes"), []byte(rx), 0o644)
		os.WriteFile(filepath.Join(dir, "tx_bytes"), []byte(tx), 0o644)
	}
	write("ppp0", "123456789012\n", "4567\n")
	write("ppp1", "18446744073709551615\n", "0\n")
	write("ppp2", "12 cats\n", "0\n")
	write("ppp3", strings.Repeat("1", 100), "0\n")
	write("ppp4", "-1\n", "0\n")
	tests := []struct {
		iface string
		want  Counters
		err   error // nil: success; errAny: some error
	}{
		{"ppp0", Counters{RxBytes: 123456789012, TxBytes: 4567}, nil},
		{"ppp1", Counters{RxBytes: 1<<64 - 1}, nil},
		{"ppp2", Counters{}, errAny},
		{"ppp3", Counters{}, errAny},
		{"ppp4", Counters{}, errAny},
		{"ppp9", Counters{}, ErrNoInterface},
		{"..", Counters{}, ErrBadInterface},
	}
	for _, tt := range tests {
		got, err := ReadCounters(sys, tt.iface)
		switch {
		case tt.err == nil && err != nil:
			t.Errorf("%s: %v", tt.iface, err)
		case tt.err == errAny && err == nil, tt.err != nil && tt.err != errAny && !errors.Is(err, tt.err):
			t.Errorf("%s: err = %v, want %v", tt.iface, err, tt.err)
		case got != tt.want:
			t.Errorf("%s: %+v, want %+v", tt.iface, got, tt.want)
		}
	}
	// The real sysfs: lo always has counters.
	if _, err := ReadCounters("/sys", "lo"); err != nil {
		t.Errorf("real lo: %v", err)
	}
}

var errAny = errors.New("any error")

// BenchmarkInterfaceLo measures ensure's always-on check against the real
// kernel (lo stands in for ppp0).
func BenchmarkInterfaceLo(b *testing.B) {
	want := netip.MustParseAddr("127.0.0.1")
	for b.Loop() {
		if err := (Checker{}).Interface("lo", want); err != nil {
			b.Fatal(err)
		}
	}
}

package pppctl

import "testing"

func BenchmarkParseLine(b *testing.B) {
	lines := []string{
		"Using interface ppp0", "Connect: ppp0 <--> /dev/ttyUSB0", "local  IP address 10.64.64.64",
		"primary   DNS address 8.8.8.8", "Script /etc/ppp/ip-up started (pid 1234)",
		"Sent 5234 bytes, received 104832 bytes.",
	}
	for i := 0; b.Loop(); i++ {
		ParseLine(lines[i%len(lines)])
	}
}

func BenchmarkArgs(b *testing.B) {
	o := profile()
	o.Extra = []string{"mtu 1400", "debug"}
	for b.Loop() {
		Args(o)
	}
}

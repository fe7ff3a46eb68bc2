package modemsim

import (
	"io"
	"strings"
	"testing"
)

// BenchmarkExchange measures one AT+CSQ round trip over Pipe with no
// latency: the simulator's own cost per exchange, which bounds how fast
// tests that dial it can run.
func BenchmarkExchange(b *testing.B) {
	p, err := Builtin("zte-mf622")
	if err != nil {
		b.Fatal(err)
	}
	p.URCs, p.Echo = nil, false
	c, sim := Pipe(p)
	defer func() { c.Close(); <-sim.Done() }()
	want := "\r\n+CSQ: 17,99\r\n\r\nOK\r\n"
	buf := make([]byte, 256)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := io.WriteString(c, "AT+CSQ\r"); err != nil {
			b.Fatal(err)
		}
		var got strings.Builder
		for got.Len() < len(want) {
			n, err := c.Read(buf)
			if err != nil {
				b.Fatal(err)
			}
			got.Write(buf[:n])
		}
		if got.String() != want {
			b.Fatalf("got %q", got.String())
		}
	}
}

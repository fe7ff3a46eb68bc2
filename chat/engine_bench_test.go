package chat

import (
	"strings"
	"testing"

	"github.com/zdial/zdial/internal/modemsim"
)

// BenchmarkRunChat8Script runs the three-uk chat(8) script (4 commands and
// the dial) against a zero-latency simulated MF622 over net.Pipe: the
// engine's cost per script, simulator included.
func BenchmarkRunChat8Script(b *testing.B) {
	p, err := modemsim.Builtin("zte-mf622")
	if err != nil {
		b.Fatal(err)
	}
	p.Latency = 0
	p.Dial.Delay = 0
	s, err := ParseChat8(strings.NewReader(threeUK), "three-uk", Chat8Options{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		client, _ := modemsim.Pipe(p)
		r := NewRunner(client)
		if _, err := r.Run(b.Context(), s); err != nil {
			b.Fatal(err)
		}
		client.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/5, "ns/exchange")
}

// BenchmarkMatcher feeds a typical answer through a matcher with five abort
// strings: the per-byte cost of chat(8)-style matching.
func BenchmarkMatcher(b *testing.B) {
	answer := []byte("\r\n+CGREG: 0,1\r\n\r\nOK\r\n")
	aborts := []string{"NO CARRIER", "BUSY", "NO DIALTONE", "ERROR", "NO ANSWER"}
	alts := []Alt{{Text: "OK"}}
	b.SetBytes(int64(len(answer)))
	for b.Loop() {
		m := newMatcher(alts, aborts)
		for _, c := range answer {
			if m.feed(c).kind != matchNone {
				break
			}
		}
	}
}

package dialseq

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/zdial/zdial/at"
	"github.com/zdial/zdial/internal/modemsim"
)

// BenchmarkDial runs the whole default script (wake, init, SIM, registration,
// APN, ATD → CONNECT) against the zero-latency simulator on a net.Pipe, in
// real time. ns/exchange is the time per AT command/response pair in the
// script; compare it with BenchmarkDial/bare-AT, the same line and engine
// doing nothing but "AT" → "OK", to see what the script itself adds.
//
//	go test -run '^$' -bench BenchmarkDial -benchtime 2s ./internal/dialseq
func BenchmarkDial(b *testing.B) {
	for _, name := range []string{"zte-mf622", "pin-required", "huawei-e1750"} {
		p, err := modemsim.Builtin(name)
		if err != nil {
			b.Fatal(err)
		}
		params := Params{APN: "three.co.uk", PIN: "1234", StateDir: b.TempDir()}
		b.Run(name, func(b *testing.B) {
			exchanges := 0
			for b.Loop() {
				client, sim := modemsim.Pipe(p)
				m := at.New(client)
				if _, err := Dial(context.Background(), m, params); err != nil {
					b.Fatal(err)
				}
				m.Close()
				<-sim.Done()
				exchanges += len(sim.Received())
			}
			perDial := float64(exchanges) / float64(b.N)
			b.ReportMetric(perDial, "exchanges/dial")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(exchanges), "ns/exchange")
		})
	}
	b.Run("bare-AT", func(b *testing.B) {
		p, _ := modemsim.Builtin("zte-mf622")
		client, sim := modemsim.Pipe(p)
		m := at.New(client)
		defer func() { m.Close(); <-sim.Done() }()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for b.Loop() {
			if _, err := m.Command(ctx, ""); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/exchange")
	})
}

// BenchmarkDialLatency is the measure: the full default script to
// CONNECT on a modem that takes 0, 20 or 50 ms per reply (the persona's
// latency knob), SIM ready and registered, in real time. The first dial on
// the modem (nothing learnt yet) and later ones (the state dir knows it
// lacks +CEREG) are reported apart.
//
//	go test -run '^$' -bench BenchmarkDialLatency -benchtime 20x ./internal/dialseq
func BenchmarkDialLatency(b *testing.B) {
	for _, lat := range []time.Duration{0, 20 * time.Millisecond, 50 * time.Millisecond} {
		for _, learnt := range []bool{false, true} {
			name := fmt.Sprintf("%v/first-dial", lat)
			if learnt {
				name = fmt.Sprintf("%v/learnt", lat)
			}
			b.Run(name, func(b *testing.B) {
				p, err := modemsim.Builtin("zte-mf622")
				if err != nil {
					b.Fatal(err)
				}
				p.Latency = lat
				p.URCs = nil
				exchanges := 0
				for b.Loop() {
					params := Params{APN: "three.co.uk", StateDir: b.TempDir(), ModemID: "bench"}
					if learnt {
						params.StateDir = benchStateDir(b)
					}
					client, sim := modemsim.Pipe(p)
					m := at.New(client)
					if _, err := Dial(context.Background(), m, params); err != nil {
						b.Fatal(err)
					}
					m.Close()
					<-sim.Done()
					exchanges += len(sim.Received())
				}
				b.ReportMetric(float64(exchanges)/float64(b.N), "exchanges/dial")
				b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/dial")
			})
		}
	}
}

var benchState string

// benchStateDir is a state dir that already knows the MF622 lacks +CEREG.
func benchStateDir(b *testing.B) string {
	if benchState == "" {
		benchState = b.TempDir()
		if err := newQuirkStore(benchState, "bench").store(modemQuirks{Unsupported: []string{"+CEREG"}}); err != nil {
			b.Fatal(err)
		}
	}
	return benchState
}

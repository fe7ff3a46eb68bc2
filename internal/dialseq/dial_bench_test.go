package dialseq

import (
	"context"
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

package at

import (
	"bufio"
	"flag"
	"io"
	"net"
	"runtime"
	"syscall"
	"testing"
	"time"
)

var floodMB = flag.Int("floodmb", 400, "megabytes of information lines BenchmarkCSQFlood sends during one AT+CSQ")

// BenchmarkCSQFlood is issue 9's measurement: a modem that answers one
// AT+CSQ with floodmb MB of information lines, then OK; a second AT+CSQ
// is answered after the whole flood. It reports the process's peak RSS and
// the heap in use after both commands, so run it alone in a fresh process:
//
//	go test -run='^$' -bench=CSQFlood -benchtime=1x ./at            # 400 MB
//	go test -run='^$' -bench=CSQFlood -benchtime=1x ./at -floodmb=50
func BenchmarkCSQFlood(b *testing.B) {
	line := []byte("\r\n+CSQ: 17,99\r\n")
	total := int64(*floodMB) << 20
	for b.Loop() {
		client, peer := net.Pipe()
		// A drain window longer than the flood: the second command waits
		// for the first one's OK, so the whole flood goes through the engine.
		m := New(client, withDrainWindow(time.Hour))
		go func() {
			r := bufio.NewReader(peer)
			for n := 0; ; n++ {
				if _, err := r.ReadString('\r'); err != nil {
					return
				}
				w := bufio.NewWriterSize(peer, 64<<10)
				for sent := int64(0); n == 0 && sent < total; sent += int64(len(line)) {
					if _, err := w.Write(line); err != nil {
						return
					}
				}
				io.WriteString(w, "\r\n+CSQ: 20,99\r\n\r\nOK\r\n")
				if w.Flush() != nil {
					return
				}
			}
		}()
		info, err := m.Command(b.Context(), "+CSQ")
		if err != nil {
			b.Logf("AT+CSQ during the flood: %v", err)
		}
		// The next command is answered after the flood.
		if next, err := m.Command(b.Context(), "+CSQ"); err != nil || len(next) != 1 {
			b.Fatalf("AT+CSQ after the flood: %q, %v", next, err)
		}
		// Heap after the flood, with the first answer still held by the caller.
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
		b.ReportMetric(float64(len(info)), "info-lines")
		runtime.KeepAlive(info)
		m.Close()
		peer.Close()
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
	}
}

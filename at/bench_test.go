package at

import (
	"runtime"
	"strings"
	"testing"
)

// exchange is one command's bytes as a Huawei E1750 sends them: echo,
// answer, the URC flood that the E1750 interleaves, and the final result.
type exchange struct {
	cmd    string
	stream []byte
	lines  int
}

// huaweiSession builds a realistic stream: status polling (CSQ, CREG,
// COPS, CPIN, SYSINFO) with ^RSSI, ^DSFLOWRPT, ^BOOT and ^MODE URCs arriving
// between and inside the responses, as they do on a real E1750 in use.
func huaweiSession() []exchange {
	flood := []string{
		"^RSSI:17", "^DSFLOWRPT:0000010C,00000000,00000000,0000000000008D7C,0000000000007B5E,0003E800,0003E800",
		"^BOOT:20952604,0,0,0,75", "^MODE:5,4", "^RSSI:18", "+CREG: 1,\"0B5C\",\"01A2D13E\"",
	}
	cmds := []struct {
		cmd  string
		info []string
	}{
		{"AT+CSQ", []string{"+CSQ: 17,99"}},
		{"AT+CREG?", []string{`+CREG: 2,1,"0B5C","01A2D13E",2`}},
		{"AT+COPS?", []string{`+COPS: 0,0,"3 UK",2`}},
		{"AT+CPIN?", []string{"+CPIN: READY"}},
		{"AT^SYSINFO", []string{"^SYSINFO:2,3,0,5,1,,4"}},
		{"ATI", []string{"Manufacturer: huawei", "Model: E1750", "Revision: 11.126.16.00.00", "IMEI: 353142030123456", "+GCAP: +CGSM,+DS,+ES"}},
	}
	var ex []exchange
	for i, c := range cmds {
		var b strings.Builder
		n := 0
		add := func(l string) { b.WriteString("\r\n" + l + "\r\n"); n++ }
		b.WriteString(c.cmd + "\r")
		n++
		for j, l := range c.info {
			add(l)
			if j == 0 {
				add(flood[(i+j)%len(flood)]) // a URC inside the response
			}
		}
		add("OK")
		add(flood[(i+1)%len(flood)]) // and URCs between commands
		add(flood[(i+2)%len(flood)])
		ex = append(ex, exchange{cmd: c.cmd, stream: []byte(b.String()), lines: n})
	}
	return ex
}

// BenchmarkParseStream measures framing, classification and routing (the
// reader goroutine's work, without the I/O) over huaweiSession, delivered
// in 64-byte reads as a USB serial port does.
//
//	go test -run=^$ -bench=ParseStream -benchmem ./at
func BenchmarkParseStream(b *testing.B) {
	ex := huaweiSession()
	total, lines := 0, 0
	for _, e := range ex {
		total += len(e.stream)
		lines += e.lines
	}
	m := newRouter(nil)
	var f framer
	b.SetBytes(int64(total))
	b.ReportAllocs()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	for b.Loop() {
		for _, e := range ex {
			c := &call{wire: e.cmd, display: e.cmd, names: commandNames(e.cmd), done: make(chan callResult, 1)}
			m.active = c
			m.cs = callState{active: true, echo: c.wire, names: c.names}
			for p := e.stream; len(p) > 0; {
				n := min(64, len(p))
				m.consume(&f, p[:n])
				p = p[n:]
			}
			if r := <-c.done; r.fin.err != nil || len(r.info) == 0 {
				b.Fatalf("%s: %+v", e.cmd, r)
			}
			m.urcq = m.urcq[:0]
		}
	}
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(b.N*lines), "allocs/line")
	b.ReportMetric(float64(lines), "lines/op")
}

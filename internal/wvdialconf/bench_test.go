package wvdialconf

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// worstCase is a file at the limits: MaxSections dialers, each inheriting
// the next (so every chain is as long as it can be), and the rest of
// MaxEntries spread over them.
func worstCase() []byte {
	var b strings.Builder
	per := MaxEntries/MaxSections - 1
	for i := 0; i < MaxSections; i++ {
		fmt.Fprintf(&b, "[Dialer d%d]\nInherits = Dialer d%d\n", i, (i+1)%MaxSections)
		for j := 0; j < per; j++ {
			fmt.Fprintf(&b, "Init%d = AT+CGDCONT=%d,\"IP\",\"apn%d\"\n", j%9+1, j%9+1, i)
		}
	}
	return []byte(b.String())
}

// BenchmarkWorstCase: the cost of the largest input Parse accepts in
// sections and settings, through Convert and EmitYAML.
func BenchmarkWorstCase(b *testing.B) {
	data := worstCase()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		f, err := Parse(bytes.NewReader(data), "worst.conf")
		if err != nil {
			b.Fatal(err)
		}
		r, err := Convert(f)
		if err != nil {
			b.Fatal(err)
		}
		var out bytes.Buffer
		if err := r.EmitYAML(&out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTypical: a guide's three-section file.
func BenchmarkTypical(b *testing.B) {
	data := []byte("[Dialer Defaults]\nModem = /dev/ttyUSB0\nInit1 = ATZ\nInit2 = ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0\nBaud = 460800\n" +
		"[Dialer three]\nInit3 = AT+CGDCONT=1,\"IP\",\"three.co.uk\"\nPhone = *99#\nUsername = user\nPassword = ''\nStupid Mode = 1\n" +
		"[Dialer pin]\nInherits = Dialer three\nInit4 = AT+CPIN=1234\n")
	for b.Loop() {
		f, _ := Parse(bytes.NewReader(data), "wvdial.conf")
		r, _ := Convert(f)
		var out bytes.Buffer
		if err := r.EmitYAML(&out); err != nil {
			b.Fatal(err)
		}
	}
}

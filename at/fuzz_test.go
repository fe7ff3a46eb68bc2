package at

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzFrameClassify feeds arbitrary bytes through the framer, the line
// classifier and the router, and checks that framing does not depend on
// how the bytes were split into reads, that no byte is lost or invented,
// and that every line lands in exactly one class consistent with its text.
// Seeds: testdata/fuzz/FuzzFrameClassify.
func FuzzFrameClassify(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		// 1. Framing is independent of read boundaries.
		whole := frameAll(data)
		var chunks [][]byte
		step := int(chunk%16) + 1
		for i := 0; i < len(data); i += step {
			chunks = append(chunks, data[i:min(i+step, len(data))])
		}
		split := frameAll(chunks...)
		if len(whole) != len(split) {
			t.Fatalf("lines differ by chunking: %q vs %q", whole, split)
		}
		for i := range whole {
			if whole[i] != split[i] {
				t.Fatalf("line %d differs by chunking: %q vs %q", i, whole[i], split[i])
			}
		}
		// 2. Lines are the input minus CR and LF, in order, none empty.
		var f framer
		var got []byte
		for p := data; len(p) > 0; {
			line, n, long, ok := f.next(p)
			p = p[n:]
			if !ok {
				break
			}
			if line == "" || strings.ContainsAny(line, "\r\n") || len(line) > maxLine || long != (len(line) == maxLine) {
				t.Fatalf("bad line %q (long %v)", line, long)
			}
			got = append(got, line...)
		}
		got = append(got, f.partial()...)
		want := bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r"), nil), []byte("\n"), nil)
		if !bytes.Equal(got, want) {
			t.Fatalf("framing lost or invented bytes:\n got %q\nwant %q", got, want)
		}
		// 3. Classification is consistent with the text of each line.
		states := []callState{
			{},
			{stale: true},
			{active: true, echo: "AT+CREG?", names: []string{"+CREG"}},
			{active: true, echo: "ATI"},
		}
		for _, line := range whole {
			_, final := parseFinal(line)
			for i := range states {
				st := states[i]
				k := classify(line, &st, nil)
				switch {
				case final && k != kindFinal && !(k == kindURC && isUnsolicitedFinal(line) && !st.active && !st.stale):
					t.Fatalf("%q in state %d: final result classed %v", line, i, k)
				case !final && k == kindFinal:
					t.Fatalf("%q in state %d: classed final", line, i)
				case (k == kindEcho || k == kindInfo) && !st.active:
					t.Fatalf("%q in state %d: %v with no command", line, i, k)
				case k == kindStale && !st.stale:
					t.Fatalf("%q in state %d: stale with nothing stale", line, i)
				case k == kindURC && st.active && ownsLine(line, st.names):
					t.Fatalf("%q in state %d: the command's own answer classed URC", line, i)
				}
			}
			if m := maskLine(line, false); maskLine(m, false) != m {
				t.Fatalf("masking %q is not idempotent", line)
			}
			lines := []string{line}
			ParseSIMState(lines)
			ParsePINCounts(lines)
			ParseSignal(lines)
			ParseRegistration(lines)
			ParseOperator(lines)
			ParseICCID(lines)
			ParseIdentLine("+CGMI", lines)
			ParseATI(lines)
		}
		// 4. The router (no goroutines needed) never panics, and after a
		// CONNECT keeps exactly the bytes that followed it.
		m := &Modem{urcReady: make(chan struct{}, 1)}
		c := &call{wire: "AT+CSQ", display: "AT+CSQ", names: []string{"+CSQ"}, wantPrompt: true,
			prompt: make(chan struct{}, 1), done: make(chan callResult, 1)}
		m.active = c
		m.cs = callState{active: true, echo: c.wire, names: c.names}
		var fr framer
		read := 0
		for _, p := range chunks {
			read += len(p)
			if !m.consume(&fr, p) {
				continue
			}
			cut := read - len(m.leftover)
			if !bytes.Equal(data[cut:read], m.leftover) {
				t.Fatalf("leftover %q is not what followed CONNECT in its read", m.leftover)
			}
			if cut == 0 || (data[cut-1] != '\r' && data[cut-1] != '\n') {
				t.Fatalf("leftover %q does not start after a line end", m.leftover)
			}
			lines := frameAll(data[:cut])
			last := lines[len(lines)-1]
			if !c.wantPrompt {
				// A "> " prompt that ended a read was taken as the prompt
				// and removed from the stream; the framer alone keeps it
				// at the head of the next line.
				last = strings.TrimPrefix(strings.TrimPrefix(last, ">"), " ")
			}
			if fin, ok := parseFinal(last); !ok || !fin.connect {
				t.Fatalf("stopped reading after %q, not CONNECT", lines[len(lines)-1])
			}
			break
		}
	})
}

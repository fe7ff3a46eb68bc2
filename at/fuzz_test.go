package at

import (
	"bytes"
	"slices"
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
		if a, b := framesAll(data), framesAll(chunks...); !slices.Equal(a, b) {
			t.Fatalf("frames differ by chunking:\n%+v\n%+v", a, b)
		}
		// 2. Each line is its segment of the input (between CR/LF) minus
		// noise bytes, or, when that is longer than maxLine, a long frame
		// of the segment's length; nothing else is lost or invented.
		var want []frame
		segs := bytes.FieldsFunc(data, func(r rune) bool { return r == '\r' || r == '\n' })
		if n := len(data); n > 0 && data[n-1] != '\r' && data[n-1] != '\n' && len(segs) > 0 {
			segs = segs[:len(segs)-1] // the unterminated tail
		}
		for _, seg := range segs {
			var text []byte
			noise := 0
			for _, c := range seg {
				if isNoise(c) {
					noise++
				} else {
					text = append(text, c)
				}
			}
			if len(text) > maxLine {
				want = append(want, frame{long: len(seg)})
			} else {
				want = append(want, frame{text: string(text), noise: noise})
			}
		}
		got := framesAll(data)
		if len(got) != len(want) {
			t.Fatalf("%d frames, want %d", len(got), len(want))
		}
		for i, fr := range got {
			if fr.text != want[i].text || fr.noise != want[i].noise || fr.long != want[i].long {
				t.Fatalf("frame %d = %+v, want %+v", i, fr, want[i])
			}
			if fr.tail > len(fr.text) || len(fr.sample) > noiseSample || strings.ContainsAny(fr.text, "\r\n") {
				t.Fatalf("bad frame %+v", fr)
			}
			for j := 0; j < len(fr.text); j++ {
				if isNoise(fr.text[j]) {
					t.Fatalf("noise byte in text of %+v", fr)
				}
			}
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
		m := newRouter(nil)
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
			frames := framesAll(data[:cut])
			last := frames[len(frames)-1]
			// The CONNECT is the line's text, or (with noise in the line,
			// noise.go) that text or the text after the last noise byte
			// with leading junk trimmed.
			candidates := []string{last.text, trimJunk(last.text), trimJunk(last.text[last.tail:])}
			if !c.wantPrompt {
				// A "> " prompt that ended a read was taken as the prompt
				// and removed from the stream; the framer alone keeps it
				// at the head of the next line.
				for i, l := range candidates {
					candidates[i] = strings.TrimPrefix(strings.TrimPrefix(l, ">"), " ")
				}
				candidates = append(candidates, trimJunk(candidates[0]))
			}
			found := false
			for _, l := range candidates {
				if fin, ok := parseFinal(l); ok && fin.connect {
					found = true
				}
			}
			if !found {
				t.Fatalf("stopped reading after %+v, not CONNECT", last)
			}
			break
		}
	})
}

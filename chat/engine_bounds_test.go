package chat

import (
	"bytes"
	"io"
	"net"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// A modem that never ends a line must not grow what the matcher keeps:
// issue 9 item 7 (a 100 MB line without CRLF took 477 MB; with a regexp
// expect, 1 GB).
func TestMatcherLineIsBounded(t *testing.T) {
	m := newMatcher([]Alt{{Regexp: regexp.MustCompile(`^OK$`)}}, []string{"NO CARRIER"})
	for i := 0; i < 10*maxLine; i++ {
		if ev := m.feed('x'); ev.kind != matchNone {
			t.Fatalf("byte %d matched %+v", i, ev)
		}
		if len(m.line) > maxLine || len(m.win) > 2*m.keep {
			t.Fatalf("after %d bytes the matcher holds a %d-byte line and a %d-byte window", i+1, len(m.line), len(m.win))
		}
	}
	// The over-long line ends; the next line is matched again.
	for _, c := range []byte("\r\nOK\r\n") {
		if ev := m.feed(c); ev.kind == matchAlt {
			if ev.text != "OK" {
				t.Fatalf("matched %q, want OK", ev.text)
			}
			return
		}
	}
	t.Fatal("OK after an over-long line was not matched")
}

// The tail of an over-long line is not a line of its own: a regexp must
// not match the last bytes of a 10 kB line as if they were a reply.
func TestMatcherLongLineTailIsNotALine(t *testing.T) {
	m := newMatcher([]Alt{{Regexp: regexp.MustCompile(`OK$`)}}, nil)
	for _, c := range []byte(strings.Repeat("x", 2*maxLine) + "OK\r\n") {
		if ev := m.feed(c); ev.kind != matchNone {
			t.Fatalf("matched %+v inside an over-long line", ev)
		}
	}
}

// The whole engine over a line: a flood without line ends, then a real
// reply. Memory stays bounded (the echo and log buffers are chunked) and
// the reply still matches.
func TestRunFloodWithoutLineEnd(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		client, modem := net.Pipe()
		defer client.Close()
		go func() {
			defer modem.Close()
			chunk := bytes.Repeat([]byte("A"), 4096)
			for range 256 { // 1 MiB, no CR or LF
				if _, err := modem.Write(chunk); err != nil {
					return
				}
			}
			modem.Write([]byte("\r\nOK\r\n"))
			io.Copy(io.Discard, modem) // hold the line open until the client closes it
		}()
		var logged, longest int
		var echo countWriter
		r := NewRunner(client, WithScriptLog(func(line string) {
			logged++
			longest = max(longest, len(line))
		}), WithEchoOutput(&echo))
		s := &Script{Timeout: time.Minute, Steps: []Step{
			{Kind: StepEcho, On: true},
			{Kind: StepExpect, Expect: Expect{Alts: []Alt{{Regexp: regexp.MustCompile(`^OK$`)}}}},
		}}
		res, err := r.Run(t.Context(), s)
		if err != nil {
			t.Fatal(err)
		}
		if res.Matched != "OK" {
			t.Errorf("matched %q, want OK", res.Matched)
		}
		if longest > 4*logChunk {
			t.Errorf("a log line of %d bytes: the log must come in chunks", longest)
		}
		if echo.longest > maxEchoChunk+1 {
			t.Errorf("an echo write of %d bytes: echo must come in chunks", echo.longest)
		}
	})
}

type countWriter struct{ longest int }

func (w *countWriter) Write(b []byte) (int, error) {
	w.longest = max(w.longest, len(b))
	return len(b), nil
}

// Issue 9 item 9: the script log is written in chunks of a long line; a
// secret that straddles two chunks must still be masked whole.
func TestLogChunksMaskSecretAcrossBoundary(t *testing.T) {
	const pin = "24681357"
	for shift := 0; shift < len(pin)+2; shift++ {
		var lines []string
		st := &runState{r: &Runner{logf: func(l string) { lines = append(lines, l) }}, secrets: []string{pin}}
		// The PIN starts a few bytes before the 80-byte chunk boundary.
		text := strings.Repeat("x", logChunk-len(pin)+shift) + pin + strings.Repeat("y", 100)
		for _, c := range []byte(text + "\n") {
			st.received(c)
		}
		all := strings.Join(lines, "|")
		for k := 2; k <= len(pin); k++ {
			// No piece of the PIN of 2 bytes or more at a chunk edge.
			for _, l := range lines {
				if strings.HasSuffix(l, pin[:k]) || strings.HasPrefix(l, pin[len(pin)-k:]) {
					t.Fatalf("shift %d: a chunk edge shows part of the PIN: %q", shift, all)
				}
			}
		}
		if !strings.Contains(all, "****") {
			t.Fatalf("shift %d: no mask in %q", shift, all)
		}
	}
}

func TestSecretPrefixTail(t *testing.T) {
	for _, tc := range []struct {
		b    string
		sec  []string
		want int
	}{
		{"abc12", []string{"1234"}, 2},
		{"abc123", []string{"1234"}, 3},
		{"abc1234", []string{"1234"}, 0}, // whole: the mask sees it
		{"abc", []string{"1234"}, 0},
		{"xx11", []string{"1112"}, 2},
		{"1", []string{"1234", "19"}, 1},
		{"ab", nil, 0},
	} {
		if got := secretPrefixTail([]byte(tc.b), tc.sec); got != tc.want {
			t.Errorf("secretPrefixTail(%q, %q) = %d, want %d", tc.b, tc.sec, got, tc.want)
		}
	}
}

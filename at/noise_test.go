package at

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// newRouter is a Modem without goroutines, for driving consume directly:
// the reader's work (framing, classification, routing) and nothing else.
func newRouter(trace *bytes.Buffer, opts ...Option) *Modem {
	m := &Modem{urcReady: make(chan struct{}, 1)}
	m.cfg.drain = DefaultDrainWindow
	m.cfg.maxLines, m.cfg.maxBytes = DefaultMaxResponseLines, DefaultMaxResponseBytes
	for _, o := range opts {
		o(&m.cfg)
	}
	if trace != nil {
		m.tr = &tracer{w: trace}
	}
	return m
}

// start makes cmd the running command of a router, as run does.
func (m *Modem) start(cmd string, opts ...CallOption) *call {
	c := &call{wire: cmd, prompt: make(chan struct{}, 1), done: make(chan callResult, 1)}
	for _, o := range opts {
		o(c)
	}
	c.names = commandNames(c.wire)
	c.display = maskLine(c.wire, c.secret)
	c.secrets = secretsOf(c.wire, c.secret)
	m.mu.Lock()
	m.active = c
	m.cs = callState{active: true, echo: c.wire, names: c.names}
	m.mu.Unlock()
	return c
}

func TestSalvage(t *testing.T) {
	running := &callState{active: true, echo: `AT+CPIN="1234"`, names: []string{"+CPIN"}}
	csq := &callState{active: true, echo: "AT+CSQ", names: []string{"+CSQ"}}
	idle := &callState{}
	for _, tc := range []struct {
		name string
		in   string // one line, without its line end
		st   *callState
		want []string
	}{
		{"clean line kept as it is", "~}#", csq, []string{"~}#"}},
		{"clean free text kept", "MF622", csq, []string{"MF622"}},
		{"noise only", "\x00\xff\x13", csq, nil},
		{"noise and punctuation", "\xff\x00~", csq, nil},
		{"junk then OK", "\x00\xffOK", csq, []string{"OK"}},
		{"printable junk then OK", "\xff\x00~OK", csq, []string{"OK"}},
		{"junk then CME error", "~\x13+CME ERROR: 16", running, []string{"+CME ERROR: 16"}},
		{"OK then junk", "OK\x1b\x7f", csq, []string{"OK"}},
		{"final inside noise", "O\x00K", csq, []string{"OK"}},
		{"info then final, CR LF lost", "+CSQ: 17,99\x00OK", csq, []string{"+CSQ: 17,99", "OK"}},
		{"free text then final", "MF622\x00OK", csq, []string{"OK"}},
		{"free text with noise inside", "MF\x00\x1b622", csq, []string{"MF622"}},
		{"mostly noise", "\xffA\x13", csq, nil},
		{"as much noise as text", "\xff\xfeAB", csq, nil},
		{"noise inside own line", "+CSQ: 1\x00\x01,99", csq, []string{"+CSQ: 1,99"}},
		{"junk before own line", "\xff~+CSQ: 17,99", csq, []string{"+CSQ: 17,99"}},
		{"echo with stray XOFF after", "AT+CPIN=\"1234\"\x13", running, []string{`AT+CPIN="1234"`}},
		{"echo with stray byte inside", "AT+CPIN=\"12\x0034\"", running, []string{`AT+CPIN="1234"`}},
		{"echo with junk before", "\x00~AT+CPIN=\"1234\"", running, []string{`AT+CPIN="1234"`}},
		{"URC with noise", "\x00^RSSI:17", csq, []string{"^RSSI:17"}},
		{"URC with noise, idle", "^RSSI:1\xff7", idle, []string{"^RSSI:17"}},
		{"free text with noise, idle", "hello\x00", idle, []string{"hello"}},
		{"other command's prefix is free text", "\x00+COPS: 0", csq, []string{"+COPS: 0"}},
		{"punctuation only", "\x00~}", idle, nil},
		{"CONNECT with junk", "\x00\x00CONNECT 7200000", csq, []string{"CONNECT 7200000"}},
	} {
		var f framer
		fr, _, ok := f.next([]byte(tc.in + "\r\n"))
		if !ok {
			t.Fatalf("%s: no frame", tc.name)
		}
		out, n := salvage(fr, tc.st, nil)
		got := out[:n]
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: %q → %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// TestRouterNoise runs whole replies with noise before, inside and after
// them through the reader's routing, and checks each command ends on its
// own final result with exactly its own information.
func TestRouterNoise(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cmd    string
		stream string
		info   []string
		want   error
	}{
		{"noise before the echo", "AT+CSQ", "\x00\xff\x13AT+CSQ\r\r\n+CSQ: 17,99\r\n\r\nOK\r\n", []string{"+CSQ: 17,99"}, nil},
		{"noise between echo and result", "AT+CSQ", "AT+CSQ\r\x00\xff\x13\r\n+CSQ: 17,99\r\n\x11\x13\r\nOK\r\n", []string{"+CSQ: 17,99"}, nil},
		{"noise inside a line", "AT+CSQ", "AT+CSQ\r\r\n+CSQ: 1\x00\x01,99\r\n\r\nOK\r\n", []string{"+CSQ: 1,99"}, nil},
		{"noise glued to the final", "AT+CSQ", "AT+CSQ\r\r\n+CSQ: 17,99\r\n\xff\x00~OK\r\n", []string{"+CSQ: 17,99"}, nil},
		{"noise after the final", "AT+CSQ", "AT+CSQ\r\r\n+CSQ: 17,99\r\n\r\nOK\x00\xff\r\n\x00\x00", []string{"+CSQ: 17,99"}, nil},
		{"a partial line before a reset", "AT+CGMM", "AT+CGMM\r\r\nMF6\x00\x00\xff\xff\r\n\r\nMF622\r\n\r\nOK\r\n", []string{"MF622"}, nil},
		{"junk line before free text", "AT+CGMM", "AT+CGMM\r\xff\x00~\r\nMF622\r\n\r\nOK\r\n", []string{"MF622"}, nil},
		{"error result after noise", "AT+CSQ", "\x00AT+CSQ\r\x13\r\nERR\x00OR\r\n", nil, ErrError},
		{"the PIN echo with a stray XOFF", `AT+CPIN="1234"`, "AT+CPIN=\"1234\"\x13\r\r\n+CME ERROR: 16\r\n", nil, ErrIncorrectPassword},
	} {
		var tr bytes.Buffer
		m := newRouter(&tr)
		c := m.start(tc.cmd)
		m.consume(&framer{}, []byte(tc.stream))
		var r callResult
		select {
		case r = <-c.done:
		default:
			t.Errorf("%s: no final result\n%s", tc.name, tr.String())
			continue
		}
		if r.err != nil || !errors.Is(r.fin.err, tc.want) || tc.want == nil && r.fin.err != nil {
			t.Errorf("%s: result %+v, want %v", tc.name, r, tc.want)
		}
		if strings.Join(r.info, "|") != strings.Join(tc.info, "|") {
			t.Errorf("%s: info %q, want %q", tc.name, r.info, tc.info)
		}
		if !strings.Contains(tr.String(), "# noise: ") {
			t.Errorf("%s: noise not in the transcript:\n%s", tc.name, tr.String())
		}
		if strings.Contains(tr.String(), "1234") {
			t.Errorf("%s: PIN in the transcript:\n%s", tc.name, tr.String())
		}
	}
}

// FuzzNoisyExchange builds one command's reply from the fuzzer's bytes —
// noise runs, junk lines, junk glued to real lines, noise inside lines,
// repeated echoes, floods of information, URCs and over-long lines, all
// interleaved with the real echo, information and final result — and runs
// it through the reader's routing in reads of a fuzzed size. It checks
// that the real final result is always the one that ends the command (or,
// past the response limit, ErrResponseTooLarge, with the final result then
// drained), that the command's information is exactly its real lines,
// that what the engine retains stays within its bounds after every read,
// and that the PIN of a secret command appears nowhere.
// Seeds: testdata/fuzz/FuzzNoisyExchange.
//
//	go test -run='^$' -fuzz=FuzzNoisyExchange -fuzztime=10m -parallel=1 ./at
func FuzzNoisyExchange(f *testing.F) {
	f.Add([]byte{0x10, 0, 5, 2, 1, 3, 0, 4, 2}, uint8(0))
	f.Add([]byte{0x13, 2, 9, 1, 7, 2, 0, 0, 7}, uint8(1))
	f.Add([]byte{0x1b, 6, 60, 6, 60, 5, 4, 0, 8, 3}, uint8(5))
	f.Add([]byte{0x05, 4, 0, 8, 200, 7, 1, 2}, uint8(16))
	f.Fuzz(func(t *testing.T, script []byte, chunk uint8) {
		const pin = "9876"
		const maxLines, maxBytes = 32, 1024
		pos := 0
		next := func() byte {
			if pos >= len(script) {
				return 0
			}
			pos++
			return script[pos-1]
		}
		mode := next()
		secret, echo := mode&1 != 0, mode&0x10 != 0
		finals := []struct {
			line string
			want error
		}{
			{"OK", nil}, {"ERROR", ErrError}, {"+CME ERROR: 16", ErrIncorrectPassword},
			{"NO CARRIER", ErrNoCarrier}, {"CONNECT 7200", nil},
			{"+CME ERROR: SIM PIN required", ErrSIMPINRequired}, {"+CME ERROR: " + pin + " is wrong", ErrError},
		}
		final := finals[int(mode>>1&7)%len(finals)]
		cmd, own := "AT+CSQ", "+CSQ"
		if secret {
			cmd, own = `AT+CPIN="`+pin+`"`, "+CPIN"
		}
		digits := func() string { return string(rune('0'+next()%5)) + "," + string(rune('0'+next()%5)) }
		noise := func(n int) string {
			var b []byte
			for range n {
				c := next()
				if !isNoise(c) {
					c |= 0x80
				}
				b = append(b, c)
			}
			return string(b)
		}
		junk := func() string {
			const js = "~}{|@[]`'-=,.;:/ "
			return string(js[int(next())%len(js)]) + string(js[int(next())%len(js)])
		}
		// insert puts a noise run inside s, at a fuzzed place.
		insert := func(s string) string {
			i := int(next()) % (len(s) + 1)
			return s[:i] + noise(1+int(next()%4)) + s[i:]
		}

		var stream strings.Builder
		var wantInfo, wantURC []string
		line := func(s string) { stream.WriteString("\r\n" + s + "\r\n") }
		if echo {
			e := cmd
			if next()%2 == 0 {
				e = insert(e)
			}
			stream.WriteString(noise(int(next() % 3)))
			stream.WriteString(e + "\r")
		}
		for ops := 0; pos < len(script) && ops < 64; ops++ {
			switch op := next() % 10; op {
			case 0: // a noise run between lines
				stream.WriteString(noise(1 + int(next()%32)))
			case 1: // a line of junk and noise
				line(junk() + noise(1+int(next()%3)) + junk())
			case 2: // the command's own information, maybe with noise inside
				s := own + ": " + digits()
				if secret && next()%4 == 0 {
					s = own + ": " + pin // a modem repeating the PIN
				}
				wantInfo = append(wantInfo, redact(s, []string{pin}))
				if next()%2 == 0 {
					s = insert(s)
				}
				line(s)
			case 3: // free text, maybe with (less) noise inside
				s := "Line " + digits()
				wantInfo = append(wantInfo, s)
				if next()%2 == 0 {
					s = insert(s)
				}
				line(s)
			case 4: // URCs, sometimes a flood of them
				n := 1
				if next()%4 == 0 {
					n = 300
				}
				for range n {
					s := "^RSSI:" + digits()
					wantURC = append(wantURC, s)
					if next()%3 == 0 {
						s = insert(s)
					}
					line(s)
				}
			case 5: // the echo again
				if echo {
					line(cmd)
				}
			case 6: // a flood of information
				for range 1 + int(next()%64) {
					s := own + ": " + digits()
					wantInfo = append(wantInfo, s)
					line(s)
				}
			case 7: // junk glued to a real line, its CR LF lost
				s := own + ": " + digits()
				wantInfo = append(wantInfo, s)
				stream.WriteString("\r\n" + junk() + noise(1+int(next()%3)) + s + "\r\n")
			case 8: // a line longer than maxLine
				stream.WriteString("\r\n" + strings.Repeat("x", maxLine+1+int(next())) + "\r\n")
			case 9: // information and the final result glued by noise: see below
			}
		}
		// The final result: clean, with noise inside or around, or glued
		// to junk or to a last information line.
		switch next() % 4 {
		case 0:
			line(final.line)
		case 1:
			line(noise(1+int(next()%3)) + insert(final.line) + noise(int(next()%3)))
		case 2:
			line(junk() + noise(1) + final.line)
		case 3:
			s := own + ": " + digits()
			wantInfo = append(wantInfo, s)
			line(s + noise(1+int(next()%3)) + final.line)
		}
		stream.WriteString(noise(int(next() % 8)))
		data := []byte(stream.String())

		overflow := len(wantInfo) > maxLines
		size := 0
		for _, s := range wantInfo {
			size += len(s)
		}
		overflow = overflow || size > maxBytes

		var tr bytes.Buffer
		m := newRouter(&tr, withResponseLimit(maxLines, maxBytes))
		opts := []CallOption{}
		c := m.start(cmd, opts...)
		var fr framer
		step := len(data)
		if chunk > 0 {
			step = int(chunk%17) + 1
		}
		connected := false
		for p := data; len(p) > 0 && !connected; {
			n := min(step, len(p))
			connected = m.consume(&fr, p[:n])
			p = p[n:]
			// Bounded retained state, after every read.
			if len(fr.pending) > maxLine || cap(fr.pending) > 2*maxLine || len(fr.sample) > noiseSample {
				t.Fatalf("framer holds %d bytes (cap %d), sample %d", len(fr.pending), cap(fr.pending), len(fr.sample))
			}
			if len(c.info) > maxLines || c.infoBytes > maxBytes {
				t.Fatalf("command holds %d lines, %d bytes", len(c.info), c.infoBytes)
			}
			if len(m.urcq) > maxURCQueue {
				t.Fatalf("URC queue holds %d", len(m.urcq))
			}
		}
		var r callResult
		select {
		case r = <-c.done:
		default:
			t.Fatalf("no result for %q\n%s", data, tr.String())
		}
		_, err := m.result(c, r)
		switch {
		case overflow:
			if !errors.Is(err, ErrResponseTooLarge) {
				t.Fatalf("%d lines, %d bytes: got %v, want ErrResponseTooLarge", len(wantInfo), size, err)
			}
			if m.owed != 0 && !connected {
				t.Errorf("the final result after the overflow was not drained: owed %d", m.owed)
			}
		case final.want == nil && err != nil, final.want != nil && !errors.Is(err, final.want):
			t.Fatalf("got %v, want %s\nstream %q\n%s", err, final.line, data, tr.String())
		case strings.Join(r.info, "|") != strings.Join(wantInfo, "|"):
			t.Fatalf("info %q\nwant %q\nstream %q", r.info, wantInfo, data)
		}
		if connected != strings.HasPrefix(final.line, "CONNECT") {
			t.Errorf("connected %v after %s", connected, final.line)
		}
		// After an overflow the rest of the answer is no command's: lines
		// with a URC prefix (+CPIN:) then go to subscribers, rightly.
		if keep := min(len(wantURC), maxURCQueue); !overflow && (strings.Join(m.urcq, "|") != strings.Join(wantURC[len(wantURC)-keep:], "|") ||
			m.urcDropped != uint64(len(wantURC)-keep)) {
			t.Errorf("URCs: %d kept, %d dropped; want the last %d of %d: %s\n%s", len(m.urcq), m.urcDropped, keep, len(wantURC),
				firstDiff(m.urcq, wantURC[len(wantURC)-keep:]), tr.String()[:min(3000, tr.Len())])
		}
		if secret {
			for what, s := range map[string]string{"transcript": tr.String(), "info": strings.Join(r.info, "|")} {
				if strings.Contains(s, pin) {
					t.Fatalf("PIN in the %s: %q", what, s)
				}
			}
			if err != nil && strings.Contains(err.Error(), pin) {
				t.Fatalf("PIN in the error: %v", err)
			}
		}
	})
}

// firstDiff describes where two string slices first differ.
func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("[%d] %q vs %q", i, a[i], b[i])
		}
	}
	return fmt.Sprintf("lengths %d vs %d", len(a), len(b))
}

// TestDroppedTextOfSecretCommandNotShown: junk dropped while a secret
// command runs is shown by size only, since it may hold part of the secret
// (which redaction of the whole value would not catch).
func TestDroppedTextOfSecretCommandNotShown(t *testing.T) {
	var tr bytes.Buffer
	m := newRouter(&tr)
	c := m.start(`AT+CPIN="9876"`)
	m.consume(&framer{}, []byte("\xff\xff\xff\xff\xff876\"\r\n\r\nOK\r\n"))
	if r := <-c.done; r.err != nil || r.fin.err != nil {
		t.Fatalf("result %+v", r)
	}
	for _, l := range strings.Split(strings.TrimSpace(tr.String()), "\n") {
		if msg := l[len("2006-01-02 15:04:05.000 "):]; strings.Contains(msg, "876") {
			t.Errorf("part of the PIN shown: %q", l)
		}
	}
	if !strings.Contains(tr.String(), "# noise: 5 bytes \"\\xff\\xff\\xff\\xff\\xff\" with 4 bytes of text, dropped") {
		t.Errorf("transcript:\n%s", tr.String())
	}
}

// TestTracerQuietsARun: of a run of dropped-line notes of one kind, the
// first quietAfter are shown and the rest counted when the run ends.
func TestTracerQuietsARun(t *testing.T) {
	var b bytes.Buffer
	tr := &tracer{w: &b}
	for i := range 20 {
		tr.dropped("echo", fmt.Sprintf("repeated echo dropped: ATD*99# (%d)", i))
	}
	tr.line('<', "CONNECT")
	got := b.String()
	if n := strings.Count(got, "# repeated echo dropped"); n != quietAfter {
		t.Errorf("%d notes shown, want %d:\n%s", n, quietAfter, got)
	}
	if !strings.Contains(got, "# 12 more like that not shown (echo); the last: repeated echo dropped: ATD*99# (19)\n") ||
		!strings.HasSuffix(got, "< CONNECT\n") {
		t.Errorf("transcript:\n%s", got)
	}
}

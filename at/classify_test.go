package at

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseFinalMapsEveryResult(t *testing.T) {
	for _, tc := range []struct {
		line    string
		want    error // nil for OK/CONNECT
		connect bool
		rate    string
	}{
		{"OK", nil, false, ""},
		{"ERROR", ErrError, false, ""},
		{"NO CARRIER", ErrNoCarrier, false, ""},
		{"BUSY", ErrBusy, false, ""},
		{"NO ANSWER", ErrNoAnswer, false, ""},
		{"NO DIALTONE", ErrNoDialtone, false, ""},
		{"NO DIAL TONE", ErrNoDialtone, false, ""},
		{"CONNECT", nil, true, ""},
		{"CONNECT 7200000", nil, true, "7200000"},
		{"CONNECT 115200 ", nil, true, "115200"},
		{"+CME ERROR: 10", ErrSIMNotInserted, false, ""},
		{"+CME ERROR: SIM PIN required", ErrSIMPINRequired, false, ""},
		{"+CME ERROR: SIM PUK required", ErrSIMPUKRequired, false, ""},
		{"+CME ERROR: 16", ErrIncorrectPassword, false, ""},
		{"+CME ERROR: incorrect password", ErrIncorrectPassword, false, ""},
		{"+CME ERROR: 14", ErrSIMBusy, false, ""},
		{"+CME ERROR: SIM failure", ErrSIMFailure, false, ""},
		{"+CME ERROR: Network not allowed - Emergency calls only", ErrEmergencyOnly, false, ""},
		{"+CME ERROR: 30", ErrNoNetworkService, false, ""},
		{"+CMS ERROR: 500", ErrError, false, ""},
	} {
		fin, ok := parseFinal(tc.line)
		if !ok {
			t.Errorf("%q: not a final result", tc.line)
			continue
		}
		if tc.want == nil && fin.err != nil || tc.want != nil && !errors.Is(fin.err, tc.want) {
			t.Errorf("%q: err %v, want %v", tc.line, fin.err, tc.want)
		}
		if fin.connect != tc.connect || fin.rate != tc.rate {
			t.Errorf("%q: connect %v rate %q, want %v %q", tc.line, fin.connect, fin.rate, tc.connect, tc.rate)
		}
	}
	for _, line := range []string{"OKAY", "CONNECTED", "+CSQ: 1,2", "ERROR: x", "RING", "> "} {
		if _, ok := parseFinal(line); ok {
			t.Errorf("%q taken for a final result", line)
		}
	}
}

func TestCMEError(t *testing.T) {
	fin, _ := parseFinal("+CME ERROR: SIM PIN required")
	var cme *CMEError
	if !errors.As(fin.err, &cme) || cme.Code != 11 {
		t.Fatalf("verbose text did not map back to code 11: %#v", fin.err)
	}
	if !errors.Is(fin.err, ErrError) || errors.Is(fin.err, ErrSIMPUKRequired) {
		t.Error("CMEError.Is matches the wrong sentinels")
	}
	fin, _ = parseFinal("+CME ERROR: 12")
	if got := fin.err.Error(); got != "at: +CME ERROR: 12 (SIM PUK required)" {
		t.Errorf("Error() = %q", got)
	}
	fin, _ = parseFinal("+CME ERROR: flux capacitor empty")
	if !errors.As(fin.err, &cme) || cme.Code != -1 || cme.Text != "flux capacitor empty" {
		t.Errorf("unknown text: %#v", fin.err)
	}
	err := &CommandError{Cmd: "AT+CPIN=****", Err: ErrIncorrectPassword}
	if err.Error() != "at: AT+CPIN=****: incorrect password" || !errors.Is(err, ErrIncorrectPassword) {
		t.Errorf("CommandError: %q", err)
	}
}

func TestClassify(t *testing.T) {
	running := func(cmd string) *callState {
		return &callState{active: true, echo: cmd, names: commandNames(cmd)}
	}
	for _, tc := range []struct {
		line string
		st   *callState
		want lineKind
	}{
		{"AT+CSQ", running("AT+CSQ"), kindEcho},
		{"+CSQ: 17,99", running("AT+CSQ"), kindInfo},
		{"OK", running("AT+CSQ"), kindFinal},
		{"^RSSI:17", running("AT+CSQ"), kindURC},
		{"+CREG: 1", running("AT+CSQ"), kindURC},
		{"+CREG: 0,1", running("AT+CREG?"), kindInfo},
		{"+CGREG: 0,1", running("AT+CREG?;+CGREG?"), kindInfo},
		{"+CEREG: 1", running("AT+CREG?"), kindURC},
		{"+ZUSIMR:2", running("AT+CPIN?"), kindURC},
		{"+CPIN: READY", running("AT+CPIN?"), kindInfo},
		{"+CPIN: READY", running("AT+CSQ"), kindURC},
		{"RING", running("ATI"), kindURC},
		{"Manufacturer: huawei", running("ATI"), kindInfo},
		{"+PACSP1", running("AT+COPS?"), kindURC},
		{"^BOOT:20952604,0,0,0,75", &callState{}, kindURC},
		{"Manufacturer: huawei", &callState{}, kindURC},
		{"NO CARRIER", &callState{}, kindURC},
		{"OK", &callState{}, kindFinal},
		{"+CSQ: 17,99", &callState{stale: true}, kindStale},
		{"^RSSI:17", &callState{stale: true}, kindURC},
		{"OK", &callState{stale: true}, kindFinal},
	} {
		if got := classify(tc.line, tc.st, nil); got != tc.want {
			t.Errorf("%q while %+v: %v, want %v", tc.line, *tc.st, got, tc.want)
		}
	}
	if got := classify("$MYURC: 1", running("AT+CSQ"), []string{"$MYURC:"}); got != kindURC {
		t.Errorf("WithURCPrefixes prefix: %v", got)
	}
	for cmd, want := range map[string][]string{
		"AT+CREG?": {"+CREG"}, "AT^SYSINFO": {"^SYSINFO"}, "ATI": nil, "ATD*99#": nil,
		"AT+CGDCONT=1,\"IP\",\"x\"": {"+CGDCONT"}, "AT+CREG?;+CGREG?": {"+CREG", "+CGREG"},
		"at!cpinc?": {"!CPINC"},
	} {
		if got := commandNames(cmd); !slices.Equal(got, want) {
			t.Errorf("commandNames(%q) = %q, want %q", cmd, got, want)
		}
	}
}

// frameAll feeds chunks to a framer and returns the text of each line.
func frameAll(chunks ...[]byte) []string {
	var lines []string
	for _, fr := range framesAll(chunks...) {
		lines = append(lines, fr.text)
	}
	return lines
}

// framesAll feeds chunks to a framer and returns the frames.
func framesAll(chunks ...[]byte) []frame {
	var f framer
	var frames []frame
	for _, p := range chunks {
		for len(p) > 0 {
			fr, n, ok := f.next(p)
			p = p[n:]
			if !ok {
				break
			}
			frames = append(frames, fr)
		}
	}
	return frames
}

func TestFramerChunking(t *testing.T) {
	stream := []byte("AT+CSQ\r\r\n+CSQ: 17,99\r\n\r\n^RSSI:17\r\n\r\nOK\r\n\nRING\n")
	want := []string{"AT+CSQ", "+CSQ: 17,99", "^RSSI:17", "OK", "RING"}
	if got := frameAll(stream); !slices.Equal(got, want) {
		t.Errorf("one read: %q", got)
	}
	var bytewise [][]byte
	for i := range stream {
		bytewise = append(bytewise, stream[i:i+1])
	}
	if got := frameAll(bytewise...); !slices.Equal(got, want) {
		t.Errorf("byte by byte: %q", got)
	}
}

// TestFramerNoise pins what the framer makes of noise: noise bytes are
// taken out of the line and counted, never counted towards maxLine; a line
// longer than maxLine is dropped whole and framing resumes at the next line
// end.
func TestFramerNoise(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []frame
	}{
		{"clean", "\r\nOK\r\n", []frame{{text: "OK"}}},
		{"noise only", "\x00\xff\x13\r\nOK\r\n", []frame{{noise: 3, sample: "\x00\xff\x13"}, {text: "OK"}}},
		{"noise before, same line", "\x00\xffOK\r\n", []frame{{text: "OK", noise: 2, sample: "\x00\xff", tail: 0}}},
		{"noise inside", "+CSQ: 1\x00\x01,99\r\n", []frame{{text: "+CSQ: 1,99", noise: 2, sample: "\x00\x01", tail: 7}}},
		{"noise after", "OK\x1b\x7f\r\n", []frame{{text: "OK", noise: 2, sample: "\x1b\x7f", tail: 2}}},
		{"tab is text", "a\tb\r\n", []frame{{text: "a\tb"}}},
		{"sample is bounded", strings.Repeat("\x00", 100) + "OK\r\n",
			[]frame{{text: "OK", noise: 100, sample: strings.Repeat("\x00", noiseSample)}}},
		{"noise does not make a line long", strings.Repeat("\xff", 3*maxLine) + "OK\r\n",
			[]frame{{text: "OK", noise: 3 * maxLine, sample: strings.Repeat("\xff", noiseSample)}}},
		{"over-long line", strings.Repeat("x", maxLine+10) + "\r\nOK\r\n", []frame{{long: maxLine + 10}, {text: "OK"}}},
		{"longest line kept", strings.Repeat("x", maxLine) + "\r\n", []frame{{text: strings.Repeat("x", maxLine)}}},
		{"over-long with noise", "\x00" + strings.Repeat("x", maxLine+1) + "\x00\r\nOK\r\n", []frame{{long: maxLine + 3}, {text: "OK"}}},
	} {
		got := framesAll([]byte(tc.in))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %+v\nwant %+v", tc.name, got, tc.want)
		}
		var bytewise [][]byte
		for i := range len(tc.in) {
			bytewise = append(bytewise, []byte(tc.in[i:i+1]))
		}
		if got := framesAll(bytewise...); !slices.Equal(got, tc.want) {
			t.Errorf("%s byte by byte: got %+v", tc.name, got)
		}
	}
}

func TestMaskLine(t *testing.T) {
	for _, tc := range []struct {
		in   string
		all  bool
		want string
	}{
		{"AT+CPIN=1234", false, "AT+CPIN=****"},
		{`AT+CPIN="12345678","1234"`, false, "AT+CPIN=****"},
		{"at+cpin=1234", false, "at+cpin=****"},
		{`AT+CLCK="SC",0,"1234"`, false, "AT+CLCK=****"},
		{`AT+CPWD="SC","1234","4321"`, false, "AT+CPWD=****"},
		{`AT^CPIN="1234"`, false, "AT^CPIN=****"},
		{`AT+CPIN=1234;+CSQ`, false, "AT+CPIN=****;+CSQ"},
		{"AT+CPIN?", false, "AT+CPIN?"},
		{"+CPIN: SIM PIN", false, "+CPIN: SIM PIN"},
		{`AT$QCPDPP=1,1,"secret","user"`, true, "AT$QCPDPP=****"},
		{`AT+FOO=1;+BAR=2`, true, "AT+FOO=****;+BAR=****"},
		{"ATD*99#", true, "AT****"},
	} {
		if got := maskLine(tc.in, tc.all); got != tc.want {
			t.Errorf("maskLine(%q, %v) = %q, want %q", tc.in, tc.all, got, tc.want)
		}
	}
}

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestExchanges(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want int
	}{
		{"none", nil, 0},
		{"job", []string{"ATZ", "ATQ0 V1 E1", `AT+CGDCONT=1,"IP","x"`, "ATD*99#"}, 4},
		{"batched line counts once", []string{"AT", "ATE0;+CMEE=1;+CPIN?", "atd*99#", "ATH"}, 3},
		{"not a command", []string{"", "~~noise", "ATZ", "ATD*99#"}, 2},
		{"no dial", []string{"AT", "AT+CPIN?"}, 2},
	}
	for _, tt := range tests {
		if got := exchanges(tt.in); got != tt.want {
			t.Errorf("%s: exchanges(%q) = %d, want %d", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestConnectWritten(t *testing.T) {
	tests := []struct {
		out  string
		want bool
	}{
		{"ATD*99#\r\r\nCONNECT 7200000\r\n", true},
		{"\r\nCONNECT", true},
		{"AT+CONNECT?\r", false}, // an echo is not a result
		{"\r\nNO CARRIER\r\n", false},
	}
	for _, tt := range tests {
		if got := connectWritten(tt.out); got != tt.want {
			t.Errorf("connectWritten(%q) = %v, want %v", tt.out, got, tt.want)
		}
	}
}

func TestSimLogfFindsSplitConnect(t *testing.T) {
	s := &simPort{}
	for _, b := range []string{"ATD*99#\r", "\r\n", "CONN", "ECT 7200000\r\n"} {
		s.logf("tx %q", b)
	}
	s.logf("rx %q", "\r\nCONNECT") // received bytes are not the modem's output
	if s.connected().IsZero() {
		t.Fatal("CONNECT written in pieces was not noticed")
	}
	q := &simPort{}
	q.logf("rx %q", "\r\nCONNECT")
	q.logf("tx %q", "AT+CONNECT\r")
	if !q.connected().IsZero() {
		t.Fatal("CONNECT noticed in received data or an echo")
	}
}

func TestPinProblems(t *testing.T) {
	tests := []struct {
		name     string
		rule     string
		received []string
		want     string // substring of the one problem; "" for none
	}{
		{"once: one attempt, then silence", "once", []string{"AT", "AT+CPIN?", `AT+CPIN="0000"`}, ""},
		{"once: two attempts", "once", []string{`AT+CPIN="0000"`, `AT+CPIN="0000"`}, "2 times"},
		{"once: a command after the rejection", "once", []string{`AT+CPIN="0000"`, "AT+CPIN?"}, "after the PIN was rejected"},
		{"never: none", "never", []string{"AT", "AT+CPIN?"}, ""},
		{"never: one", "never", []string{"AT", `at+cpin="1234"`}, "1 times"},
		{"no rule", "", []string{`AT+CPIN="1"`, `AT+CPIN="1"`}, ""},
	}
	for _, tt := range tests {
		got := strings.Join(pinProblems(tt.rule, tt.received), "; ")
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: pinProblems = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestJudge(t *testing.T) {
	f := fault{want: []int{4}, pinRule: "never", again: true}
	tests := []struct {
		name        string
		r           faultRun
		rec, first  []string
		wantPrefix  string
		wantContain string
	}{
		{"right", faultRun{exit: 4}, []string{"AT+CPIN?"}, []string{`AT+CPIN="0"`}, "✓", ""},
		{"wrong exit", faultRun{exit: 1}, nil, nil, "✗", "exit 1, README says 4"},
		{"hung", faultRun{exit: 137, killed: true}, nil, nil, "✗", "hung"},
		{"PIN resent", faultRun{exit: 4}, []string{`AT+CPIN="0"`}, nil, "✗", "sent AT+CPIN= 1 times"},
		{"first run retried", faultRun{exit: 4}, nil, []string{`AT+CPIN="0"`, `AT+CPIN="0"`}, "✗", "first run sent AT+CPIN= 2 times"},
	}
	for _, tt := range tests {
		got := judge(f, tt.r, tt.rec, tt.first)
		if !strings.HasPrefix(got, tt.wantPrefix) || !strings.Contains(got, tt.wantContain) {
			t.Errorf("%s: judge = %q, want %s… %q", tt.name, got, tt.wantPrefix, tt.wantContain)
		}
	}
}

func TestFaultsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range faults() {
		if seen[f.name] {
			t.Errorf("fault %q twice", f.name)
		}
		seen[f.name] = true
		if len(f.want) == 0 {
			t.Errorf("fault %q: no documented exit code", f.name)
		}
		p, err := persona(f.persona, 0)
		if err != nil {
			t.Errorf("fault %q: %v", f.name, err)
			continue
		}
		if f.change != nil {
			f.change(&p) // must not panic
		}
	}
}

func TestZdialFound(t *testing.T) {
	out := `[{"port":"/dev/pts/3","at":false,"data_port":false,"error":"no AT answer"},
	{"port":"/dev/pts/2","at":true,"data_port":false},{"port":"/dev/pts/4","at":true,"data_port":true}]`
	got := zdialFound(out, []string{"/dev/pts/3", "/dev/pts/2", "/dev/pts/4"})
	want := "silent → no answer; AT, not PPP → AT only; modem → modem (data port)"
	if got != want {
		t.Errorf("zdialFound = %q, want %q", got, want)
	}
	if got := zdialFound("zdial: oops", nil); !strings.HasPrefix(got, "unreadable JSON") {
		t.Errorf("zdialFound(garbage) = %q", got)
	}
}

func TestWvdialconfFound(t *testing.T) {
	out := "Found a modem on /dev/ttyUSB1.\nttyUSB1<Info>: Speed 460800; init \"ATQ0\"\nttyUSB2<Info>: Speed 460800\n"
	if got, want := wvdialconfFound(out), "modems: AT, not PPP, modem; configured: AT, not PPP"; got != want {
		t.Errorf("wvdialconfFound = %q, want %q", got, want)
	}
	if got := wvdialconfFound("Sorry, no modem was detected!\n"); !strings.HasPrefix(got, "no modem found") {
		t.Errorf("wvdialconfFound(none) = %q", got)
	}
}

func TestStatCPUAndSwitches(t *testing.T) {
	stat := "4711 (zd ial) S 1 4711 4711 0 -1 4194560 300 0 0 0 12 34 0 0 20 0 7 0 100 1000 500"
	if got, err := statCPU(stat); err != nil || got != 46 {
		t.Errorf("statCPU = %d, %v; want 46", got, err)
	}
	if _, err := statCPU("4711 (x) S 1"); err == nil {
		t.Error("statCPU accepted a short line")
	}
	v, n := ctxSwitches("Name:\tzdial\nvoluntary_ctxt_switches:\t120\nnonvoluntary_ctxt_switches:\t3\n")
	if v != 120 || n != 3 {
		t.Errorf("ctxSwitches = %d, %d; want 120, 3", v, n)
	}
}

func TestReadUsageSelf(t *testing.T) {
	u, err := readUsage("/proc", os.Getpid())
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	if u.voluntary+u.invol == 0 {
		t.Errorf("no context switches read for a running test: %+v", u)
	}
}

func TestClearLock(t *testing.T) {
	dir := t.TempDir()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("no true(1)")
	}
	tests := []struct {
		name    string
		pid     int
		own     bool
		removed bool
	}{
		{"dead PID", dead.Process.Pid, false, true},
		{"live PID, not ours", os.Getppid(), false, false},
		{"our own, claimed", os.Getpid(), true, true},
		{"our own, not claimed", os.Getpid(), false, false},
	}
	for i, tt := range tests {
		p := filepath.Join(dir, "LCK.."+string(rune('a'+i)))
		if err := os.WriteFile(p, []byte(fmt.Sprintf("%10d\n", tt.pid)), 0o644); err != nil {
			t.Fatal(err)
		}
		clearLock(p, tt.own)
		_, err := os.Stat(p)
		if gone := os.IsNotExist(err); gone != tt.removed {
			t.Errorf("%s: removed %v, want %v", tt.name, gone, tt.removed)
		}
	}
}

func TestParseMaxRSS(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"6708\n", 6708},
		{"Command terminated by signal 6\n1612\n", 1612},
		{"Command exited with non-zero status 3\n7100\n", 7100},
		{"", 0},
		{"garbage\n", 0},
	}
	for _, tt := range tests {
		if got := parseMaxRSS(tt.in); got != tt.want {
			t.Errorf("parseMaxRSS(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

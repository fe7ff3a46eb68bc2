package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zdial/zdial/internal/modemsim"
)

// zdial runs the CLI in-process with a watchdog and returns its exit code,
// stdout and stderr.
func zdial(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	code := run(ctx, args, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	if ctx.Err() != nil {
		t.Fatalf("zdial %q hit the test watchdog", args)
	}
	return code, out.String(), errb.String()
}

// simPort serves a persona on a pty for the test's lifetime.
// testPersona loads a built-in persona and lets the test change a copy.
func testPersona(t *testing.T, name string, change func(*modemsim.Persona)) modemsim.Persona {
	t.Helper()
	p, err := modemsim.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(&p)
	}
	return p
}

func simPort(t *testing.T, persona string, edit func(*modemsim.Persona)) (*modemsim.PTY, string) {
	t.Helper()
	p := testPersona(t, persona, edit)
	ctx, cancel := context.WithCancel(context.Background())
	pty, err := modemsim.OpenPTY(ctx, p, modemsim.WithGuardTime(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); pty.Close() })
	return pty, pty.Path
}

// baseArgs isolates a run from the host: its own lock, state and config.
func baseArgs(t *testing.T, dir string) []string {
	cfg := filepath.Join(dir, "zdial.yaml")
	if _, err := os.Stat(cfg); err != nil {
		os.WriteFile(cfg, nil, 0o600)
	}
	return []string{"--lock-dir", dir, "--state-dir", dir, "--config", cfg, "--guard-time", "20ms"}
}

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		persona string
		edit    func(*modemsim.Persona)
		config  string
		profile string
		want    int
		stderr  string
	}{
		{name: "connected (dry run)", persona: "zte-mf622", profile: "three", want: exitOK},
		{name: "unknown profile", persona: "zte-mf622", profile: "thre", want: exitUsage, stderr: "three"},
		{name: "config error", persona: "zte-mf622", profile: "three", config: "profiles:\n  w:\n    apm: x\n", want: exitUsage, stderr: ":3:5: profiles.w.apm: unknown field"},
		{name: "PIN needed, none configured", persona: "pin-required", profile: "three", want: exitSIM, stderr: "PIN"},
		{name: "PIN accepted", persona: "pin-required", profile: "home", config: "profiles:\n  home: {inherits: three, pin: \"1234\"}\n", want: exitOK},
		{name: "PIN rejected", persona: "pin-required", profile: "home", config: "profiles:\n  home: {inherits: three, pin: \"9999\"}\n", want: exitSIM, stderr: "rejected"},
		{name: "one attempt left", persona: "pin-one-left", profile: "home", config: "profiles:\n  home: {inherits: three, pin: \"1234\"}\n", want: exitSIM, stderr: "1 PIN attempt"},
		{name: "PUK", persona: "puk-locked", profile: "three", want: exitSIM, stderr: "PUK"},
		{name: "no SIM", persona: "no-sim", profile: "three", want: exitSIM, stderr: "no SIM"},
		{name: "denied", persona: "denied", profile: "three", want: exitRegister, stderr: "denied"},
		{name: "not registered in time", persona: "slow-register", profile: "quick",
			config: "profiles:\n  quick: {inherits: three, timeouts: {register: 300ms}}\n", want: exitRegister, stderr: "deadline"},
		{name: "no carrier", persona: "zte-mf622", edit: func(p *modemsim.Persona) { p.Dial.Result = modemsim.Result("NO CARRIER") }, profile: "three", want: exitDial, stderr: "NO CARRIER"},
		{name: "silent port", persona: "diag-silent", profile: "quick",
			config: "profiles:\n  quick: {inherits: three, timeouts: {wake: 300ms}}\n", want: exitPort, stderr: "does not answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.config != "" {
				os.WriteFile(filepath.Join(dir, "zdial.yaml"), []byte(tc.config), 0o600)
			}
			_, port := simPort(t, tc.persona, tc.edit)
			args := append(baseArgs(t, dir), "--port", port, "--dry-run", tc.profile)
			code, stdout, stderr := zdial(t, args...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.want, stdout, stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, tc.stderr)
			}
			if leaksPIN(stdout+stderr, "1234") || leaksPIN(stdout+stderr, "9999") {
				t.Errorf("a PIN leaked:\n%s\n%s", stdout, stderr)
			}
		})
	}
}

func TestPINRejectedIsNeverSentAgain(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "zdial.yaml"), []byte("profiles:\n  home: {inherits: three, pin: \"9999\"}\n"), 0o600)
	for run := 1; run <= 2; run++ {
		pty, port := simPort(t, "pin-required", nil)
		code, _, stderr := zdial(t, append(baseArgs(t, dir), "--port", port, "--dry-run", "home")...)
		if code != exitSIM {
			t.Fatalf("run %d: exit %d, want %d: %s", run, code, exitSIM, stderr)
		}
		sent := 0
		for _, c := range pty.Sim.Received() {
			if strings.HasPrefix(strings.ToUpper(c), "AT+CPIN=") {
				sent++
			}
		}
		if want := map[int]int{1: 1, 2: 0}[run]; sent != want {
			t.Errorf("run %d sent AT+CPIN= %d times, want %d", run, sent, want)
		}
	}
}

func TestMissingPortListsPorts(t *testing.T) {
	dir := t.TempDir()
	dev := t.TempDir()
	os.WriteFile(filepath.Join(dev, "ttyUSB3"), nil, 0o600)
	code, _, stderr := zdial(t, append(baseArgs(t, dir), "--dev", dev, "--port", filepath.Join(dev, "ttyUSB0"), "--dry-run", "three")...)
	if code != exitPort || !strings.Contains(stderr, "ttyUSB3") {
		t.Errorf("exit %d, stderr %q: want %d naming ttyUSB3", code, stderr, exitPort)
	}
}

func TestBusyPort(t *testing.T) {
	dir := t.TempDir()
	_, port := simPort(t, "zte-mf622", nil)
	// This test process holds the lock: as live a holder as there is.
	lock := filepath.Join(dir, "LCK.."+filepath.Base(port))
	os.WriteFile(lock, []byte(fmt.Sprintf("%10d\n", os.Getppid())), 0o644)
	code, _, stderr := zdial(t, append(baseArgs(t, dir), "--port", port, "--dry-run", "three")...)
	if code != exitBusy || !strings.Contains(stderr, fmt.Sprint(os.Getppid())) {
		t.Errorf("exit %d, stderr %q: want %d naming PID %d", code, stderr, exitBusy, os.Getppid())
	}
}

func TestJSON(t *testing.T) {
	dir := t.TempDir()
	_, port := simPort(t, "zte-mf622", nil)
	code, stdout, stderr := zdial(t, append(baseArgs(t, dir), "--port", port, "--dry-run", "--json", "three")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		OK       bool     `json:"ok"`
		Operator string   `json:"operator"`
		Rate     string   `json:"connect_rate"`
		APN      string   `json:"apn"`
		Args     []string `json:"pppd_args"`
		Exit     int      `json:"exit_code"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, stdout)
	}
	if !got.OK || got.Operator != "3 UK" || got.Rate != "7200000" || got.APN != "three.co.uk" || len(got.Args) == 0 {
		t.Errorf("JSON = %+v", got)
	}
}

func TestVerboseTranscriptMasksPIN(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "zdial.yaml"), []byte("profiles:\n  home: {inherits: three, pin: \"1234\"}\n"), 0o600)
	_, port := simPort(t, "pin-required", nil)
	code, stdout, stderr := zdial(t, append(baseArgs(t, dir), "--port", port, "--dry-run", "-v", "home")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "AT+CPIN=****") && !strings.Contains(stderr, `AT+CPIN="****"`) {
		t.Errorf("transcript lacks the masked PIN command:\n%s", stderr)
	}
	if leaksPIN(stdout+stderr, "1234") {
		t.Errorf("PIN leaked:\n%s", stderr)
	}
}

func TestUsage(t *testing.T) {
	if code, _, _ := zdial(t); code != exitUsage {
		t.Errorf("no arguments: exit %d, want %d", code, exitUsage)
	}
	if code, out, _ := zdial(t, "--help"); code != exitOK || !strings.Contains(out, "demo") {
		t.Errorf("--help: exit %d, out %q", code, out)
	}
	if code, _, _ := zdial(t, "--no-such-flag", "three"); code != exitUsage {
		t.Errorf("bad flag: exit %d, want %d", code, exitUsage)
	}
}

func TestDemo(t *testing.T) {
	code, out, stderr := zdial(t, "demo")
	if code != exitOK {
		t.Fatalf("demo exit %d: %s", code, stderr)
	}
	for _, want := range []string{"ZTE CORPORATION MF622", "SIM ready", `registered on "3 UK"`, "CONNECT 7200000", "pppd"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
}

// leaksPIN reports whether out shows pin as a value: quoted, or after '='.
// (A bare substring test would trip on the simulated ICCID, which contains
// the digits 1234.)
func leaksPIN(out, pin string) bool {
	return strings.Contains(out, `"`+pin+`"`) || strings.Contains(out, "="+pin) || strings.Contains(out, " "+pin+"\n")
}

// Issue 9 item 3: a modem that echoes the PIN command with a stray control
// byte and then rejects the PIN. The modem's final result decides: exit 4
// both times, the PIN sent once and never again, and shown nowhere.
func TestPINRejectedThroughNoisyEcho(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "zdial.yaml"), []byte("profiles:\n  home: {inherits: three, pin: \"9999\"}\n"), 0o600)
	for run := 1; run <= 2; run++ {
		pty, port := simPort(t, "pin-required", func(p *modemsim.Persona) { p.Faults.EchoNoise = "\x13" })
		code, stdout, stderr := zdial(t, append(baseArgs(t, dir), "--port", port, "--dry-run", "--json", "-v", "home")...)
		if code != exitSIM {
			t.Fatalf("run %d: exit %d, want %d: %s", run, code, exitSIM, stderr)
		}
		sent := 0
		for _, c := range pty.Sim.Received() {
			if strings.HasPrefix(strings.ToUpper(c), "AT+CPIN=") {
				sent++
			}
		}
		if want := map[int]int{1: 1, 2: 0}[run]; sent != want {
			t.Errorf("run %d sent AT+CPIN= %d times, want %d", run, sent, want)
		}
		if leaksPIN(stdout+stderr, "9999") {
			t.Errorf("run %d: the PIN leaked:\n%s\n%s", run, stdout, stderr)
		}
		if run == 1 && !strings.Contains(stderr, "noise") {
			t.Errorf("the -v transcript shows no noise: the fault did not reach zdial:\n%s", stderr)
		}
	}
}

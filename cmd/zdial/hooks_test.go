package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/modemsim"
	"github.com/zdial/zdial/internal/printable"
)

// rootOwnedExe is a root-owned executable in root-owned directories,
// standing in for an installed zdial (hooks only name it).
const rootOwnedExe = "/usr/bin/env"

func TestPeer(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "zdial.yaml")
	config := "profiles:\n  van: {inherits: three, port: /dev/ttyUSB2, username: web, password: hunter2-pw, pin: \"4321\"}\n"
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := zdial(t, "peer", "--config", cfg, "--zdial", rootOwnedExe, "van")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"\n/dev/ttyUSB2\n", "\nconnect \"" + rootOwnedExe + " chat --config " + cfg + " van\"\n", "\nnoauth\n", "\ndefaultroute\n", "\nusepeerdns\n", "\nuser web\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("peers file lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out+stderr, "hunter2-pw") || leaksPIN(out+stderr, "4321") || strings.Contains(out, "4321") {
		t.Errorf("a secret is in the output:\n%s\n%s", out, stderr)
	}
	if !strings.Contains(stderr, "pap-secrets") {
		t.Errorf("stderr does not say where the password goes: %q", stderr)
	}

	peers := filepath.Join(dir, "peers")
	code, _, stderr = zdial(t, "peer", "--config", cfg, "--zdial", rootOwnedExe, "--install", "--peers-dir", peers, "van")
	if code != exitOK {
		t.Fatalf("--install: exit %d: %s", code, stderr)
	}
	fi, err := os.Stat(filepath.Join(peers, "van"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(peers, "van"))
	if string(got) != out || fi.Mode().Perm() != 0o644 {
		t.Errorf("installed file: mode %v, same as printed: %v", fi.Mode().Perm(), string(got) == out)
	}

	// A carrier profile names no port, and zdial has not dialed here: --port gives it.
	if code, _, stderr := zdial(t, "peer", "--config", cfg, "--state-dir", dir, "--dev", dir, "--zdial", rootOwnedExe, "three"); code != exitUsage || !strings.Contains(stderr, "--port") {
		t.Errorf("no port: exit %d, stderr %q; want %d naming --port", code, stderr, exitUsage)
	}
	if code, out, _ := zdial(t, "peer", "--config", cfg, "--zdial", rootOwnedExe, "--port", "/dev/serial/by-id/usb-ZTE-if02", "three"); code != exitOK || !strings.Contains(out, "\n/dev/serial/by-id/usb-ZTE-if02\n") {
		t.Errorf("--port: exit %d:\n%s", code, out)
	}
	// This test binary lives in go's temporary build directory.
	if code, _, stderr := zdial(t, "peer", "--config", cfg, "--zdial", os.Args[0], "van"); code != exitUsage || !strings.Contains(stderr, "install -o root") {
		t.Errorf("temporary zdial: exit %d, stderr %q; want %d with the install command", code, stderr, exitUsage)
	}
}

func TestInstallUnit(t *testing.T) {
	code, out, stderr := zdial(t, "install-unit", "--zdial", rootOwnedExe, "--watchdog", "90s")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"\nType=notify\n", "\nExecStart=" + rootOwnedExe + " run %i\n", "\nRestart=on-failure\n", "\nWatchdogSec=90s\n", "\nNotifyAccess=main\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("unit lacks %q", want)
		}
	}
	dir := t.TempDir()
	code, _, stderr = zdial(t, "install-unit", "--zdial", rootOwnedExe, "--install", "--unit-dir", dir, "--systemctl", "")
	if code != exitOK {
		t.Fatalf("--install: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "zdial@.service")); err != nil {
		t.Error(err)
	}
	if code, _, _ := zdial(t, "install-unit", "--zdial", os.Args[0]); code != exitUsage {
		t.Errorf("temporary zdial: exit %d, want %d", code, exitUsage)
	}
}

// TestLogFormats dials against the simulator, whose operator name carries
// terminal escapes, in each --log-format: the lines parse, and no control
// byte from the modem reaches the output.
func TestLogFormats(t *testing.T) {
	evil := func(p *modemsim.Persona) { p.Network.Operator = "3\x1b]0;pwned\x07 UK\x1b[2J" }
	for _, format := range []string{"text", "logfmt", "json"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			_, port := simPort(t, "zte-mf622", evil)
			code, out, stderr := zdial(t, append(baseArgs(t, dir), "--port", port, "--dry-run", "--log-format", format, "three")...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if strings.ContainsFunc(out, func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f }) {
				t.Errorf("a control byte reached the output:\n%q", out)
			}
			var registered bool
			sc := bufio.NewScanner(strings.NewReader(out))
			for sc.Scan() {
				line := sc.Text()
				if strings.HasPrefix(line, "pppd command (dry run)") {
					continue
				}
				var rec map[string]any
				switch format {
				case "text":
					if strings.Contains(line, "=") && strings.Contains(line, "level=") {
						t.Errorf("text format printed a record: %q", line)
					}
					registered = registered || strings.HasPrefix(line, "registered on")
					continue
				case "logfmt":
					kv, err := parseLogfmt(line)
					if err != nil {
						t.Fatalf("%v: %q", err, line)
					}
					rec = map[string]any{}
					for k, v := range kv {
						rec[k] = v
					}
				case "json":
					if err := json.Unmarshal([]byte(line), &rec); err != nil {
						t.Fatalf("%v: %q", err, line)
					}
				}
				if rec["level"] != "INFO" || rec["msg"] == "" || rec["time"] == nil {
					t.Errorf("record lacks level, msg or time: %q", line)
				}
				if rec["event"] == "registered" {
					registered = true
					if op, _ := rec["operator"].(string); !strings.Contains(op, "pwned") || strings.ContainsFunc(op, printable.IsControl) {
						t.Errorf("operator = %q", op)
					}
				}
			}
			if !registered {
				t.Errorf("no registration line:\n%s", out)
			}
		})
	}
}

// TestProgressStripsControls: whatever an event's text holds (a note
// quoting a modem or pppd), no escape sequence or control byte is written.
func TestProgressStripsControls(t *testing.T) {
	for _, format := range []string{logText, logLogfmt, logJSON} {
		var b bytes.Buffer
		logFlags{format: format}.progress(&b)(dialer.Event{Note: "modem says \x1b[2J\x1b]0;title\x07hello\r\n\x00there"})
		out := b.String()
		if strings.ContainsFunc(strings.TrimSuffix(out, "\n"), printable.IsControl) || !strings.Contains(out, "hello") || !strings.Contains(out, "there") {
			t.Errorf("%s: %q", format, out)
		}
	}
}

// parseLogfmt splits one logfmt line (slog's text handler: key=value,
// values with blanks or quotes in Go-quoted form) into its pairs.
func parseLogfmt(line string) (map[string]string, error) {
	kv := map[string]string{}
	for line != "" {
		eq := strings.IndexByte(line, '=')
		if eq <= 0 || strings.ContainsAny(line[:eq], " \"") {
			return nil, errLogfmt
		}
		key := line[:eq]
		line = line[eq+1:]
		var val string
		if strings.HasPrefix(line, `"`) {
			end := 1
			for ; end < len(line); end++ {
				if line[end] == '\\' {
					end++
					continue
				}
				if line[end] == '"' {
					break
				}
			}
			if end >= len(line) {
				return nil, errLogfmt
			}
			q, err := unquote(line[:end+1])
			if err != nil {
				return nil, err
			}
			val, line = q, line[end+1:]
		} else if sp := strings.IndexByte(line, ' '); sp >= 0 {
			val, line = line[:sp], line[sp:]
		} else {
			val, line = line, ""
		}
		kv[key] = val
		if line != "" && line[0] != ' ' {
			return nil, errLogfmt
		}
		line = strings.TrimPrefix(line, " ")
	}
	return kv, nil
}

var errLogfmt = errors.New("not logfmt")

func unquote(s string) (string, error) { return strconv.Unquote(s) }

// The commands cron and systemd call (ensure, up, down, run, status) speak
// on their error stream in the chosen format: one record a line.
func TestSupervisorCommandsLogInFormat(t *testing.T) {
	run := t.TempDir()
	for _, format := range []string{"text", "logfmt", "json"} {
		code, _, stderr := zdial(t, "down", "--run-dir", run, "--config", filepath.Join(run, "none.yaml"), "--log-format", format, "three")
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		line := strings.TrimSpace(stderr)
		switch format {
		case "text":
			if line != "zdial: three is not running" {
				t.Errorf("text: %q", line)
			}
		case "logfmt":
			kv, err := parseLogfmt(line)
			if err != nil || kv["msg"] != "three is not running" || kv["level"] != "ERROR" {
				t.Errorf("logfmt: %q → %v, %v", line, kv, err)
			}
		case "json":
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil || rec["msg"] != "three is not running" {
				t.Errorf("json: %q → %v, %v", line, rec, err)
			}
		}
	}
}

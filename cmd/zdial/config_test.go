package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/zdial/zdial/internal/uucplock"
)

// The configuration side of the CLI: which files are read and trusted
// (issue 9 item 1), how names resolve (by profile, carrier, country and
// the SIM), the APN from the IMSI, the command line's overrides, and
// zdial config check/show.

// cfgArgs isolates a run from the host like baseArgs, and from the host's
// /etc/zdial and mobile-broadband-provider-info too.
func cfgArgs(t *testing.T, dir string) []string {
	t.Helper()
	return append(baseArgs(t, dir), "--system-config", filepath.Join(dir, "absent-system.yaml"), "--provider-info", "")
}

// confArgs are cfgArgs' config flags alone, for zdial config.
func confArgs(t *testing.T, dir string) []string {
	t.Helper()
	cfg := filepath.Join(dir, "zdial.yaml")
	if _, err := os.Stat(cfg); err != nil {
		os.WriteFile(cfg, nil, 0o600)
	}
	return []string{"--config", cfg, "--system-config", filepath.Join(dir, "absent-system.yaml"), "--provider-info", ""}
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return path
}

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: the test hands files to another user")
	}
}

// userDir is a directory owned by uid 1000, as a user's home would be.
func userDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "home")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	chownAll(t, dir)
	return dir
}

func chownAll(t *testing.T, path string) {
	t.Helper()
	err := filepath.Walk(path, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, 1000, 1000)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// markerScript is a program that, if anyone runs it, leaves a file behind.
func markerScript(t *testing.T, dir string) (prog, marker string) {
	t.Helper()
	marker = filepath.Join(t.TempDir(), "ran")
	prog = writeFile(t, filepath.Join(dir, "evil"), "#!/bin/sh\ntouch "+marker+"\necho 'pppd version 2.4.9'\n", 0o755)
	return prog, marker
}

func TestRootNeverReadsTheUsersConfig(t *testing.T) {
	needRoot(t)
	home := userDir(t)
	prog, marker := markerScript(t, home)
	writeFile(t, filepath.Join(home, ".config", "zdial", "zdial.yaml"),
		"profiles:\n  evil: {inherits: three, pppd: {path: "+prog+"}}\n", 0o644)
	chownAll(t, home)
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	dir := t.TempDir()
	_, port := simPort(t, "zte-mf622", nil)
	// No --config: the defaults are what sudo -E would give root.
	args := []string{"--lock-dir", dir, "--state-dir", dir, "--system-config", filepath.Join(dir, "none.yaml"),
		"--provider-info", "", "--guard-time", "20ms", "--port", port, "--dry-run", "evil"}
	code, _, stderr := zdial(t, args...)
	if code != exitUsage || !strings.Contains(stderr, `unknown profile "evil"`) {
		t.Errorf("exit %d, stderr %q: want %d, evil unknown (the user's config not read)", code, stderr, exitUsage)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("root ran the program a user's config named")
	}
}

func TestRootRefusesAConfigOwnedByAUser(t *testing.T) {
	needRoot(t)
	home := userDir(t)
	cfg := writeFile(t, filepath.Join(home, "zdial.yaml"), "profiles:\n  w: {inherits: three}\n", 0o600)
	chownAll(t, home)
	dir := t.TempDir()
	for _, cmd := range [][]string{{"config", "check"}, {"config", "show", "w"}, {"--dry-run", "w"}} {
		args := append(append([]string{}, cmd...), "--config", cfg, "--system-config", filepath.Join(dir, "none.yaml"), "--provider-info", "")
		code, _, stderr := zdial(t, args...)
		if code != exitUsage {
			t.Errorf("%q: exit %d, want %d: %s", cmd, code, exitUsage, stderr)
		}
		for _, want := range []string{cfg, "owned by uid 1000", "fix: chown root"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%q: stderr %q lacks %q", cmd, stderr, want)
			}
		}
	}
	// A root-owned file in a directory its user may change is as bad.
	open := filepath.Join(t.TempDir(), "shared")
	os.Mkdir(open, 0o777)
	os.Chmod(open, 0o777)
	cfg2 := writeFile(t, filepath.Join(open, "zdial.yaml"), "profiles:\n  w: {inherits: three}\n", 0o600)
	code, _, stderr := zdial(t, "config", "check", "--config", cfg2, "--system-config", filepath.Join(dir, "none.yaml"))
	if code != exitUsage || !strings.Contains(stderr, "writable by others") || !strings.Contains(stderr, "chmod go-w "+open) {
		t.Errorf("exit %d, stderr %q: want the open directory refused with its fix", code, stderr)
	}
}

func TestUntrustedPPPDIsNeverRun(t *testing.T) {
	needRoot(t)
	for _, how := range []string{"--pppd", "profile pppd.path"} {
		t.Run(how, func(t *testing.T) {
			home := userDir(t)
			prog, marker := markerScript(t, home)
			chownAll(t, home)
			dir := t.TempDir()
			args := cfgArgs(t, dir)
			name := "three"
			if how == "--pppd" {
				args = append(args, "--pppd", prog)
			} else {
				writeFile(t, filepath.Join(dir, "zdial.yaml"), "profiles:\n  p: {inherits: three, pppd: {path: "+prog+"}}\n", 0o600)
				name = "p"
			}
			pty, port := simPort(t, "zte-mf622", nil)
			code, _, stderr := zdial(t, append(args, "--port", port, "--dry-run", name)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d: %s", code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, "owned by uid 1000") || !strings.Contains(stderr, "fix: chown root") {
				t.Errorf("stderr %q does not say why and how to fix it", stderr)
			}
			if _, err := os.Stat(marker); err == nil {
				t.Fatal("the user's program ran as root")
			}
			if rx := pty.Sim.Received(); len(rx) > 0 {
				t.Errorf("zdial dialed with a pppd it will not run: %q", rx)
			}
		})
	}
}

func TestScriptErrorsQuoteNoContent(t *testing.T) {
	const secret = "s3cr3t-Hash-Value"
	for _, tc := range []struct{ name, file, content, pos string }{
		// Not YAML at all, with a colon: what /etc/shadow looks like.
		{"yaml, a shadow file", "shadow.yaml", "root:$6$" + secret + ":19000:0:99999:7:::\ndaemon: " + secret + "\n", ":1:1:"},
		{"yaml, key and value", "secrets.yml", "password: " + secret + "\n", ":1:1:"},
		{"chat(8), long abort string", "shadow", "ABORT " + strings.Repeat(secret, 4) + "\n", ":1:"},
		{"chat(8), unterminated quote", "shadow", "'' ATZ\nOK '" + secret + "\n", ":2:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			script := writeFile(t, filepath.Join(t.TempDir(), tc.file), tc.content, 0o600) // root-only, as root
			writeFile(t, filepath.Join(dir, "zdial.yaml"), "profiles:\n  s: {inherits: three, script: '"+script+"'}\n", 0o600)
			pty, port := simPort(t, "zte-mf622", nil)
			code, stdout, stderr := zdial(t, append(cfgArgs(t, dir), "--port", port, "--dry-run", "s")...)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", code, exitUsage, stdout, stderr)
			}
			if strings.Contains(stdout+stderr, secret) || strings.Contains(stdout+stderr, "19000") {
				t.Errorf("the error shows the file's content:\n%s", stderr)
			}
			if !strings.Contains(stderr, script+tc.pos) || !strings.Contains(stderr, "script") {
				t.Errorf("stderr %q does not place the error (%s) or say what was expected", stderr, tc.pos)
			}
			// Parsed before the port is locked and opened (issue 9 item 16).
			if rx := pty.Sim.Received(); len(rx) > 0 {
				t.Errorf("the modem got %q before the script was found broken", rx)
			}
			if _, err := os.Stat(filepath.Join(dir, uucplock.FileName(port))); err == nil {
				t.Error("lock file left behind")
			}
		})
	}
}

func TestUntrustedScriptRefused(t *testing.T) {
	needRoot(t)
	home := userDir(t)
	script := writeFile(t, filepath.Join(home, "dial.chat"), "'' AT\nOK ATD*99#\nCONNECT ''\n", 0o644)
	chownAll(t, home)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "zdial.yaml"), "profiles:\n  s: {inherits: three, script: '"+script+"'}\n", 0o600)
	pty, port := simPort(t, "zte-mf622", nil)
	code, _, stderr := zdial(t, append(cfgArgs(t, dir), "--port", port, "--dry-run", "s")...)
	if code != exitUsage || !strings.Contains(stderr, "owned by uid 1000") || !strings.Contains(stderr, "chown root") {
		t.Errorf("exit %d, stderr %q: want %d, refused with the fix", code, stderr, exitUsage)
	}
	if rx := pty.Sim.Received(); len(rx) > 0 {
		t.Errorf("the modem got %q", rx)
	}
}

// TestConfigCheckFindsWhatADialRefuses: config check reports each thing a
// dial would refuse before touching a modem — a script or pppd.path
// another user owns, a pppd.path that is not there, a script that does not
// parse (with its place) — once a profile, without running anything, and
// passes a profile whose files are fine.
func TestConfigCheckFindsWhatADialRefuses(t *testing.T) {
	needRoot(t)
	home := userDir(t)
	usersScript := writeFile(t, filepath.Join(home, "dial.chat"), "'' AT\nOK ATD*99#\nCONNECT ''\n", 0o644)
	usersPPPD, marker := markerScript(t, home)
	chownAll(t, home)
	own := t.TempDir()
	broken := writeFile(t, filepath.Join(own, "broken.chat"), "'' ATZ\nOK 'unterminated\n", 0o600)
	good := writeFile(t, filepath.Join(own, "good.chat"), "'' AT\nOK ATD*99#\nCONNECT ''\n", 0o600)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "zdial.yaml"), "profiles:\n"+
		"  a-users-script: {inherits: three, script: '"+usersScript+"'}\n"+
		"  b-users-pppd: {inherits: three, pppd: {path: '"+usersPPPD+"'}}\n"+
		"  c-no-pppd: {inherits: three, pppd: {path: '"+filepath.Join(own, "nothere")+"'}}\n"+
		"  d-broken-script: {inherits: three, script: '"+broken+"'}\n"+
		"  e-fine: {inherits: three, script: '"+good+"'}\n", 0o600)
	code, _, stderr := zdial(t, append([]string{"config", "check"}, confArgs(t, dir)...)...)
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	for _, want := range []string{
		"profile a-users-script: script: " + usersScript + " is owned by uid 1000",
		"profile b-users-pppd: pppd.path: pppd binary refused: " + usersPPPD + " is owned by uid 1000",
		"profile c-no-pppd: pppd.path: " + filepath.Join(own, "nothere") + ": no such file",
		broken + ":2:",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "e-fine") || strings.Count(stderr, "\n") != 4 {
		t.Errorf("want exactly the four bad profiles:\n%s", stderr)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("config check ran the user's pppd")
	}
}

// received reports whether the simulated modem got a command starting with prefix.
func received(rx []string, prefix string) bool {
	for _, c := range rx {
		if strings.HasPrefix(strings.ToUpper(c), strings.ToUpper(prefix)) {
			return true
		}
	}
	return false
}

func TestNameResolution(t *testing.T) {
	for _, tc := range []struct {
		name, persona, config, profile string
		want                           int
		apn                            string // sent with AT+CGDCONT
		out                            string // in stdout (or stderr, for a failure)
	}{
		{name: "unique alias", persona: "sim-it-tim", profile: "tim", want: exitOK, apn: "ibox.tim.it"},
		{name: "shared, default", persona: "zte-mf622", profile: "three", want: exitOK, apn: "three.co.uk"},
		{name: "shared, the SIM decides", persona: "sim-ie-three", profile: "three", want: exitOK, apn: "3ireland.ie", out: "three → three-ie (the SIM is on network 27205)"},
		{name: "shared, the SIM's country decides", persona: "sim-de-telekom", profile: "vodafone", want: exitOK, apn: "web.vodafone.de", out: "vodafone → vodafone-de"},
		{name: "shared, through inherits", persona: "sim-ie-three", profile: "home", config: "profiles:\n  home: {inherits: three, port: /nonexistent}\n", want: exitOK, apn: "3ireland.ie"},
		{name: "shared, through carrier:", persona: "sim-de-telekom", profile: "home", config: "profiles:\n  home: {carrier: vodafone}\n", want: exitOK, apn: "web.vodafone.de"},
		{name: "shared, no such carrier in the SIM's country", persona: "sim-us-tmobile", profile: "vodafone", want: exitUsage, out: "vodafone-uk (Vodafone UK, GB)"},
		{name: "full name", persona: "sim-ie-three", profile: "three-uk", want: exitOK, apn: "three.co.uk"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.config != "" {
				writeFile(t, filepath.Join(dir, "zdial.yaml"), tc.config, 0o600)
			}
			pty, port := simPort(t, tc.persona, nil)
			code, stdout, stderr := zdial(t, append(cfgArgs(t, dir), "--port", port, "--dry-run", tc.profile)...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.want, stdout, stderr)
			}
			if !strings.Contains(stdout+stderr, tc.out) {
				t.Errorf("output lacks %q:\n%s\n%s", tc.out, stdout, stderr)
			}
			rx := pty.Sim.Received()
			if tc.apn != "" && !received(rx, `AT+CGDCONT=1,"IP","`+tc.apn+`"`) {
				t.Errorf("the modem did not get APN %s: %q", tc.apn, rx)
			}
			if tc.want != exitOK && received(rx, "ATD") {
				t.Errorf("dialed although the name was ambiguous: %q", rx)
			}
		})
	}
}

func TestAmbiguousWithoutSIM(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := zdial(t, append([]string{"config", "show", "vodafone"}, confArgs(t, dir)...)...)
	if code != exitUsage {
		t.Fatalf("exit %d, want %d: %s", code, exitUsage, stderr)
	}
	for _, want := range []string{`"vodafone" is ambiguous`, "vodafone-uk (Vodafone UK, GB)", "vodafone-de (Vodafone Germany, DE)", "set a country"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// A country: settles it: top level, or the profile's own over it.
	writeFile(t, filepath.Join(dir, "zdial.yaml"), "country: de\nprofiles:\n  it: {carrier: vodafone, country: IT}\n", 0o600)
	for name, want := range map[string]string{"vodafone": "web.vodafone.de", "it": "mobile.vodafone.it"} {
		code, stdout, stderr := zdial(t, append([]string{"config", "show", name}, confArgs(t, dir)...)...)
		if code != exitOK || !strings.Contains(stdout, want) {
			t.Errorf("config show %s: exit %d, want %s\n%s%s", name, code, want, stdout, stderr)
		}
	}
}

func TestUnknownNameListsProfilesNotTheWholeDatabase(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "zdial.yaml"), "profiles:\n  work: {apn: x}\n", 0o600)
	code, _, stderr := zdial(t, "config", "show", "vodafon", "--config", filepath.Join(dir, "zdial.yaml"),
		"--system-config", filepath.Join(dir, "none.yaml")) // with the host's provider database, if installed
	if code != exitUsage {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{`unknown profile "vodafon"`, "profiles in your config: work", "vodafone-de", "zdial carriers vodafon"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "giffgaff") || len(stderr) > 1000 {
		t.Errorf("the error lists carriers unrelated to the name:\n%s", stderr)
	}
}

func TestAPNFromTheSIM(t *testing.T) {
	for _, tc := range []struct{ persona, apn, carrier string }{
		{"sim-gb-three", "three.co.uk", "Three UK"},
		{"sim-de-telekom", "internet.telekom", "Telekom"},
		{"sim-it-tim", "ibox.tim.it", "TIM"},
		{"sim-us-tmobile", "fast.t-mobile.com", "T-Mobile"},
		{"sim-in-jio", "jionet", "Jio"},
	} {
		t.Run(tc.persona, func(t *testing.T) {
			dir := t.TempDir()
			pty, port := simPort(t, tc.persona, nil)
			code, stdout, stderr := zdial(t, append([]string{"auto"}, append(cfgArgs(t, dir), "--port", port, "--dry-run")...)...)
			if code != exitOK {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			if !strings.Contains(stdout, "APN from the SIM: IMSI") || !strings.Contains(stdout, tc.carrier) || !strings.Contains(stdout, tc.apn) {
				t.Errorf("stdout does not say what was chosen and why:\n%s", stdout)
			}
			pdp := "IP"
			if tc.persona == "sim-us-tmobile" || tc.persona == "sim-in-jio" {
				pdp = "IPV4V6"
			}
			if rx := pty.Sim.Received(); !received(rx, `AT+CGDCONT=1,"`+pdp+`","`+tc.apn+`"`) || !slices.ContainsFunc(rx, func(c string) bool { return strings.Contains(c, "+CIMI") }) {
				t.Errorf("the modem got %q", rx)
			}
			if strings.Contains(stdout+stderr, "1234567890") || strings.Contains(stdout+stderr, "123456789\n") {
				t.Errorf("the whole IMSI was printed:\n%s", stdout)
			}
		})
	}
	// A profile without an APN does the same.
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "zdial.yaml"), "profiles:\n  bare: {cid: 1}\n", 0o600)
	pty, port := simPort(t, "sim-it-tim", nil)
	code, stdout, stderr := zdial(t, append(cfgArgs(t, dir), "--port", port, "--dry-run", "--json", "bare")...)
	var got struct {
		APN     string `json:"apn"`
		Profile string `json:"profile"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != exitOK || got.APN != "ibox.tim.it" {
		t.Errorf("exit %d, JSON %+v (%v)\n%s\n%s", code, got, err, stdout, stderr)
	}
	if !strings.Contains(stderr, "APN from the SIM") { // progress goes to stderr with --json
		t.Errorf("stderr lacks the choice: %s", stderr)
	}
	if !received(pty.Sim.Received(), `AT+CGDCONT=1,"IP","ibox.tim.it"`) {
		t.Errorf("the modem got %q", pty.Sim.Received())
	}
}

func TestCommandLineOverrides(t *testing.T) {
	dir := t.TempDir()
	pw := writeFile(t, filepath.Join(t.TempDir(), "pw"), "hunter2-pw\n", 0o600)
	pty, port := simPort(t, "zte-mf622", nil)
	code, stdout, stderr := zdial(t, append(cfgArgs(t, dir), "--port", port, "--dry-run",
		"--apn", "my.apn", "--number", "*99***1#", "--user", "me", "--password-file", pw, "three")...)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	rx := pty.Sim.Received()
	if !received(rx, `AT+CGDCONT=1,"IP","my.apn"`) || !received(rx, "ATD*99***1#") {
		t.Errorf("the modem got %q", rx)
	}
	if !strings.Contains(stdout, "user me") {
		t.Errorf("the pppd command lacks the user: %s", stdout)
	}
	if strings.Contains(stdout+stderr, "hunter2") {
		t.Errorf("the password was printed:\n%s\n%s", stdout, stderr)
	}
	// A password file others can change is refused.
	os.Chmod(pw, 0o666)
	code, _, stderr = zdial(t, append(cfgArgs(t, dir), "--port", port, "--dry-run", "--password-file", pw, "three")...)
	if code != exitUsage || !strings.Contains(stderr, "chmod go-w "+pw) {
		t.Errorf("exit %d, stderr %q: want the file refused", code, stderr)
	}
	// Control bytes never reach the wire.
	code, _, stderr = zdial(t, append(cfgArgs(t, dir), "--port", port, "--dry-run", "--apn", "a\x08b", "three")...)
	if code != exitUsage || !strings.Contains(stderr, "--apn") {
		t.Errorf("exit %d, stderr %q: want --apn refused", code, stderr)
	}
}

func TestLayeredConfig(t *testing.T) {
	dir := t.TempDir()
	sys := writeFile(t, filepath.Join(dir, "etc.yaml"), `country: DE
profiles:
  work: {carrier: vodafone, port: /dev/ttyUSB2, pin: "1234", timeouts: {register: 90s}}
  base: {apn: base.apn, username: sys}
`, 0o600)
	cfg := writeFile(t, filepath.Join(dir, "zdial.yaml"), `profiles:
  work: {inherits: base, carrier: vodafone, pin: "4321", password: "pa55w0rd-x"}
`, 0o600)
	code, stdout, stderr := zdial(t, "config", "show", "work", "--system-config", sys, "--config", cfg, "--provider-info", "")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"apn:", "web.vodafone.de", "# carrier vodafone-de (zdial)", // the carrier wins over inherits, the country from /etc
		"username:", "sys", "# " + sys, // from base, in the system file
		"pin:", "****", "# " + cfg, // --config's work replaces /etc's
		"password:",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("config show lacks %q:\n%s", want, stdout)
		}
	}
	for _, leak := range []string{"4321", "1234", "pa55w0rd"} {
		if strings.Contains(stdout+stderr, leak) {
			t.Errorf("config show leaks %q:\n%s", leak, stdout)
		}
	}
	if strings.Contains(stdout, "ttyUSB2") || strings.Contains(stdout, "90s") {
		t.Errorf("/etc's work profile leaked through --config's:\n%s", stdout)
	}
	// A later file's country wins.
	writeFile(t, cfg, "country: IT\n", 0o600)
	if _, stdout, _ := zdial(t, "config", "show", "vodafone", "--system-config", sys, "--config", cfg, "--provider-info", ""); !strings.Contains(stdout, "mobile.vodafone.it") {
		t.Errorf("--config's country did not win:\n%s", stdout)
	}
}

func TestConfigCheckReportsEveryError(t *testing.T) {
	dir := t.TempDir()
	sys := writeFile(t, filepath.Join(dir, "etc.yaml"), "profiles:\n  a: {inherits: b}\n  b: {inherits: a}\n", 0o600)
	cfg := writeFile(t, filepath.Join(dir, "zdial.yaml"), `country: GB
profiles:
  work:
    apm: x
    pin: "1234"
    timeouts: {register: -5s}
    cid: lots
  work:
    apn: y
---
profiles: {}
`, 0o600)
	code, stdout, stderr := zdial(t, "config", "check", "--system-config", sys, "--config", cfg, "--provider-info", "")
	if code != exitUsage {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{
		cfg + ":4:5: profiles.work.apm: unknown field", "did you mean apn?",
		cfg + ":6:26: profiles.work.timeouts.register: negative value",
		cfg + ":7:10: profiles.work.cid: cannot unmarshal !!str into int",
		cfg + ":8:3: profiles.work: duplicate key: also at line 3:3",
		cfg + ":11:1: a second YAML document",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "1234") {
		t.Errorf("an error shows the PIN:\n%s", stderr)
	}
	// The loop, once the file is right.
	writeFile(t, cfg, "profiles: {}\n", 0o600)
	code, _, stderr = zdial(t, "config", "check", "--system-config", sys, "--config", cfg, "--provider-info", "")
	if code != exitUsage || !strings.Contains(stderr, sys+": profiles.a.inherits: inheritance loop: a → b → a") {
		t.Errorf("exit %d, stderr %q: want the loop with its file", code, stderr)
	}
	// A clean config passes.
	writeFile(t, sys, "profiles:\n  a: {inherits: three}\n", 0o600)
	code, stdout, stderr = zdial(t, "config", "check", "--system-config", sys, "--config", cfg, "--provider-info", "")
	if code != exitOK || !strings.Contains(stdout, sys+": ok") {
		t.Errorf("exit %d\n%s\n%s", code, stdout, stderr)
	}
}

func TestHugeConfigRefused(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("profiles:\n")
	for i := 0; b.Len() < 2<<20; i++ {
		fmt.Fprintf(&b, "  p%d: {apn: internet, number: \"*99#\"}\n", i)
	}
	cfg := writeFile(t, filepath.Join(dir, "zdial.yaml"), b.String(), 0o600)
	code, _, stderr := zdial(t, "config", "check", "--config", cfg, "--system-config", filepath.Join(dir, "none"))
	if code != exitUsage || !strings.Contains(stderr, cfg+": larger than 1024 KiB") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestCarriersCommand(t *testing.T) {
	code, stdout, stderr := zdial(t, "carriers", "vodafone", "--country", "de", "--provider-info", "")
	if code != exitOK || !strings.Contains(stdout, "vodafone-de") || !strings.Contains(stdout, "web.vodafone.de") ||
		strings.Contains(stdout, "vodafone-uk") || !strings.Contains(stdout, "zdial") {
		t.Errorf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, _ = zdial(t, "carriers", "--mccmnc", "23420", "--json", "--provider-info", "")
	var c struct {
		Name, Display, Country, Source string
		MCCMNC                         []string
		APNs                           []struct{ APN string }
	}
	if err := json.Unmarshal([]byte(strings.SplitN(stdout, "\n", 2)[0]), &c); err != nil || code != exitOK ||
		c.Name != "three-uk" || c.Source != "zdial" || c.Country != "GB" || len(c.APNs) == 0 || c.APNs[0].APN != "three.co.uk" {
		t.Errorf("exit %d, first entry %+v (%v)\n%s", code, c, err, stdout)
	}
	if code, _, _ := zdial(t, "carriers", "no-such-carrier-anywhere", "--provider-info", ""); code != exitOther {
		t.Errorf("no match: exit %d, want %d", code, exitOther)
	}
}

func TestProbeNamesTheSIMsCarrier(t *testing.T) {
	_, port := simPort(t, "sim-it-tim", nil)
	code, stdout, stderr := zdial(t, "probe", "--provider-info", "", port)
	if code != exitOK || !strings.Contains(stdout, "carrier") || !strings.Contains(stdout, "MCC 222 MNC 01 → TIM") {
		t.Errorf("exit %d\n%s\n%s", code, stdout, stderr)
	}
}

// zdial chat PROFILE, pppd's connect program, settles the APN from the
// SIM as zdial PROFILE does.
func TestChatProfileAPNFromTheSIM(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, filepath.Join(dir, "zdial.yaml"), "profiles:\n  bare: {cid: 1}\n", 0o600)
	pty, _ := simPort(t, "sim-it-tim", nil)
	hold, err := os.OpenFile(pty.Path, os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Close()
	env := []string{"HOME=" + dir, "XDG_STATE_HOME=" + filepath.Join(dir, "state")}
	code, stderr := zdialOnTTY(t, pty.Path, env, "--config", cfg, "bare")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if rx := pty.Sim.Received(); !received(rx, `AT+CGDCONT=1,"IP","ibox.tim.it"`) {
		t.Errorf("the modem got %q", rx)
	}
}

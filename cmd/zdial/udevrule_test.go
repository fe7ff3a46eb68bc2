package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zdial/zdial/internal/safefile"
	"github.com/zdial/zdial/internal/sysfstest"
)

// fakeUdevadm is a udevadm that records its arguments in DIR/args.
func fakeUdevadm(t *testing.T) (path, argsFile string) {
	dir := t.TempDir()
	path = filepath.Join(dir, "udevadm")
	script := "#!/bin/sh\necho \"$@\" > \"$(dirname \"$0\")/args\"\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, filepath.Join(dir, "args")
}

func TestUdevRulePrints(t *testing.T) {
	code, rule, stderr := zdial(t, "udev-rule", "--binary", "/usr/sbin/zdial", "--online", "three")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		`ACTION=="add|bind", RUN+="/usr/sbin/zdial switch --no-wait %k"`,
		`IMPORT{program}="/usr/sbin/zdial udev-role %k"`,
		`GROUP="dialout", MODE="0660"`,
		`ENV{SYSTEMD_WANTS}+="zdial@three.service"`,
	} {
		if !strings.Contains(rule, want) {
			t.Errorf("rule lacks %s", want)
		}
	}
}

// go run's binary, and paths udev would split or substitute, are never
// installed; the refusal says what to run instead, and nothing is written.
func TestUdevRuleInstallRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"go run's binary", nil, "temporary build directory"},
		{"a blank", []string{"--binary", "/opt/my tools/zdial"}, "cannot go into a udev rule"},
		{"a quote", []string{"--binary", `/opt/a"b/zdial`}, "cannot go into a udev rule"},
		{"a percent", []string{"--binary", "/opt/%k/zdial"}, "cannot go into a udev rule"},
		{"a dollar", []string{"--binary", "/opt/$x/zdial"}, "cannot go into a udev rule"},
		{"relative", []string{"--binary", "zdial"}, "not an absolute path"},
		{"under /tmp", []string{"--binary", "/tmp/zdial"}, "temporary build directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			udevadm, argsFile := fakeUdevadm(t)
			args := append([]string{"udev-rule", "--install", "--udevadm", udevadm}, tc.args...)
			if tc.name != "go run's binary" {
				// under --root the binary's place is checked, not its owner
				args = append(args, "--root", root)
			}
			code, _, stderr := zdial(t, args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, installHint) {
				t.Errorf("stderr %q: want %q and the command to run instead", stderr, tc.want)
			}
			if strings.Contains(stderr, "modeswitch:") {
				t.Errorf("package prefix in %q", stderr)
			}
			if _, err := os.Stat(filepath.Join(root, udevRulePath)); err == nil {
				t.Errorf("a rule was written")
			}
			if _, err := os.Stat(argsFile); err == nil {
				t.Errorf("udevadm ran")
			}
		})
	}
}

// A distribution's staging tree: --root with the binary where the package
// puts it. The rule names the binary as installed, and udev is reloaded.
func TestUdevRuleInstallUnderRoot(t *testing.T) {
	root := t.TempDir()
	bin := filepath.Join(root, "usr/sbin/zdial")
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	udevadm, argsFile := fakeUdevadm(t)
	code, rule, _ := zdial(t, "udev-rule", "--binary", "/usr/sbin/zdial")
	if code != exitOK {
		t.Fatal("print failed")
	}
	code, out, stderr := zdial(t, "udev-rule", "--install", "--root", root, "--binary", "/usr/sbin/zdial", "--udevadm", udevadm)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	written, err := os.ReadFile(filepath.Join(root, udevRulePath))
	if err != nil || string(written) != rule {
		t.Errorf("installed rule differs from the printed one (%v)", err)
	}
	if !strings.Contains(string(written), `RUN+="/usr/sbin/zdial switch --no-wait %k"`) {
		t.Errorf("rule does not run /usr/sbin/zdial")
	}
	if args, err := os.ReadFile(argsFile); err != nil || strings.TrimSpace(string(args)) != "control --reload" {
		t.Errorf("udevadm ran with %q (%v), want control --reload", args, err)
	}
	if !strings.Contains(out, "wrote "+filepath.Join(root, udevRulePath)) {
		t.Errorf("output %q", out)
	}
	// Under --root, a binary that is not there is refused.
	if code, _, stderr := zdial(t, "udev-rule", "--install", "--root", root, "--binary", "/usr/bin/zdial", "--udevadm", ""); code != exitUsage ||
		!strings.Contains(stderr, "no such file") {
		t.Errorf("missing binary: exit %d, stderr %q", code, stderr)
	}
}

// On the real root, the binary must be root's, not writable by others, in
// directories no one else may write (a sticky one included): one rule for
// every file root runs later unchecked — a udev rule, a systemd unit, a
// pppd peers file.
func TestUdevRuleInstallChecksOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to chown")
	}
	// Outside every temporary directory, so that the owner and directory
	// checks are the ones that decide: a scratch directory in root's home,
	// which (unlike the checkout, which CI may clone under /tmp) is neither
	// temporary nor writable by others.
	wd, err := os.UserHomeDir()
	if err != nil {
		t.Skipf("no home directory: %v", err)
	}
	if err := (safefile.Owner{UID: 0}).Trusted(wd); err != nil || unstablePath(wd) {
		t.Skipf("%s cannot hold a trusted path (%v)", wd, err)
	}
	base, err := os.MkdirTemp(wd, "zdial-udevtest")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	os.Chmod(base, 0o755)
	mk := func(dir string, dirMode os.FileMode, fileMode os.FileMode, uid int) string {
		d := filepath.Join(base, dir)
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
		os.Chmod(d, dirMode)
		p := filepath.Join(d, "zdial")
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, fileMode)
		if err := os.Chown(p, uid, 0); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := mk("good", 0o755, 0o755, 0)
	cfg := filepath.Join(base, "zdial.yaml")
	if err := os.WriteFile(cfg, []byte("profiles: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, bin, want string
	}{
		{"a user's file", mk("user", 0o755, 0o755, 1000), "owned by uid 1000"},
		{"group-writable", mk("groupw", 0o755, 0o775, 0), "writable by its group"},
		{"in a sticky world-writable directory", mk("sticky", os.ModeSticky|0o777, 0o755, 0), "a sticky directory others can write to"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := zdial(t, "udev-rule", "--install", "--binary", tc.bin, "--udevadm", "", "--root", "/")
			if code != exitUsage || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, installHint) {
				t.Errorf("udev-rule: exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, tc.want)
			}
			for _, args := range [][]string{
				{"install-unit", "--zdial", tc.bin},
				{"peer", "--config", cfg, "--zdial", tc.bin, "--port", "/dev/ttyUSB2", "three"},
			} {
				code, _, stderr := zdial(t, args...)
				if code != exitUsage || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "install -o root") {
					t.Errorf("%s: exit %d, stderr %q; want %d and %q", args[0], code, stderr, exitUsage, tc.want)
				}
			}
		})
	}
	if err := checkRuleBinary("/", good); err != nil {
		t.Errorf("root's 0755 file in root's 0755 directories: %v", err)
	}
}

// udev-role, the rule's IMPORT{program}: the link name and role of a tty
// from its name alone, from the database and the port cache.
func TestUdevRole(t *testing.T) {
	sys := fakeSysfs("mf622-modem-option")
	state := t.TempDir()
	role := func(tty string) string {
		code, out, stderr := zdial(t, "udev-role", "--sysfs", sys, "--state-dir", state, tty)
		if code != exitOK || stderr != "" {
			t.Errorf("udev-role %s: exit %d, stderr %q", tty, code, stderr)
		}
		return out
	}
	const dev = "ZDIAL_DEVICE=19d2-0001-P671A2TMED010000\n"
	for tty, want := range map[string]string{
		"ttyUSB0": dev + "ZDIAL_ROLE=diag\n",
		"ttyUSB1": dev + "ZDIAL_ROLE=at\n",
		"ttyUSB2": dev + "ZDIAL_ROLE=ppp\n",
		"ttyUSB7": "", // not a port of a known dongle: nothing, and no error for udev to log
		"ttyS0":   "",
	} {
		if got := role(tty); got != want {
			t.Errorf("%s: %q, want %q", tty, got, want)
		}
	}
	// Probing found PPP on interface 1: the cache moves the ppp link there.
	cache := filepath.Join(state, "ports", "19d2-0001-P671A2TMED010000.json")
	if err := os.MkdirAll(filepath.Dir(cache), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cache, []byte(`{"id":"19d2:0001","serial":"P671A2TMED010000","interface":1,"tty":"ttyUSB1","reason":"data-port check"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := role("ttyUSB1"); got != dev+"ZDIAL_ROLE=ppp\n" {
		t.Errorf("ttyUSB1 with the cache: %q", got)
	}
	if got := role("ttyUSB2"); got != "" {
		t.Errorf("ttyUSB2 with the cache naming another port: %q, want no link", got)
	}
}

// The rule runs switch --no-wait on add and on bind. On a machine without
// usbdevfs the first run detaches usb-storage from the dongle's storage
// interface and says so; the second sends nothing. A run for a device that
// is not (or no longer) a dongle has nothing to do and is not an error.
func TestSwitchNoWaitAddThenBind(t *testing.T) {
	sys := filepath.Join(t.TempDir(), "sys")
	sysfstest.Copy(t, fakeSysfs("mf622-zerocd"), sys)
	dev := t.TempDir() // no bus/usb
	run := t.TempDir()
	args := append([]string{"switch", "--no-wait", "--run-dir", run, "1-2"}, sysfsArgs(t, sys, dev)...)
	code, out, stderr := zdial(t, args...)
	if code != exitOK {
		t.Fatalf("add: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"switched by detaching usb-storage from the storage interface (DetachStorageOnly), not StandardEject",
		"no usbdevfs: " + filepath.Join(dev, "bus/usb") + " does not exist",
		`write "1-2:1.0" to bus/usb/drivers/usb-storage/unbind`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("add: output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out+stderr, "modeswitch:") {
		t.Errorf("package prefix in:\n%s%s", out, stderr)
	}
	unbind := filepath.Join(sys, "bus/usb/drivers/usb-storage/unbind")
	if b, _ := os.ReadFile(unbind); string(b) != "1-2:1.0" {
		t.Errorf("unbind = %q", b)
	}
	os.WriteFile(unbind, nil, 0o644)

	code, out, stderr = zdial(t, args...)
	if code != exitOK || !strings.Contains(out, "nothing to do: 1-2 was sent its switch (DetachStorageOnly)") {
		t.Errorf("bind: exit %d, out %q, stderr %q", code, out, stderr)
	}
	if b, _ := os.ReadFile(unbind); len(b) != 0 {
		t.Errorf("bind wrote %q to unbind again", b)
	}

	code, out, stderr = zdial(t, append([]string{"switch", "--no-wait", "1-9"}, sysfsArgs(t, sys, dev)...)...)
	if code != exitOK || !strings.Contains(out, "nothing to do: no dongle at 1-9") {
		t.Errorf("absent device: exit %d, out %q, stderr %q", code, out, stderr)
	}
}

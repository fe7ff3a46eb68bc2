package main

import (
	"encoding/json"
	"fmt"
	"github.com/zdial/zdial/internal/uucplock"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zdial/zdial/internal/sysfstest"

	"github.com/zdial/zdial/internal/modemsim"
)

// sysfsArgs points a command at a fake sysfs tree and /dev, with no
// usb-modeswitch-data, so the host's own packages cannot change the answer.
func sysfsArgs(t *testing.T, sys, dev string) []string {
	empty := t.TempDir()
	return []string{"--sysfs", sys, "--dev", dev, "--modeswitch-data", empty, "--modeswitch-etc", empty,
		"--modprobe", filepath.Join(empty, "modprobe"), "--lock-dir", t.TempDir(), "--state-dir", t.TempDir()}
}

func fakeSysfs(name string) string { return filepath.Join("..", "..", "testdata", "sysfs", name) }

// simDev is a /dev whose ttyUSBn are symlinks to simulated modems, one per
// persona, in order.
func simDev(t *testing.T, personas ...string) (string, []*modemsim.PTY) {
	dev := t.TempDir()
	var ptys []*modemsim.PTY
	for i, persona := range personas {
		pty, path := simPort(t, persona, nil)
		if err := os.Symlink(path, filepath.Join(dev, fmt.Sprintf("ttyUSB%d", i))); err != nil {
			t.Fatal(err)
		}
		ptys = append(ptys, pty)
	}
	return dev, ptys
}

// noDongleSysfs is the ZeroCD scenario without the dongle: a root hub and
// a USB disk.
func noDongleSysfs(t *testing.T) string {
	dst := filepath.Join(t.TempDir(), "sys")
	sysfstest.Copy(t, fakeSysfs("mf622-zerocd"), dst)
	for _, p := range []string{"devices/pci0000:00/0000:00:14.0/usb1/1-2", "bus/usb/devices/1-2", "bus/usb/devices/1-2:1.0"} {
		if err := os.RemoveAll(filepath.Join(dst, p)); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func TestDevices(t *testing.T) {
	for _, tc := range []struct {
		tree     string
		want     []string // regexps over stdout
		wantNot  []string
		wantCode int
	}{
		{tree: "mf622-zerocd",
			want:    []string{`(?m)^1-2  19d2:2000  ZTE MF620/MF622.*, in storage mode$`, `mode +storage .*StandardEject: zdial switch 1-2`, `drivers +usb-storage`},
			wantNot: []string{"0781:5567", "SanDisk", "1-1"}},
		{tree: "mf622-modem-option",
			// Issue 13: a 19d2:0001 modem was named "…(ZeroCD 19d2:2000)".
			want: []string{`(?m)^1-2  19d2:0001  ZTE MF620/MF622/MF626/MF627/MF628/MF636/MF100, in modem mode$`, `mode +modem`, `drivers +option, usb-storage`,
				`ttyUSB0 +interface 0  diag`, `ttyUSB1 +interface 1  at`, `ttyUSB2 +interface 2  ppp`,
				`links +/dev/zdial/19d2-0001-P671A2TMED010000/ROLE`},
			wantNot: []string{"SanDisk", "ZeroCD", "2000"}},
		{tree: "e1750-modem",
			want: []string{`(?m)^1-3  12d1:1001  Huawei`, `ttyUSB0 +interface 0  ppp`, `ttyUSB1 +interface 1  diag`, `ttyUSB2 +interface 2  at`}},
		{tree: "unknown",
			want: []string{`(?m)^1-4  19d2:beef `, `not in the device database`, `storage: \["19d2:beef"\]`,
				`id: "19d2:XXXX"`, `/etc/usb_modeswitch.d/19d2:beef`},
			wantNot: []string{"2341:0043", "Arduino"}},
		{tree: "mf622-modem-unbound", want: []string{`ports +none yet \(no serial driver bound`}},
	} {
		t.Run(tc.tree, func(t *testing.T) {
			code, out, stderr := zdial(t, append([]string{"devices"}, sysfsArgs(t, fakeSysfs(tc.tree), "/dev")...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, re := range tc.want {
				if !regexp.MustCompile(re).MatchString(out) {
					t.Errorf("output lacks /%s/:\n%s", re, out)
				}
			}
			for _, s := range tc.wantNot {
				if strings.Contains(out, s) {
					t.Errorf("output shows %q, which is not a dongle:\n%s", s, out)
				}
			}
		})
	}
}

func TestDevicesNoDongle(t *testing.T) {
	code, out, stderr := zdial(t, append([]string{"devices"}, sysfsArgs(t, noDongleSysfs(t), "/dev")...)...)
	if code != exitPort {
		t.Errorf("exit %d, want %d", code, exitPort)
	}
	for _, want := range []string{"no mobile broadband dongle", "known storage-mode IDs", "1-1 0781:5567 SanDisk Cruzer Blade", "usb1 1d6b:0002"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if out != "" {
		t.Errorf("stdout %q, want nothing", out)
	}
	code, out, _ = zdial(t, append([]string{"devices", "--json"}, sysfsArgs(t, noDongleSysfs(t), "/dev")...)...)
	var list []any
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 0 || code != exitPort {
		t.Errorf("--json with no dongle: exit %d, %q (%v); want an empty array and exit %d", code, out, err, exitPort)
	}
}

func TestDevicesJSON(t *testing.T) {
	type port struct {
		Name      string `json:"name"`
		Interface int    `json:"interface"`
		Role      string `json:"role"`
	}
	type dongle struct {
		Sysfs   string   `json:"sysfs"`
		ID      string   `json:"id"`
		Mode    string   `json:"mode"`
		Known   bool     `json:"known"`
		Method  string   `json:"method"`
		Drivers []string `json:"drivers"`
		Ports   []port   `json:"ports"`
		Snippet string   `json:"snippet"`
	}
	get := func(tree string) []dongle {
		t.Helper()
		code, out, stderr := zdial(t, append([]string{"devices", "--json"}, sysfsArgs(t, fakeSysfs(tree), "/dev")...)...)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", tree, code, stderr)
		}
		var got []dongle
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%s: not JSON: %v\n%s", tree, err, out)
		}
		return got
	}
	if g := get("mf622-zerocd"); len(g) != 1 || g[0].ID != "19d2:2000" || g[0].Mode != "storage" || g[0].Method != "StandardEject" || !g[0].Known {
		t.Errorf("mf622-zerocd: %+v", g)
	}
	g := get("mf622-modem-option")
	want := []port{{"ttyUSB0", 0, "diag"}, {"ttyUSB1", 1, "at"}, {"ttyUSB2", 2, "ppp"}}
	if len(g) != 1 || g[0].Mode != "modem" || fmt.Sprint(g[0].Ports) != fmt.Sprint(want) {
		t.Errorf("mf622-modem-option: %+v, want ports %v", g, want)
	}
	if g := get("unknown"); len(g) != 1 || g[0].Known || !strings.Contains(g[0].Snippet, `storage: ["19d2:beef"]`) {
		t.Errorf("unknown: %+v", g)
	}
}

func TestSwitchUnknownDevice(t *testing.T) {
	code, _, stderr := zdial(t, append([]string{"switch"}, sysfsArgs(t, fakeSysfs("unknown"), t.TempDir())...)...)
	if code != exitPort || !strings.Contains(stderr, `storage: ["19d2:beef"]`) {
		t.Errorf("exit %d, stderr:\n%s\nwant %d and the YAML snippet", code, stderr, exitPort)
	}
}

func TestSwitchAlreadyModem(t *testing.T) {
	dev := t.TempDir()
	for _, n := range []string{"ttyUSB0", "ttyUSB1", "ttyUSB2"} {
		os.WriteFile(filepath.Join(dev, n), nil, 0o600)
	}
	sys := filepath.Join(t.TempDir(), "sys")
	sysfstest.Copy(t, fakeSysfs("e1750-modem"), sys)
	code, out, stderr := zdial(t, append([]string{"switch", "1-3"}, sysfsArgs(t, sys, dev)...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, re := range []string{`1-3 12d1:1001 .* is already in modem mode`, `ttyUSB0 +interface 0  ppp`, `ttyUSB2 +interface 2  at`} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("output lacks /%s/:\n%s", re, out)
		}
	}
	if code, _, stderr := zdial(t, append([]string{"switch", "9-9"}, sysfsArgs(t, sys, dev)...)...); code != exitUsage || !strings.Contains(stderr, "1-3 (12d1:1001, modem mode)") {
		t.Errorf("unknown DEVICE: exit %d, %s", code, stderr)
	}
}

func TestSwitchPermanent(t *testing.T) {
	dev, ptys := simDev(t, "diag-silent", "aux-at", "zte-mf622")
	args := append([]string{"switch", "--permanent"}, sysfsArgs(t, fakeSysfs("mf622-modem-option"), dev)...)
	code, out, _ := zdial(t, args...)
	if code != exitUsage || !strings.Contains(out, "would send AT+ZCDRUN=8 on "+filepath.Join(dev, "ttyUSB1")) {
		t.Errorf("without --yes: exit %d, out:\n%s", code, out)
	}
	for _, p := range ptys {
		if got := p.Sim.Received(); len(got) != 0 {
			t.Errorf("without --yes, a port received %q", got)
		}
	}
	code, out, stderr := zdial(t, append(args, "--yes")...)
	if code != exitOK {
		t.Fatalf("--yes: exit %d: %s\n%s", code, out, stderr)
	}
	got := ptys[1].Sim.Received()
	if len(got) == 0 || !strings.EqualFold(got[len(got)-1], "AT+ZCDRUN=8") {
		t.Errorf("the AT port received %q, want AT+ZCDRUN=8 last", got)
	}
	if n := len(ptys[0].Sim.Received()) + len(ptys[2].Sim.Received()); n != 0 {
		t.Errorf("the diag or PPP port received commands")
	}
}

// --permanent talks to the modem under the port's UUCP lock like every
// other command: a live holder means exit 8, its PID on stderr, and not a
// byte to any port.
func TestSwitchPermanentHonoursLock(t *testing.T) {
	dev, ptys := simDev(t, "diag-silent", "aux-at", "zte-mf622")
	locks := t.TempDir()
	// ttyUSB1 is a link to a pty: the lock is named by the real device.
	lock, err := uucplock.Dir{Path: locks, DevRoot: dev}.LockPath("ttyUSB1")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lock, []byte(fmt.Sprintf("%10d\n", os.Getppid())), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"switch", "--permanent", "--yes"}, sysfsArgs(t, fakeSysfs("mf622-modem-option"), dev)...)
	code, out, stderr := zdial(t, append(args, "--lock-dir", locks)...)
	if code != exitBusy || !strings.Contains(stderr, fmt.Sprintf("%d", os.Getppid())) {
		t.Errorf("exit %d, want %d (busy) naming pid %d; out:\n%s\nstderr:\n%s", code, exitBusy, os.Getppid(), out, stderr)
	}
	for i, p := range ptys {
		if got := p.Sim.Received(); len(got) != 0 {
			t.Errorf("ttyUSB%d received %q although the AT port is locked", i, got)
		}
	}
}

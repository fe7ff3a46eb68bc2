package hooks

import (
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/zdial/zdial/pppctl"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update to refresh):\n%s", name, got)
	}
}

func threePeer() Peer {
	return Peer{
		Profile: "three", Zdial: "/usr/local/bin/zdial", Config: "/etc/zdial/vans.yaml", Port: "/dev/serial/by-id/usb-ZTE_MF622-if02-port0",
		Options: pppctl.Options{NoAuth: true, DefaultRoute: true, UsePeerDNS: true, NoIPDefault: true,
			LCPEchoInterval: 10, LCPEchoFailure: 3, User: "web user", Password: "s3cret-pw", Extra: []string{"mtu 1400", "novj"}},
	}
}

func TestPeerFileGolden(t *testing.T) {
	got, err := PeerFile(threePeer())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "three.peer", got)
	if strings.Contains(got, "s3cret-pw") {
		t.Error("the password is in the peers file")
	}
}

func TestPeerFileRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Peer)
	}{
		{"profile with a blank", func(p *Peer) { p.Profile = "three uk" }},
		{"profile with a shell sign", func(p *Peer) { p.Profile = "three;reboot" }},
		{"profile starting with a dash", func(p *Peer) { p.Profile = "-x" }},
		{"relative zdial", func(p *Peer) { p.Zdial = "zdial" }},
		{"zdial path with a blank", func(p *Peer) { p.Zdial = "/opt/my tools/zdial" }},
		{"zdial path with a dollar", func(p *Peer) { p.Zdial = "/opt/$HOME/zdial" }},
		{"config with a quote", func(p *Peer) { p.Config = `/etc/"x.yaml` }},
		{"no port", func(p *Peer) { p.Port = "" }},
		{"unclean port", func(p *Peer) { p.Port = "/dev/../dev/ttyUSB0" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := threePeer()
			tc.edit(&p)
			_, err := PeerFile(p)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
	p := threePeer()
	p.Options.Extra = []string{"plugin evil.so"}
	if _, err := PeerFile(p); !errors.Is(err, pppctl.ErrInvalidOption) {
		t.Errorf("a plugin option: err = %v, want pppctl.ErrInvalidOption", err)
	}
}

// TestPeerFilePPPDParses gives the generated file to the real pppd: it
// exits 2 on an option it cannot parse, 4 when the options parse but the
// kernel has no PPP (no /dev/ppp), 0 when dryrun stops it after parsing.
func TestPeerFilePPPDParses(t *testing.T) {
	pppd, err := exec.LookPath("pppd")
	if err != nil {
		pppd = "/usr/sbin/pppd"
	}
	if _, err := os.Stat(pppd); err != nil {
		t.Skip("pppd is not installed (apt-get install ppp)")
	}
	if os.Geteuid() != 0 {
		t.Skip("pppd accepts a peers file's privileged options only from root")
	}
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptm.Close()
	defer tty.Close()
	p := threePeer()
	p.Port = tty.Name()
	text, err := PeerFile(p)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "three")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	check := func(file string, want ...int) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, pppd, "file", file, "dryrun", "nodetach")
		out, _ := cmd.CombinedOutput()
		code := cmd.ProcessState.ExitCode()
		for _, w := range want {
			if code == w {
				return
			}
		}
		t.Errorf("pppd file %s dryrun: exit %d, want one of %v; output:\n%s", filepath.Base(file), code, want, out)
	}
	check(file, 0, 4)
	// The check can fail: a word pppd does not know exits 2.
	bad := filepath.Join(t.TempDir(), "bad")
	if err := os.WriteFile(bad, []byte(text+"no-such-pppd-option\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	check(bad, 2)
}

func TestUnitFileGolden(t *testing.T) {
	got, err := UnitFile(Unit{Zdial: "/usr/local/bin/zdial", Watchdog: 90 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "zdial@.service", got)
	if _, err := UnitFile(Unit{Zdial: "/tmp/go build/zdial"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a path with a blank: err = %v, want ErrInvalid", err)
	}
	noWatchdog, _ := UnitFile(Unit{Zdial: "/usr/local/bin/zdial"})
	if strings.Contains(noWatchdog, "WatchdogSec") {
		t.Error("WatchdogSec without a watchdog")
	}
}

// TestUnitFileVerifies runs systemd-analyze verify on an instance of the
// unit, when systemd-analyze is installed. It checks the directives and
// that ExecStart's binary exists, so ExecStart points at an executable
// that does: /bin/sh stands in for zdial.
func TestUnitFileVerifies(t *testing.T) {
	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed (apt-get install systemd)")
	}
	exe, err := filepath.EvalSymlinks("/bin/sh")
	if err != nil {
		t.Fatal(err)
	}
	text, err := UnitFile(Unit{Zdial: exe, Watchdog: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	verify := func(text string) (string, error) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, UnitName), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, sa, "verify", "--man=no", filepath.Join(dir, "zdial@three.service"))
		cmd.Env = append(os.Environ(), "SYSTEMD_LOG_COLOR=0")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := verify(text); err != nil || strings.Contains(out, "zdial@") {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	// The check can fail: a misspelt directive is reported.
	if out, _ := verify(strings.Replace(text, "Restart=on-failure", "Restart=on-failure\nRestartt=always", 1)); !strings.Contains(out, "Restartt") {
		t.Errorf("systemd-analyze verify did not report an unknown directive:\n%s", out)
	}
}

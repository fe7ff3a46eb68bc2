package dialer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zdial/zdial/internal/uucplock"
	modeswitch "github.com/zdial/zdial/switch"
)

// fakeProber answers per device path and records which paths it was given.
type fakeProber struct {
	mu      sync.Mutex
	probed  []string
	answers map[string]ProbeResult // path → answer; absent: silent until ctx ends
}

func (f *fakeProber) probe(ctx context.Context, path string) (ProbeResult, error) {
	f.mu.Lock()
	f.probed = append(f.probed, filepath.Base(path))
	r, ok := f.answers[path]
	f.mu.Unlock()
	if !ok {
		<-ctx.Done() // a silent port
		return ProbeResult{}, ctx.Err()
	}
	return r, nil
}

func (f *fakeProber) paths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := append([]string(nil), f.probed...)
	sortStrings(out)
	return out
}

func sortStrings(s []string) {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
}

// sysfsTree is a scenario under testdata/sysfs.
func sysfsTree(name string) string { return filepath.Join("..", "..", "testdata", "sysfs", name) }

func mustBuiltin(t *testing.T) *modeswitch.DB {
	t.Helper()
	db, err := modeswitch.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// hostFor is a Host on a testdata tree and its first dongle.
func hostFor(t *testing.T, tree string) (*modeswitch.Host, modeswitch.Device) {
	t.Helper()
	h := &modeswitch.Host{Sysfs: sysfsTree(tree), Dev: "/dev"}
	gs, err := h.Dongles(mustBuiltin(t))
	if err != nil {
		t.Fatal(err)
	}
	return h, gs[0].Device
}

// MF622: the database says ttyUSB2 is PPP and ttyUSB0 diag; diag is never probed.
func TestChoosePortDatabaseRole(t *testing.T) {
	h, d := hostFor(t, "mf622-modem-option")
	ports := h.Ports(mustBuiltin(t), d)
	fp := &fakeProber{answers: map[string]ProbeResult{
		"/dev/ttyUSB1": {AT: true},
		"/dev/ttyUSB2": {AT: true, DataPort: true},
	}}
	c, err := Discovery{probe: fp.probe, ProbeTimeout: time.Second}.choosePort(context.Background(), ports)
	if err != nil {
		t.Fatal(err)
	}
	if c.Port.Name != "ttyUSB2" || c.Reason != "database role" {
		t.Errorf("chose %+v (%s)", c.Port, c.Reason)
	}
	if diff := cmp.Diff([]string{"ttyUSB1", "ttyUSB2"}, fp.paths()); diff != "" {
		t.Errorf("probed (-want +got):\n%s", diff)
	}
}

// E173 (12d1:1436): no roles in the database; ^GETPORTMODE names the modem.
func TestChoosePortGetPortMode(t *testing.T) {
	h, d := hostFor(t, "modem-mode")
	pm := parseGetPortMode("^GETPORTMODE: TYPE: WCDMA: Huawei Technologies Co., Ltd,MDM:0,DIAG:1,PCUI:2")
	if diff := cmp.Diff(map[string]int{"MDM": 0, "DIAG": 1, "PCUI": 2}, pm); diff != "" {
		t.Fatalf("parseGetPortMode (-want +got):\n%s", diff)
	}
	fp := &fakeProber{answers: map[string]ProbeResult{
		"/dev/ttyUSB0": {AT: true},
		"/dev/ttyUSB2": {AT: true, PortMode: pm},
	}}
	var c Choice
	var err error
	synctest.Test(t, func(t *testing.T) { // ttyUSB1 is silent: let its timeout pass on the fake clock
		c, err = Discovery{probe: fp.probe, ProbeTimeout: time.Second}.choosePort(context.Background(), h.Ports(mustBuiltin(t), d))
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Port.Name != "ttyUSB0" || c.Reason != "AT^GETPORTMODE MDM" {
		t.Errorf("chose %+v (%s)", c.Port, c.Reason)
	}
	var roles []modeswitch.Role
	for _, p := range c.Ports {
		roles = append(roles, p.Role)
	}
	if diff := cmp.Diff([]modeswitch.Role{modeswitch.RolePPP, modeswitch.RoleDiag, modeswitch.RoleAT}, roles); diff != "" {
		t.Errorf("roles (-want +got):\n%s", diff)
	}
}

// Three simulated ports at once: one silent, one AT but not a data port, one
// modem. The modem is chosen, and the whole probe takes one probe timeout
// (synctest's clock), not three.
func TestChoosePortParallel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ports := []modeswitch.Port{
			{Name: "ttyUSB0", Path: "/dev/ttyUSB0", Interface: 0},
			{Name: "ttyUSB1", Path: "/dev/ttyUSB1", Interface: 1},
			{Name: "ttyUSB2", Path: "/dev/ttyUSB2", Interface: 2},
		}
		fp := &fakeProber{answers: map[string]ProbeResult{
			"/dev/ttyUSB1": {AT: true},
			"/dev/ttyUSB2": {AT: true, DataPort: true},
		}}
		start := time.Now()
		c, err := Discovery{probe: fp.probe, ProbeTimeout: 2 * time.Second}.choosePort(context.Background(), ports)
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took != 2*time.Second {
			t.Errorf("probing took %v, want one timeout (2s)", took)
		}
		if c.Port.Name != "ttyUSB2" || c.Reason != "data-port check" {
			t.Errorf("chose %+v (%s)", c.Port, c.Reason)
		}
		if !errors.Is(c.Errors["ttyUSB0"], context.DeadlineExceeded) {
			t.Errorf("silent port error = %v", c.Errors["ttyUSB0"])
		}
	})
}

func TestChoosePortNone(t *testing.T) {
	ports := []modeswitch.Port{{Name: "ttyUSB0", Path: "/dev/ttyUSB0", Role: modeswitch.RoleDiag}, {Name: "ttyUSB1", Path: "/dev/ttyUSB1"}}
	fp := &fakeProber{answers: map[string]ProbeResult{"/dev/ttyUSB1": {AT: true}}}
	_, err := Discovery{probe: fp.probe, ProbeTimeout: time.Second}.choosePort(context.Background(), ports)
	if !errors.Is(err, modeswitch.ErrNoPort) || !strings.Contains(err.Error(), "ttyUSB0 (diag, not probed), ttyUSB1 (AT, not a data port)") {
		t.Errorf("err = %v", err)
	}
}

func TestDiscoverCachesAndReprobes(t *testing.T) {
	h, d := hostFor(t, "mf622-modem-option")
	ports := h.Ports(mustBuiltin(t), d)
	fp := &fakeProber{answers: map[string]ProbeResult{"/dev/ttyUSB1": {AT: true}, "/dev/ttyUSB2": {AT: true}}}
	var checked []string
	var silent error // what the remembered port answers
	var notes []string
	disc := Discovery{StateDir: t.TempDir(), probe: fp.probe,
		answers: func(ctx context.Context, path string) error { checked = append(checked, path); return silent },
		Note:    func(format string, args ...any) { notes = append(notes, fmt.Sprintf(format, args...)) }}
	c, err := disc.Discover(context.Background(), d, ports)
	if err != nil || c.Port.Name != "ttyUSB2" || c.FromCache || len(checked) != 0 {
		t.Fatalf("first: %+v %v, checked %v", c.Port, err, checked)
	}
	b, err := os.ReadFile(filepath.Join(disc.StateDir, "ports", "19d2-0001-P671A2TMED010000.json"))
	if err != nil || !strings.Contains(string(b), `"interface": 2`) {
		t.Fatalf("cache file %q %v", b, err)
	}
	fp.probed = nil
	c, err = disc.Discover(context.Background(), d, ports)
	if err != nil || !c.FromCache || c.Port.Name != "ttyUSB2" || len(fp.paths()) != 0 {
		t.Errorf("second: %+v %v probed %v", c, err, fp.paths())
	}
	if !slices.Equal(checked, []string{"/dev/ttyUSB2"}) {
		t.Errorf("the remembered port was checked as %v, want once on /dev/ttyUSB2", checked)
	}
	silent = errors.New("no AT answer") // the cached port failed: forget it, probe again
	c, err = disc.Discover(context.Background(), d, ports)
	if err != nil || c.FromCache || len(fp.paths()) != 2 {
		t.Errorf("reprobe: %+v %v probed %v", c, err, fp.paths())
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "remembered port /dev/ttyUSB2 does not answer (no AT answer); probing again") {
		t.Errorf("notes %q", notes)
	}
}

func TestDiscoverHeldPort(t *testing.T) {
	h, d := hostFor(t, "mf622-modem-option")
	lock, proc := t.TempDir(), t.TempDir()
	// The holder must be alive (a dead PID is a stale lock): this process,
	// named ModemManager in the fake /proc.
	pid := strconv.Itoa(os.Getpid())
	os.WriteFile(filepath.Join(lock, "LCK..ttyUSB2"), fmt.Appendf(nil, "%10s\n", pid), 0o644)
	os.MkdirAll(filepath.Join(proc, pid), 0o755)
	os.WriteFile(filepath.Join(proc, pid, "comm"), []byte("ModemManager\n"), 0o644)
	fp := &fakeProber{answers: map[string]ProbeResult{"/dev/ttyUSB1": {AT: true}}}
	_, err := Discovery{probe: fp.probe, LockDir: lock, ProcRoot: proc}.Discover(context.Background(), d, h.Ports(mustBuiltin(t), d))
	var pb *PortBusyError
	if !errors.As(err, &pb) || !errors.Is(err, uucplock.ErrBusy) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"ttyUSB2 is held by ModemManager (pid " + pid, "mmcli --inhibit-device=/sys/bus/usb/devices/1-2", `ENV{ID_MM_DEVICE_IGNORE}="1"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%s", want, err)
		}
	}
	if diff := cmp.Diff([]string{"ttyUSB1"}, fp.paths()); diff != "" {
		t.Errorf("probed (-want +got):\n%s", diff)
	}
}

// BenchmarkChoosePortParallel probes three ports, one silent, with a 20 ms
// probe timeout. Probed in parallel it takes about 20 ms per op; one after
// the other it would take the silent port's 20 ms plus the others'.
func BenchmarkChoosePortParallel(b *testing.B) {
	ports := []modeswitch.Port{
		{Name: "ttyUSB0", Path: "/dev/ttyUSB0"}, {Name: "ttyUSB1", Path: "/dev/ttyUSB1"}, {Name: "ttyUSB2", Path: "/dev/ttyUSB2"},
	}
	fp := &fakeProber{answers: map[string]ProbeResult{"/dev/ttyUSB1": {AT: true}, "/dev/ttyUSB2": {AT: true, DataPort: true}}}
	const timeout = 20 * time.Millisecond
	for b.Loop() {
		if _, err := (Discovery{probe: fp.probe, ProbeTimeout: timeout}).choosePort(context.Background(), ports); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(timeout), "timeouts/op")
}

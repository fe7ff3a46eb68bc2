package modeswitch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
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

func hostFor(t *testing.T, tree string) (*Host, Device) {
	t.Helper()
	h := &Host{Sysfs: sysfsTree(tree), Dev: "/dev"}
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
	c, err := ChoosePort(context.Background(), ports, fp.probe, time.Second)
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
	pm := ParseGetPortMode("^GETPORTMODE: TYPE: WCDMA: Huawei Technologies Co., Ltd,MDM:0,DIAG:1,PCUI:2")
	if diff := cmp.Diff(map[string]int{"MDM": 0, "DIAG": 1, "PCUI": 2}, pm); diff != "" {
		t.Fatalf("ParseGetPortMode (-want +got):\n%s", diff)
	}
	fp := &fakeProber{answers: map[string]ProbeResult{
		"/dev/ttyUSB0": {AT: true},
		"/dev/ttyUSB2": {AT: true, PortMode: pm},
	}}
	var c Choice
	var err error
	synctest.Test(t, func(t *testing.T) { // ttyUSB1 is silent: let its timeout pass on the fake clock
		c, err = ChoosePort(context.Background(), h.Ports(mustBuiltin(t), d), fp.probe, time.Second)
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Port.Name != "ttyUSB0" || c.Reason != "AT^GETPORTMODE MDM" {
		t.Errorf("chose %+v (%s)", c.Port, c.Reason)
	}
	var roles []Role
	for _, p := range c.Ports {
		roles = append(roles, p.Role)
	}
	if diff := cmp.Diff([]Role{RolePPP, RoleDiag, RoleAT}, roles); diff != "" {
		t.Errorf("roles (-want +got):\n%s", diff)
	}
}

// Three simulated ports at once: one silent, one AT but not a data port, one
// modem. The modem is chosen, and the whole probe takes one probe timeout
// (synctest's clock), not three.
func TestChoosePortParallel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ports := []Port{
			{Name: "ttyUSB0", Path: "/dev/ttyUSB0", Interface: 0},
			{Name: "ttyUSB1", Path: "/dev/ttyUSB1", Interface: 1},
			{Name: "ttyUSB2", Path: "/dev/ttyUSB2", Interface: 2},
		}
		fp := &fakeProber{answers: map[string]ProbeResult{
			"/dev/ttyUSB1": {AT: true},
			"/dev/ttyUSB2": {AT: true, DataPort: true},
		}}
		start := time.Now()
		c, err := ChoosePort(context.Background(), ports, fp.probe, 2*time.Second)
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
	ports := []Port{{Name: "ttyUSB0", Path: "/dev/ttyUSB0", Role: RoleDiag}, {Name: "ttyUSB1", Path: "/dev/ttyUSB1"}}
	fp := &fakeProber{answers: map[string]ProbeResult{"/dev/ttyUSB1": {AT: true}}}
	_, err := ChoosePort(context.Background(), ports, fp.probe, time.Second)
	if !errors.Is(err, ErrNoPort) || !strings.Contains(err.Error(), "ttyUSB0 (diag, not probed), ttyUSB1 (AT, not a data port)") {
		t.Errorf("err = %v", err)
	}
}

func TestDiscoverCachesAndReprobes(t *testing.T) {
	h, d := hostFor(t, "mf622-modem-option")
	db := mustBuiltin(t)
	cache := &PortCache{Dir: t.TempDir()}
	fp := &fakeProber{answers: map[string]ProbeResult{"/dev/ttyUSB1": {AT: true}, "/dev/ttyUSB2": {AT: true}}}
	opt := DiscoverOptions{Prober: fp.probe, Cache: cache}
	c, err := h.Discover(context.Background(), db, d, opt)
	if err != nil || c.Port.Name != "ttyUSB2" || c.FromCache {
		t.Fatalf("first: %+v %v", c.Port, err)
	}
	b, err := os.ReadFile(filepath.Join(cache.Dir, "ports", "19d2-0001-P671A2TMED010000.json"))
	if err != nil || !strings.Contains(string(b), `"interface": 2`) {
		t.Fatalf("cache file %q %v", b, err)
	}
	fp.probed = nil
	c, err = h.Discover(context.Background(), db, d, opt)
	if err != nil || !c.FromCache || c.Port.Name != "ttyUSB2" || len(fp.paths()) != 0 {
		t.Errorf("second: %+v %v probed %v", c, err, fp.paths())
	}
	opt.Reprobe = true // the cached port failed
	c, err = h.Discover(context.Background(), db, d, opt)
	if err != nil || c.FromCache || len(fp.paths()) != 2 {
		t.Errorf("reprobe: %+v %v probed %v", c, err, fp.paths())
	}
}

func TestDiscoverHeldPort(t *testing.T) {
	h, d := hostFor(t, "mf622-modem-option")
	lock, proc := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(lock, "LCK..ttyUSB2"), []byte("      4242\n"), 0o644)
	os.MkdirAll(filepath.Join(proc, "4242"), 0o755)
	os.WriteFile(filepath.Join(proc, "4242", "comm"), []byte("ModemManager\n"), 0o644)
	fp := &fakeProber{answers: map[string]ProbeResult{"/dev/ttyUSB1": {AT: true}}}
	_, err := h.Discover(context.Background(), mustBuiltin(t), d, DiscoverOptions{Prober: fp.probe, LockDir: lock, ProcRoot: proc})
	var pb *PortBusyError
	if !errors.As(err, &pb) || !errors.Is(err, ErrPortBusy) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"ttyUSB2 is held by ModemManager (pid 4242", "mmcli --inhibit-device=/sys/bus/usb/devices/1-2", `ENV{ID_MM_DEVICE_IGNORE}="1"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%s", want, err)
		}
	}
	if diff := cmp.Diff([]string{"ttyUSB1"}, fp.paths()); diff != "" {
		t.Errorf("probed (-want +got):\n%s", diff)
	}
}

func TestFindHolder(t *testing.T) {
	lock, proc := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(lock, "LCK..ttyUSB0"), []byte("      1234\n"), 0o644)
	os.WriteFile(filepath.Join(lock, "LCK..ttyUSB1"), []byte{0x39, 0x30, 0, 0}, 0o644) // binary 12345
	os.MkdirAll(filepath.Join(proc, "1234"), 0o755)
	os.WriteFile(filepath.Join(proc, "1234", "comm"), []byte("pppd\n"), 0o644)
	h, err := FindHolder(lock, proc, "/dev/ttyUSB0")
	if err != nil || h == nil || h.PID != 1234 || h.Name != "pppd" {
		t.Errorf("ASCII lock: %+v %v", h, err)
	}
	h, err = FindHolder(lock, proc, "ttyUSB1")
	if err != nil || h == nil || h.PID != 12345 || h.Name != "" || !strings.Contains(h.String(), "stale") {
		t.Errorf("binary lock: %+v %v", h, err)
	}
	if h, err := FindHolder(lock, proc, "ttyUSB9"); h != nil || err != nil {
		t.Errorf("no lock: %+v %v", h, err)
	}
}

func TestUdevRule(t *testing.T) {
	db := mustBuiltin(t)
	r := UdevRule(db, "/usr/bin/zdial")
	line := func(id ID) string {
		return `ACTION=="bind", ATTR{idVendor}=="` + id.String()[:4] + `", ATTR{idProduct}=="` + id.String()[5:] +
			`", RUN+="/usr/bin/zdial switch --no-wait %k", GOTO="zdial_end"` + "\n"
	}
	// Storage-mode IDs: the run that sends the switch.
	for _, id := range db.StorageIDs() {
		if !strings.Contains(r, line(id)) {
			t.Errorf("rule lacks %s", line(id))
		}
	}
	// Modem-mode IDs: the run after re-enumeration that binds option.
	for _, id := range []ID{{0x19d2, 0x0001}, {0x12d1, 0x1001}, {0x1199, 0x6812}} {
		if !strings.Contains(r, line(id)) {
			t.Errorf("rule lacks %s", line(id))
		}
	}
	// The MF636DB keeps 19d2:0033 in both modes: one line, so one run per
	// event, and whether it switches or binds is decided by what sysfs shows.
	if n := strings.Count(r, `ATTR{idProduct}=="0033"`); n != 1 {
		t.Errorf("19d2:0033 has %d RUN lines, want 1", n)
	}
	if strings.Contains(r, `ACTION=="add"`) || strings.Count(r, "RUN+=") != strings.Count(r, "--no-wait %k") {
		t.Errorf("every RUN must be a --no-wait run on bind:\n%s", r)
	}
	if !strings.Contains(r, `ATTRS{idVendor}=="19d2", ATTRS{idProduct}=="0001", ENV{ID_MM_DEVICE_IGNORE}="1"`) {
		t.Errorf("no ModemManager line for 19d2:0001")
	}
	// Every GOTO has its LABEL, and every LABEL is used.
	gotos, labels := map[string]bool{}, map[string]bool{}
	for _, l := range strings.Split(r, "\n") {
		if i := strings.Index(l, `GOTO="`); i >= 0 {
			gotos[strings.SplitN(l[i+6:], `"`, 2)[0]] = true
		}
		if strings.HasPrefix(l, `LABEL="`) {
			labels[strings.SplitN(l[7:], `"`, 2)[0]] = true
		}
	}
	if !cmp.Equal(gotos, labels) {
		t.Errorf("GOTOs %v vs LABELs %v", gotos, labels)
	}
	if UdevRule(db, "/usr/bin/zdial") != r {
		t.Errorf("not deterministic")
	}
}

// BenchmarkChoosePortParallel probes three ports, one silent, with a 20 ms
// probe timeout. Probed in parallel it takes about 20 ms per op; one after
// the other it would take the silent port's 20 ms plus the others'.
func BenchmarkChoosePortParallel(b *testing.B) {
	ports := []Port{
		{Name: "ttyUSB0", Path: "/dev/ttyUSB0"}, {Name: "ttyUSB1", Path: "/dev/ttyUSB1"}, {Name: "ttyUSB2", Path: "/dev/ttyUSB2"},
	}
	fp := &fakeProber{answers: map[string]ProbeResult{"/dev/ttyUSB1": {AT: true}, "/dev/ttyUSB2": {AT: true, DataPort: true}}}
	const timeout = 20 * time.Millisecond
	for b.Loop() {
		if _, err := ChoosePort(context.Background(), ports, fp.probe, timeout); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(timeout), "timeouts/op")
}

func TestPortsE1750(t *testing.T) {
	h, d := hostFor(t, "e1750-modem")
	want := []Port{
		{Name: "ttyUSB0", Path: "/dev/ttyUSB0", Interface: 0, Driver: "option", Role: RolePPP},
		{Name: "ttyUSB1", Path: "/dev/ttyUSB1", Interface: 1, Driver: "option", Role: RoleDiag},
		{Name: "ttyUSB2", Path: "/dev/ttyUSB2", Interface: 2, Driver: "option", Role: RoleAT},
	}
	if diff := cmp.Diff(want, h.Ports(mustBuiltin(t), d)); diff != "" {
		t.Errorf("ports (-want +got):\n%s", diff)
	}
}

func TestInfoE1750(t *testing.T) {
	db := mustBuiltin(t)
	h := &Host{Sysfs: sysfsTree("e1750-modem"), Dev: "/dev"}
	gs, err := h.Dongles(db)
	if err != nil {
		t.Fatal(err)
	}
	in := h.Info(db, gs[0])
	if in.ID != (ID{0x12d1, 0x1001}) || in.Mode != ModeModem || !in.Known || len(in.Ports) != 3 ||
		in.Ports[0].Role != RolePPP || !cmp.Equal(in.Drivers, []string{"option", "usb-storage"}) {
		t.Errorf("info = %+v", in)
	}
	if PermanentModemCommand(in.ID) != "^U2DIAG=0" || PermanentModemCommand(ID{0x19d2, 1}) != "+ZCDRUN=8" {
		t.Errorf("permanent commands wrong")
	}
}

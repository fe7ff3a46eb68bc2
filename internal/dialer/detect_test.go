package dialer_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zdial/zdial/internal/profile"
	"github.com/zdial/zdial/internal/sysfstest"

	"github.com/zdial/zdial/carriers"
	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/uucplock"
	modeswitch "github.com/zdial/zdial/switch"
	"github.com/zdial/zdial/switch/switchtest"
)

// copySysfs copies a fake sysfs tree from testdata/sysfs (symlinks as
// symlinks), so that nothing a test runs can change the shared fixture.
func copySysfs(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("..", "..", "testdata", "sysfs", name)
	dst := filepath.Join(t.TempDir(), name)
	sysfstest.Copy(t, src, dst)
	return dst
}

// dongleEnv is a dongle on fake sysfs whose ttys are simulated modems:
// dev/ttyUSBn is a symlink to the pty serving persona n.
type dongleEnv struct {
	sys, dev, state, locks string
	mu                     sync.Mutex // guards notes: Progress runs on Connect's goroutines
	notes                  []string
}

func newDongleEnv(t *testing.T, tree string, personas ...string) (*dongleEnv, map[string]*ptyRef) {
	e := &dongleEnv{sys: copySysfs(t, tree), dev: t.TempDir(), state: t.TempDir(), locks: t.TempDir()}
	refs := map[string]*ptyRef{}
	for i, persona := range personas {
		pty := simTTY(t, persona)
		tty := fmt.Sprintf("ttyUSB%d", i)
		if err := os.Symlink(pty.Path, filepath.Join(e.dev, tty)); err != nil {
			t.Fatal(err)
		}
		refs[tty] = &ptyRef{persona: persona, received: pty.Sim.Received}
	}
	return e, refs
}

type ptyRef struct {
	persona  string
	received func() []string
}

func (e *dongleEnv) options(t *testing.T) dialer.Dialer {
	profile, err := profile.Resolve(nil, carriers.Builtin(), "three")
	if err != nil {
		t.Fatal(err)
	}
	return dialer.Dialer{
		Profile:   profile,
		DevRoot:   e.dev,
		LockDir:   e.locks,
		ProcRoot:  "/proc",
		StateDir:  e.state,
		DryRun:    true,
		GuardTime: 20 * time.Millisecond,
		Progress: func(ev dialer.Event) {
			if ev.Note != "" {
				e.mu.Lock()
				e.notes = append(e.notes, ev.Note)
				e.mu.Unlock()
			}
		},
		DetectOptions: dialer.DetectOptions{
			SysfsRoot:         e.sys,
			Modprobe:          filepath.Join(e.dev, "no-modprobe"),
			ModeswitchDataDir: filepath.Join(e.dev, "no-usb-modeswitch-data"),
			ModeswitchEtcDir:  filepath.Join(e.dev, "no-usb-modeswitch-etc"),
			USBEvents:         make(switchtest.Events),
			SwitchWait:        5 * time.Second,
			ProbeTimeout:      probeTimeout,
		},
	}
}

func (e *dongleEnv) connect(t *testing.T, o dialer.Dialer) (dialer.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e.mu.Lock()
	e.notes = nil
	e.mu.Unlock()
	return dialer.Connect(ctx, o)
}

func (e *dongleEnv) saw(want string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, n := range e.notes {
		if strings.Contains(n, want) {
			return true
		}
	}
	return false
}

func (e *dongleEnv) allNotes() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return strings.Join(e.notes, "\n")
}

func TestDetectDialsDatabasePPPPort(t *testing.T) {
	e, sims := newDongleEnv(t, "mf622-modem-option", "diag-silent", "aux-at", "zte-mf622")
	res, err := e.connect(t, e.options(t))
	if err != nil {
		t.Fatalf("%v\nnotes:\n%s", err, e.allNotes())
	}
	if want := filepath.Join(e.dev, "ttyUSB2"); res.Port != want || res.Rate != "7200000" {
		t.Errorf("port %s rate %q, want %s at 7200000", res.Port, res.Rate, want)
	}
	for _, want := range []string{"found ZTE MF620/MF622", "19d2:0001", "PPP port " + filepath.Join(e.dev, "ttyUSB2") + " (database role)"} {
		if !e.saw(want) {
			t.Errorf("no progress note %q in:\n%s", want, e.allNotes())
		}
	}
	if got := sims["ttyUSB0"].received(); len(got) != 0 {
		t.Errorf("the diag port (database role) received %q", got)
	}
	cache := filepath.Join(e.state, "ports", "19d2-0001-P671A2TMED010000.json")
	if _, err := os.Stat(cache); err != nil {
		t.Fatalf("port not cached: %v", err)
	}

	// The second run trusts the cache after one AT: the other ports stay untouched.
	auxBefore := len(sims["ttyUSB1"].received())
	res, err = e.connect(t, e.options(t))
	if err != nil || res.Port != filepath.Join(e.dev, "ttyUSB2") {
		t.Fatalf("second run: %s, %v", res.Port, err)
	}
	if !e.saw("(cache)") {
		t.Errorf("second run did not use the cache:\n%s", e.allNotes())
	}
	if n := len(sims["ttyUSB1"].received()); n != auxBefore {
		t.Errorf("the AT port was probed again although the cache named the PPP port")
	}
}

func TestDetectReprobesWhenCachedPortIsSilent(t *testing.T) {
	// A Huawei E173 in modem mode: the database gives no port roles.
	e, _ := newDongleEnv(t, "modem-mode", "aux-at", "diag-silent", "zte-mf622")
	// The cache remembers the silent diag port as the PPP port (interface 1).
	// 12d1:1436 has no serial, so the entry is the model's.
	cache := filepath.Join(e.state, "ports", "12d1-1436.json")
	if err := os.MkdirAll(filepath.Dir(cache), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cache, []byte(`{"id": "12d1:1436", "interface": 1, "tty": "ttyUSB1", "reason": "test"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := e.connect(t, e.options(t))
	if err != nil {
		t.Fatalf("%v\nnotes:\n%s", err, e.allNotes())
	}
	if res.Port != filepath.Join(e.dev, "ttyUSB2") {
		t.Errorf("port %s, want ttyUSB2", res.Port)
	}
	if !e.saw("does not answer") || !e.saw("(data-port check)") {
		t.Errorf("notes do not show the re-probe:\n%s", e.allNotes())
	}
	if b, err := os.ReadFile(cache); err != nil || !strings.Contains(string(b), `"interface": 2`) {
		t.Errorf("cache now says %s (%v), want interface 2", b, err)
	}
}

func TestDetectSwitchesZeroCD(t *testing.T) {
	e, _ := newDongleEnv(t, "mf622-zerocd", "diag-silent", "aux-at", "zte-mf622")
	modem := copySysfs(t, "mf622-modem-option")
	// sysfs is a symlink, re-pointed at the modem-mode tree the moment zdial
	// opens the dongle's usbdevfs node: the device re-enumerates as it is
	// switched, and WaitFor's first look at sysfs must see that.
	link := filepath.Join(t.TempDir(), "sys")
	if err := os.Symlink(e.sys, link); err != nil {
		t.Fatal(err)
	}
	usb := filepath.Join(e.dev, "bus/usb/001/005")
	disk := filepath.Join(e.dev, "bus/usb/001/002")
	bus := &switchtest.FakeBus{Devices: map[string]*switchtest.FakeUSB{usb: {}, disk: {}}}
	o := e.options(t)
	o.SysfsRoot = link
	o.USBOpen = func(path string) (modeswitch.USBDevice, error) {
		tmp := link + ".new"
		if err := os.Symlink(modem, tmp); err != nil {
			return nil, err
		}
		if err := os.Rename(tmp, link); err != nil {
			return nil, err
		}
		return bus.Open(path)
	}
	res, err := e.connect(t, o)
	if err != nil {
		t.Fatalf("%v\nnotes:\n%s", err, e.allNotes())
	}
	if res.Port != filepath.Join(e.dev, "ttyUSB2") {
		t.Errorf("port %s, want ttyUSB2", res.Port)
	}
	if got := bus.Opened(); len(got) != 1 || got[0] != usb {
		t.Errorf("usbdevfs opened %q, want only the MF622 %s", got, usb)
	}
	if len(bus.Devices[usb].Calls()) == 0 || len(bus.Devices[disk].Calls()) != 0 {
		t.Errorf("calls: MF622 %q, disk %q", bus.Devices[usb].Calls(), bus.Devices[disk].Calls())
	}
	for _, want := range []string{"storage mode", "switching 1-2 to modem mode (StandardEject)", "switched: 1-2 is now 19d2:0001"} {
		if !e.saw(want) {
			t.Errorf("no note %q in:\n%s", want, e.allNotes())
		}
	}
}

func TestDetectFailuresClassify(t *testing.T) {
	noDongle := func(t *testing.T, e *dongleEnv) {
		// The ZeroCD tree without the MF622: only a root hub and a disk.
		os.RemoveAll(filepath.Join(e.sys, "devices/pci0000:00/0000:00:14.0/usb1/1-2"))
		os.Remove(filepath.Join(e.sys, "bus/usb/devices/1-2"))
		os.Remove(filepath.Join(e.sys, "bus/usb/devices/1-2:1.0"))
	}
	busy := func(t *testing.T, e *dongleEnv) {
		// ttyUSB2 is a link to a pty: the lock is named by the real device.
		lock, err := uucplock.Dir{Path: e.locks, DevRoot: e.dev}.LockPath("ttyUSB2")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(lock, fmt.Appendf(nil, "%10d\n", os.Getpid()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name, tree string
		setup      func(*testing.T, *dongleEnv)
		sentinel   error
		class      dialer.Class
		text       string
	}{
		{"no dongle", "mf622-zerocd", noDongle, modeswitch.ErrNoDongle, dialer.ClassPort, "0781:5567 SanDisk Cruzer Blade"},
		{"unknown device", "unknown", nil, modeswitch.ErrUnknownDevice, dialer.ClassPort, `storage: ["19d2:beef"]`},
		{"PPP port held", "mf622-modem-option", busy, uucplock.ErrBusy, dialer.ClassBusy, fmt.Sprintf("pid %d", os.Getpid())},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := newDongleEnv(t, tc.tree, "diag-silent", "aux-at", "zte-mf622")
			if tc.setup != nil {
				tc.setup(t, e)
			}
			_, err := e.connect(t, e.options(t))
			if !errors.Is(err, tc.sentinel) {
				t.Fatalf("err = %v, want %v", err, tc.sentinel)
			}
			if c := dialer.Classify(err); c != tc.class {
				t.Errorf("Classify = %v, want %v", c, tc.class)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("error lacks %q:\n%v", tc.text, err)
			}
		})
	}
}

func TestClassifyModeswitchErrors(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want dialer.Class
	}{
		{&modeswitch.NoDongleError{}, dialer.ClassPort},
		{&modeswitch.UnknownDeviceError{}, dialer.ClassPort},
		{&modeswitch.SwitchError{Err: errors.New("x")}, dialer.ClassPort},
		{&modeswitch.PermissionError{Op: "write", Path: "/sys/x", Need: "root"}, dialer.ClassPort},
		{&dialer.PortBusyError{Port: "ttyUSB2"}, dialer.ClassBusy},
		{fmt.Errorf("wrapped: %w", modeswitch.ErrNoPort), dialer.ClassPort},
		{&modeswitch.OpError{Op: "watch uevents", Err: errors.New("socket")}, dialer.ClassOther},
	} {
		if got := dialer.Classify(tc.err); got != tc.want {
			t.Errorf("Classify(%T %v) = %v, want %v", tc.err, tc.err, got, tc.want)
		}
	}
}

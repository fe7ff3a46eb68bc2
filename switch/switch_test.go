package modeswitch_test

import (
	. "github.com/zdial/zdial/switch"
	"github.com/zdial/zdial/switch/switchtest"

	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zdial/zdial/internal/sysfstest"

	"github.com/google/go-cmp/cmp"
)

const pci = "devices/pci0000:00/0000:00:14.0/usb1"

// fakeKernel plays the kernel's part in a switch on a copied sysfs tree: it
// swaps device directories and sends uevents. Every step waits for zdial's
// own action (the end of the usbdevfs exchange, the write to new_id through
// a FIFO), so the test needs no sleeps.
type fakeKernel struct {
	t      *testing.T
	sys    string
	dev    string
	events switchtest.Events
}

// replaceDevice swaps sys/<pci>/<name> for the same directory of tree,
// atomically enough for readers: the device is briefly absent, as during a
// real re-enumeration.
func (k *fakeKernel) replaceDevice(tree, name string) {
	k.t.Helper()
	stage := filepath.Join(k.t.TempDir(), "stage")
	sysfstest.Copy(k.t, filepath.Join(SysfsTree(tree), pci, name), stage)
	old := filepath.Join(k.sys, pci, name)
	if err := os.Rename(old, old+".gone"); err != nil {
		k.t.Error(err)
	}
	if err := os.RemoveAll(old + ".gone"); err != nil {
		k.t.Error(err)
	}
	if err := os.Rename(stage, old); err != nil {
		k.t.Error(err)
	}
	// interface links under bus/usb/devices
	ents, _ := os.ReadDir(old)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), name+":") {
			link := filepath.Join(k.sys, "bus/usb/devices", e.Name())
			os.Remove(link)
			os.Symlink("../../../"+pci+"/"+name+"/"+e.Name(), link)
		}
	}
}

func (k *fakeKernel) send(action, name string) {
	k.events <- Event{Action: action, DevPath: "/" + pci + "/" + name, Subsystem: "usb"}
}

// TestSwitchMF622NextToDisk is the seed scenario: a ZTE MF622 in ZeroCD mode
// beside a USB disk. The switch must touch the MF622 only.
func TestSwitchMF622NextToDisk(t *testing.T) {
	sys := CopyTree(t, "mf622-zerocd")
	dev := t.TempDir()
	// option is loaded but does not know 19d2:0001 on this kernel; its
	// new_id is a FIFO so the fake kernel sees zdial's write.
	optDir := filepath.Join(sys, "bus/usb-serial/drivers/option1")
	os.MkdirAll(optDir, 0o755)
	if err := syscall.Mkfifo(filepath.Join(optDir, "new_id"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := Snapshot(t, sys)

	disk, mf := &switchtest.FakeUSB{}, &switchtest.FakeUSB{}
	released := make(chan struct{})
	bus := &switchtest.FakeBus{Devices: map[string]*switchtest.FakeUSB{
		filepath.Join(dev, "bus/usb/001/002"): disk,
		filepath.Join(dev, "bus/usb/001/005"): mf,
	}}
	events := make(switchtest.Events, 8)
	h := &Host{Sysfs: sys, Dev: dev, Open: func(p string) (USBDevice, error) {
		d, err := bus.Open(p)
		if err != nil {
			return nil, err
		}
		return closeNotifier{d, released}, nil
	}, Events: events}
	k := &fakeKernel{t: t, sys: sys, dev: dev, events: events}

	newID := make(chan string, 1)
	kernelDone := make(chan struct{})
	go func() {
		defer close(kernelDone)
		<-released // zdial closed the usbdevfs handle: the MF622 re-enumerates
		k.send("remove", "1-2")
		k.replaceDevice("mf622-modem-unbound", "1-2")
		k.send("add", "1-2")
		f, err := os.Open(filepath.Join(optDir, "new_id")) // blocks until zdial writes
		if err != nil {
			t.Error(err)
			return
		}
		line, _ := bufio.NewReader(f).ReadString('\n')
		f.Close()
		newID <- line
		k.replaceDevice("mf622-modem-option", "1-2")
		for _, n := range []string{"ttyUSB0", "ttyUSB1", "ttyUSB2"} {
			os.WriteFile(filepath.Join(dev, n), nil, 0o600) // devtmpfs nodes
		}
		k.send("bind", "1-2:1.0")
	}()

	db := MustBuiltin(t)
	gs, err := h.Dongles(db)
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 1 || gs[0].Device.Name != "1-2" {
		t.Fatalf("dongles = %+v", gs)
	}
	res, err := h.Switch(context.Background(), gs[0])
	<-kernelDone
	if err != nil {
		t.Fatal(err)
	}

	if got := <-newID; got != "19d2 0001 ff" {
		t.Errorf("new_id got %q", got)
	}
	if res.Device.ID != (ID{0x19d2, 0x0001}) || !res.Bound || res.Method != Method("StandardEject") || len(res.Device.TTYs()) != 3 {
		t.Errorf("result = %+v", res)
	}
	// usbdevfs: only the MF622's node was opened; the disk saw nothing.
	if diff := cmp.Diff([]string{filepath.Join(dev, "bus/usb/001/005")}, bus.Opened()); diff != "" {
		t.Errorf("opened (-want +got):\n%s", diff)
	}
	if c := disk.Calls(); len(c) != 0 {
		t.Errorf("disk touched: %q", c)
	}
	if c := mf.Calls(); len(c) != 13 || c[0] != "detach kernel driver 0" || c[12] != "close" {
		t.Errorf("MF622 calls = %q", c)
	}
	// sysfs: nothing changed outside the MF622's own directory (which the
	// fake kernel replaced), and the disk's driver files are untouched.
	var outside []string
	for _, d := range DiffTrees(before, Snapshot(t, sys)) {
		if !strings.HasPrefix(d, pci+"/1-2/") && !strings.HasPrefix(d, "bus/usb/devices/1-2:") {
			outside = append(outside, d)
		}
	}
	if len(outside) != 0 {
		t.Errorf("sysfs changed outside the MF622:\n%s", strings.Join(outside, "\n"))
	}
	if b, _ := os.ReadFile(filepath.Join(sys, "bus/usb/drivers/usb-storage/unbind")); len(b) != 0 {
		t.Errorf("usb-storage unbind written: %q", b)
	}
}

// closeNotifier closes a channel when zdial closes its usbdevfs handle.
type closeNotifier struct {
	USBDevice
	done chan struct{}
}

func (c closeNotifier) Close() error {
	err := c.USBDevice.Close()
	close(c.done)
	return err
}

func TestDetachStorageOnlyUnbindsThatDeviceOnly(t *testing.T) {
	sys := CopyTree(t, "mf622-zerocd")
	before := Snapshot(t, sys)
	dev := t.TempDir()
	e := Entry{Name: "gentle", Storage: []ID{{0x19d2, 0x2000}}, Switch: &SwitchSpec{Method: Method("DetachStorageOnly")},
		Targets: []Target{{ID: ID{0x19d2, 0x0001}}}}
	synctest.Test(t, func(t *testing.T) {
		// The event channel belongs to the bubble, so waiting on it lets fake time run.
		h := &Host{Sysfs: sys, Dev: dev, Events: make(switchtest.Events), Open: (&switchtest.FakeBus{}).Open, Wait: 5 * time.Second}
		devs, _ := h.Devices()
		_, err := h.Switch(context.Background(), Dongle{Device: devs[1], Mode: ModeStorage, Entry: &e})
		var se *SwitchError
		if !errors.As(err, &se) || !errors.Is(err, ErrSwitchFailed) {
			t.Fatalf("err = %v", err) // nothing re-enumerates in this test
		}
		if !strings.Contains(se.Observed, "stayed in storage mode as 19d2:2000 for 5s") ||
			len(se.Sent) != 1 || se.Sent[0] != `write "1-2:1.0" to bus/usb/drivers/usb-storage/unbind` {
			t.Errorf("observed %q sent %q", se.Observed, se.Sent)
		}
	})
	diff := DiffTrees(before, Snapshot(t, sys))
	if want := []string{"bus/usb/drivers/usb-storage/unbind:  → 1-2:1.0"}; !cmp.Equal(want, diff) {
		t.Errorf("sysfs changes = %q, want %q", diff, want)
	}
}

// A switch that does not take reports what was sent and what the device did.
func TestSwitchThatDoesNotTake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := CopyTree(t, "mf622-zerocd")
		dev := t.TempDir()
		f := &switchtest.FakeUSB{CSWStatus: []uint8{1, 1}}
		bus := &switchtest.FakeBus{Devices: map[string]*switchtest.FakeUSB{filepath.Join(dev, "bus/usb/001/005"): f}}
		h := &Host{Sysfs: sys, Dev: dev, Open: bus.Open, Events: make(switchtest.Events)}
		devs, _ := h.Devices()
		g := ClassifyAll(MustBuiltin(t), devs)[0]
		start := time.Now()
		_, err := h.Switch(context.Background(), g)
		var se *SwitchError
		if !errors.As(err, &se) {
			t.Fatalf("err = %v", err)
		}
		if time.Since(start) != DefaultWait {
			t.Errorf("gave up after %v, want %v", time.Since(start), DefaultWait)
		}
		msg := se.Error()
		for _, want := range []string{
			"switching 19d2:2000 with StandardEject did not take",
			"message 1: CSW status 1",
			"stayed in storage mode as 19d2:2000 for 20s",
			"bulk out 0x01 message 2: 5553424397654321000000000000061b000000020000000000000000000000",
			"context deadline exceeded",
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("error lacks %q:\n%s", want, msg)
			}
		}
	})
}

func TestSwitchUnknownDevice(t *testing.T) {
	h := &Host{Sysfs: SysfsTree("unknown"), Dev: t.TempDir(), Open: (&switchtest.FakeBus{}).Open, Events: make(switchtest.Events)}
	gs, err := h.Dongles(MustBuiltin(t))
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Switch(context.Background(), gs[0])
	var ue *UnknownDeviceError
	if !errors.As(err, &ue) || !errors.Is(err, ErrUnknownDevice) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), `storage: ["19d2:beef"]`) || !strings.Contains(err.Error(), "usb-modeswitch-data") {
		t.Errorf("message:\n%s", err)
	}
}

// A dongle already in modem mode with its ttys: no usbdevfs, no sysfs write.
func TestSwitchAlreadyModem(t *testing.T) {
	sys := CopyTree(t, "modem-mode")
	dev := t.TempDir()
	for _, n := range []string{"ttyUSB0", "ttyUSB1", "ttyUSB2"} {
		os.WriteFile(filepath.Join(dev, n), nil, 0o600)
	}
	before := Snapshot(t, sys)
	bus := &switchtest.FakeBus{}
	h := &Host{Sysfs: sys, Dev: dev, Open: bus.Open, Events: make(switchtest.Events)}
	gs, err := h.Dongles(MustBuiltin(t))
	if err != nil {
		t.Fatal(err)
	}
	res, err := h.Switch(context.Background(), gs[0])
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != "" || res.Bound || len(res.Sent) != 0 || len(res.Device.TTYs()) != 3 {
		t.Errorf("result = %+v", res)
	}
	if len(bus.Opened()) != 0 || len(DiffTrees(before, Snapshot(t, sys))) != 0 {
		t.Errorf("touched: opened %q", bus.Opened())
	}
}

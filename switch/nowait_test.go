package modeswitch_test

import (
	. "github.com/zdial/zdial/switch"
	"github.com/zdial/zdial/switch/switchtest"

	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// noEvents is an Events that fails the test if anything subscribes: the
// no-wait mode must not wait for the device.
type noEvents struct{ t *testing.T }

func (n noEvents) Watch(ctx context.Context) (<-chan Event, error) {
	n.t.Error("SwitchNoWait subscribed to uevents: it must not wait")
	return nil, context.Canceled
}

// TestSwitchNoWaitUdevFlow plays the udev rule's flow on the MF622 next to
// the USB disk: the storage device's bind event runs SwitchNoWait, which
// sends the eject and returns at once (no uevent wait, no time passes on
// the bubble's clock); the fake kernel re-enumerates the dongle as the
// unbound modem, whose bind event runs SwitchNoWait again, which writes
// new_id and returns without waiting for the ttys. Nothing else is touched.
func TestSwitchNoWaitUdevFlow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := CopyTree(t, "mf622-zerocd")
		dev := t.TempDir()
		optDir := filepath.Join(sys, "bus/usb-serial/drivers/option1")
		if err := os.MkdirAll(optDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(optDir, "new_id"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		before := Snapshot(t, sys)
		disk, mf := &switchtest.FakeUSB{}, &switchtest.FakeUSB{}
		bus := &switchtest.FakeBus{Devices: map[string]*switchtest.FakeUSB{
			filepath.Join(dev, "bus/usb/001/002"): disk,
			filepath.Join(dev, "bus/usb/001/005"): mf,
		}}
		h := &Host{Sysfs: sys, Dev: dev, Open: bus.Open, Events: noEvents{t}}
		db := MustBuiltin(t)
		start := time.Now()

		// 1. bind 1-2 19d2:2000: send the switch.
		g := dongleAt(t, h, db, "1-2")
		if g.Mode != ModeStorage {
			t.Fatalf("1-2 is %s, want storage", g.Mode)
		}
		res, err := h.SwitchNoWait(context.Background(), g)
		if err != nil {
			t.Fatal(err)
		}
		if res.Method != Method("StandardEject") || res.Bound || res.Device.ID != (ID{0x19d2, 0x2000}) || len(res.Sent) < 2 {
			t.Errorf("storage step: %+v", res)
		}
		calls := mf.Calls()
		if len(calls) == 0 || calls[0] != "detach kernel driver 0" || calls[len(calls)-1] != "close" ||
			!strings.Contains(strings.Join(calls, "\n"), "bulk out 0x01 5553424397654321000000000000061b0000000200") {
			t.Errorf("MF622 calls = %q, want the eject sequence", calls)
		}
		if diff := DiffTrees(before, Snapshot(t, sys)); len(diff) != 0 {
			t.Errorf("storage step wrote sysfs: %q", diff)
		}

		// The dongle re-enumerates (the fake kernel's part).
		k := &fakeKernel{t: t, sys: sys, dev: dev}
		k.replaceDevice("mf622-modem-unbound", "1-2")
		before = Snapshot(t, sys)

		// 2. bind 1-2 19d2:0001: bind option, do not wait for its ttys.
		g = dongleAt(t, h, db, "1-2")
		if g.Mode != ModeModem {
			t.Fatalf("1-2 is %s after the switch, want modem", g.Mode)
		}
		res, err = h.SwitchNoWait(context.Background(), g)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Bound || res.Method != "" || len(res.Device.TTYs()) != 0 ||
			!cmp.Equal(res.Sent, []string{`write "19d2 0001 ff" to bus/usb-serial/drivers/option1/new_id`}) {
			t.Errorf("modem step: %+v", res)
		}
		want := []string{"bus/usb-serial/drivers/option1/new_id:  → 19d2 0001 ff"}
		if diff := DiffTrees(before, Snapshot(t, sys)); !cmp.Equal(diff, want) {
			t.Errorf("modem step sysfs changes = %q, want %q", diff, want)
		}

		if d := time.Since(start); d != 0 {
			t.Errorf("the two runs took %v on the bubble's clock; --no-wait must not wait", d)
		}
		if diff := cmp.Diff([]string{filepath.Join(dev, "bus/usb/001/005")}, bus.Opened()); diff != "" {
			t.Errorf("opened (-want +got):\n%s", diff)
		}
		if c := disk.Calls(); len(c) != 0 {
			t.Errorf("disk touched: %q", c)
		}
	})
}

// A modem whose ports a serial driver already serves: the run does nothing.
func TestSwitchNoWaitAlreadyBound(t *testing.T) {
	sys := CopyTree(t, "mf622-modem-option")
	before := Snapshot(t, sys)
	bus := &switchtest.FakeBus{}
	h := &Host{Sysfs: sys, Dev: t.TempDir(), Open: bus.Open, Events: noEvents{t},
		WriteAttr: func(p, v string) error { t.Errorf("wrote %q to %s", v, p); return nil }}
	res, err := h.SwitchNoWait(context.Background(), dongleAt(t, h, MustBuiltin(t), "1-2"))
	if err != nil || res.Bound || len(res.Sent) != 0 {
		t.Errorf("res %+v err %v", res, err)
	}
	if len(bus.Opened()) != 0 || len(DiffTrees(before, Snapshot(t, sys))) != 0 {
		t.Errorf("touched the device")
	}
}

// Method("DetachStorageOnly") with --no-wait: the unbind goes out and the run returns.
func TestSwitchNoWaitDetachStorageOnly(t *testing.T) {
	sys := CopyTree(t, "mf622-zerocd")
	var writes []string
	h := &Host{Sysfs: sys, Dev: t.TempDir(), Open: (&switchtest.FakeBus{}).Open, Events: noEvents{t},
		WriteAttr: func(p, v string) error {
			rel, _ := filepath.Rel(sys, p)
			writes = append(writes, v+" > "+rel)
			return nil
		}}
	g := dongleAt(t, h, MustBuiltin(t), "1-2")
	g.Entry = &Entry{Name: "gentle", Storage: []ID{{0x19d2, 0x2000}}, Switch: &SwitchSpec{Method: Method("DetachStorageOnly")}}
	res, err := h.SwitchNoWait(context.Background(), g)
	if err != nil || res.Method != Method("DetachStorageOnly") {
		t.Fatalf("res %+v err %v", res, err)
	}
	if want := []string{"1-2:1.0 > bus/usb/drivers/usb-storage/unbind"}; !cmp.Equal(writes, want) {
		t.Errorf("writes = %q, want %q", writes, want)
	}
}

// The kernel refuses a duplicate dynamic ID with EEXIST: already bound, not an error.
func TestBindSerialNewIDExists(t *testing.T) {
	sys := CopyTree(t, "mf622-modem-unbound")
	h := &Host{Sysfs: sys, WriteAttr: func(p, v string) error {
		return &os.PathError{Op: "write", Path: p, Err: syscall.EEXIST}
	}}
	d, err := ReadDevice(os.DirFS(sys), "1-2")
	if err != nil {
		t.Fatal(err)
	}
	if bound, err := h.BindSerial(context.Background(), d); bound || err != nil {
		t.Errorf("bound=%v err=%v, want false, nil", bound, err)
	}
}

// dongleAt reads sysfs and returns the dongle at USB port name.
func dongleAt(t *testing.T, h *Host, db *DB, name string) Dongle {
	t.Helper()
	gs, err := h.Dongles(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gs {
		if g.Device.Name == name {
			return g
		}
	}
	t.Fatalf("no dongle at %s among %+v", name, gs)
	return Dongle{}
}

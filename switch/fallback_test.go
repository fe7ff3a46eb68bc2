package modeswitch_test

import (
	. "github.com/zdial/zdial/switch"
	"github.com/zdial/zdial/switch/switchtest"

	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// recordWrites is a Host.WriteAttr that records "value > path under sys".
func recordWrites(sys string, writes *[]string, err error) func(p, v string) error {
	return func(p, v string) error {
		rel, _ := filepath.Rel(sys, p)
		*writes = append(*writes, v+" > "+rel)
		return err
	}
}

// No /dev/bus/usb at all (a system without usbdevfs): the switch goes out
// as an unbind of usb-storage from the dongle's storage interface only, and
// the result says so and why. The real opener runs, on a /dev without usbdevfs.
func TestSwitchFallsBackWithoutUSBDevfs(t *testing.T) {
	sys := CopyTree(t, "mf622-zerocd")
	dev := t.TempDir() // no bus/usb under it
	var writes []string
	h := &Host{Sysfs: sys, Dev: dev, Events: noEvents{t}, WriteAttr: recordWrites(sys, &writes, nil)}
	res, err := h.SwitchNoWait(context.Background(), dongleAt(t, h, MustBuiltin(t), "1-2"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != Method("DetachStorageOnly") || res.Planned != Method("StandardEject") {
		t.Errorf("method %s (planned %s), want DetachStorageOnly in place of StandardEject", res.Method, res.Planned)
	}
	// The MF622 is 1-2; the USB disk beside it is 1-1 and keeps its driver.
	if want := []string{"1-2:1.0 > bus/usb/drivers/usb-storage/unbind"}; !cmp.Equal(writes, want) {
		t.Errorf("writes = %q, want %q", writes, want)
	}
	var ue *USBDevfsError
	if !errors.As(res.FellBack, &ue) || ue.Missing != filepath.Join(dev, "bus/usb") {
		t.Fatalf("FellBack = %v, want a *USBDevfsError naming the missing %s/bus/usb", res.FellBack, dev)
	}
	node := filepath.Join(dev, "bus/usb/001/005")
	if msg := res.FellBack.Error(); strings.Count(msg, node) != 1 || strings.Count(msg, "modeswitch:") != 1 {
		t.Errorf("FellBack text %q: want %s once and one package prefix", msg, node)
	}
}

// usbdevfs is there but the kernel refuses the requests: the same fallback.
func TestSwitchFallsBackWhenUSBDevfsRefuses(t *testing.T) {
	sys := CopyTree(t, "mf622-zerocd")
	dev := t.TempDir()
	node := filepath.Join(dev, "bus/usb/001/005")
	mf := &switchtest.FakeUSB{Refuse: &OpError{Op: "detach kernel driver", Path: node, Err: syscall.EINVAL}}
	bus := &switchtest.FakeBus{Devices: map[string]*switchtest.FakeUSB{node: mf}}
	var writes []string
	h := &Host{Sysfs: sys, Dev: dev, Open: bus.Open, Events: noEvents{t}, WriteAttr: recordWrites(sys, &writes, nil)}
	res, err := h.SwitchNoWait(context.Background(), dongleAt(t, h, MustBuiltin(t), "1-2"))
	if err != nil {
		t.Fatal(err)
	}
	var ue *USBDevfsError
	if res.Method != Method("DetachStorageOnly") || !errors.As(res.FellBack, &ue) || !ue.Transfer || !errors.Is(res.FellBack, syscall.EINVAL) {
		t.Errorf("res %+v: want DetachStorageOnly after usbdevfs refused with EINVAL", res)
	}
	if want := []string{"1-2:1.0 > bus/usb/drivers/usb-storage/unbind"}; !cmp.Equal(writes, want) {
		t.Errorf("writes = %q, want %q", writes, want)
	}
	if msg := res.FellBack.Error(); strings.Count(msg, node) != 1 {
		t.Errorf("FellBack text %q names %s %d times, want once", msg, node, strings.Count(msg, node))
	}
}

// A usbdevfs permission error is not a reason to fall back: the unbind
// needs root as well. It says what privilege is needed.
func TestSwitchNoFallbackOnPermission(t *testing.T) {
	sys := CopyTree(t, "mf622-zerocd")
	var writes []string
	h := &Host{Sysfs: sys, Dev: t.TempDir(), Events: noEvents{t}, WriteAttr: recordWrites(sys, &writes, nil),
		Open: func(p string) (USBDevice, error) { return nil, &os.PathError{Op: "open", Path: p, Err: syscall.EACCES} }}
	_, err := h.SwitchNoWait(context.Background(), dongleAt(t, h, MustBuiltin(t), "1-2"))
	if !errors.Is(err, ErrPermission) || len(writes) != 0 {
		t.Errorf("err %v, writes %q: want ErrPermission and no unbind", err, writes)
	}
}

// Neither way works: the error says what was tried, what the device did,
// and what to do, naming each path once.
func TestSwitchFallbackFails(t *testing.T) {
	sys := CopyTree(t, "mf622-zerocd")
	dev := t.TempDir()
	var writes []string
	unbind := filepath.Join(sys, "bus/usb/drivers/usb-storage/unbind")
	h := &Host{Sysfs: sys, Dev: dev, Events: noEvents{t},
		WriteAttr: recordWrites(sys, &writes, &os.PathError{Op: "open", Path: unbind, Err: syscall.ENOENT})}
	_, err := h.SwitchNoWait(context.Background(), dongleAt(t, h, MustBuiltin(t), "1-2"))
	var se *SwitchError
	if !errors.As(err, &se) || !errors.Is(err, ErrSwitchFailed) {
		t.Fatalf("err = %v, want a *SwitchError", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"switching 19d2:2000 with StandardEject did not take",
		"no usbdevfs: " + filepath.Join(dev, "bus/usb") + " does not exist",
		"tried StandardEject over usbdevfs",
		"then unbinding usb-storage from its storage interface: write " + unbind + ": no such file or directory",
		`write "1-2:1.0" to bus/usb/drivers/usb-storage/unbind`,
		"what to do: " + filepath.Join(dev, "bus/usb") + " is missing: mount devtmpfs on /dev",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if n := strings.Count(msg, "modeswitch:"); n != 1 {
		t.Errorf("%d package prefixes in:\n%s", n, msg)
	}
	if strings.Count(msg, unbind) != 1 {
		t.Errorf("%s more than once in:\n%s", unbind, msg)
	}
}

// Switch (waiting) after the fallback, on a dongle that does not switch by
// itself once its CD-ROM is let go: the error says usbdevfs is what it needs.
func TestSwitchFallbackThatDoesNotTake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := CopyTree(t, "mf622-zerocd")
		dev := t.TempDir()
		var writes []string
		h := &Host{Sysfs: sys, Dev: dev, Events: make(switchtest.Events), WriteAttr: recordWrites(sys, &writes, nil)}
		_, err := h.Switch(context.Background(), dongleAt(t, h, MustBuiltin(t), "1-2"))
		var se *SwitchError
		if !errors.As(err, &se) {
			t.Fatalf("err = %v", err)
		}
		msg := err.Error()
		for _, want := range []string{
			"switching 19d2:2000 with DetachStorageOnly did not take",
			"stayed in storage mode as 19d2:2000 for 20s",
			"instead of sending StandardEject",
			"mount devtmpfs on /dev",
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("error lacks %q:\n%s", want, msg)
			}
		}
	})
}

// udev runs the switch on add and again on bind (and a person may run it
// meanwhile): the switch goes out once per plug.
func TestSwitchNoWaitOncePerPlug(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := CopyTree(t, "mf622-zerocd")
		dev := t.TempDir()
		node := filepath.Join(dev, "bus/usb/001/005")
		mf := &switchtest.FakeUSB{}
		bus := &switchtest.FakeBus{Devices: map[string]*switchtest.FakeUSB{node: mf}}
		run := t.TempDir()
		h := &Host{Sysfs: sys, Dev: dev, Open: bus.Open, Events: noEvents{t}, RunDir: run}
		db := MustBuiltin(t)
		g := dongleAt(t, h, db, "1-2")

		// add: sends.
		res, err := h.SwitchNoWait(context.Background(), g)
		if err != nil || res.Already != "" || len(res.Sent) == 0 {
			t.Fatalf("first run: %+v, %v", res, err)
		}
		n := len(mf.Calls())
		// bind, 50 ms later, same enumeration: nothing goes out.
		time.Sleep(50 * time.Millisecond)
		res, err = h.SwitchNoWait(context.Background(), g)
		if err != nil || !strings.Contains(res.Already, "was sent its switch (StandardEject)") || len(res.Sent) != 0 {
			t.Errorf("second run: %+v, %v; want nothing sent", res, err)
		}
		if len(mf.Calls()) != n || len(bus.Opened()) != 1 {
			t.Errorf("second run touched the device: %q", mf.Calls()[n:])
		}

		// Another enumeration (a replug, or a switch that did not take and
		// came back): a new devnum is sent the switch again.
		g2 := g
		g2.Device.Devnum++
		bus.Devices[filepath.Join(dev, "bus/usb/001/006")] = mf
		if res, err := h.SwitchNoWait(context.Background(), g2); err != nil || res.Already != "" {
			t.Errorf("new devnum: %+v, %v; want sent", res, err)
		}
		// A record older than Host.Wait is stale: sent again.
		time.Sleep(DefaultWait)
		if res, err := h.SwitchNoWait(context.Background(), g2); err != nil || res.Already != "" {
			t.Errorf("after %v: %+v, %v; want sent", DefaultWait, res, err)
		}
	})
}

// While one zdial holds a device's switch lock, another sends nothing.
func TestSwitchNoWaitLockHeld(t *testing.T) {
	sys := CopyTree(t, "mf622-zerocd")
	dev := t.TempDir()
	bus := &switchtest.FakeBus{Devices: map[string]*switchtest.FakeUSB{filepath.Join(dev, "bus/usb/001/005"): {}}}
	run := t.TempDir()
	h := &Host{Sysfs: sys, Dev: dev, Open: bus.Open, Events: noEvents{t}, RunDir: run}
	g := dongleAt(t, h, MustBuiltin(t), "1-2")
	if _, err := h.SwitchNoWait(context.Background(), g); err != nil { // creates the record file
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(run, "switch", "1-2"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	g.Device.Devnum++ // a record for another enumeration: only the lock stops it
	res, err := h.SwitchNoWait(context.Background(), g)
	if err != nil || res.Already != "another zdial is switching 1-2 right now" {
		t.Errorf("res %+v err %v", res, err)
	}
	if len(bus.Opened()) != 1 {
		t.Errorf("opened %q while the lock was held", bus.Opened())
	}
}

// The records steer what root does at the next plug: a record directory
// that is a link is refused, and nothing is sent; one left open to others
// is closed (0700) before it is used.
func TestSwitchRecordDirMustBePrivate(t *testing.T) {
	sys := CopyTree(t, "mf622-zerocd")
	dev := t.TempDir()
	bus := &switchtest.FakeBus{Devices: map[string]*switchtest.FakeUSB{filepath.Join(dev, "bus/usb/001/005"): {}}}
	run := t.TempDir()
	if err := os.Symlink(t.TempDir(), filepath.Join(run, "switch")); err != nil {
		t.Fatal(err)
	}
	h := &Host{Sysfs: sys, Dev: dev, Open: bus.Open, Events: noEvents{t}, RunDir: run}
	_, err := h.SwitchNoWait(context.Background(), dongleAt(t, h, MustBuiltin(t), "1-2"))
	if err == nil || !strings.Contains(err.Error(), "symbolic link") || len(bus.Opened()) != 0 {
		t.Errorf("err %v, opened %q: want a refusal and nothing sent", err, bus.Opened())
	}
	open := t.TempDir()
	if err := os.Mkdir(filepath.Join(open, "switch"), 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Join(open, "switch"), 0o777)
	h.RunDir = open
	if _, err := h.SwitchNoWait(context.Background(), dongleAt(t, h, MustBuiltin(t), "1-2")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(open, "switch")); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("record dir mode %v (%v), want 0700", fi.Mode(), err)
	}
}

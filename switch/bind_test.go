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
)

func TestBindSerialWritesNewID(t *testing.T) {
	sys := CopyTree(t, "mf622-modem-unbound")
	before := Snapshot(t, sys)
	h := &Host{Sysfs: sys}
	d, err := ReadDevice(os.DirFS(sys), "1-2")
	if err != nil {
		t.Fatal(err)
	}
	bound, err := h.BindSerial(context.Background(), d)
	if err != nil || !bound {
		t.Fatalf("bound=%v err=%v", bound, err)
	}
	diff := DiffTrees(before, Snapshot(t, sys))
	if len(diff) != 1 || diff[0] != "bus/usb-serial/drivers/option1/new_id:  → 19d2 0001 ff" {
		t.Errorf("sysfs changes = %q", diff)
	}
}

func TestBindSerialAlreadyBound(t *testing.T) {
	sys := CopyTree(t, "mf622-modem-option")
	before := Snapshot(t, sys)
	d, _ := ReadDevice(os.DirFS(sys), "1-2")
	bound, err := (&Host{Sysfs: sys}).BindSerial(context.Background(), d)
	if err != nil || bound || len(DiffTrees(before, Snapshot(t, sys))) != 0 {
		t.Errorf("bound=%v err=%v", bound, err)
	}
}

// With option not loaded, modprobe (a script standing in for it) runs with
// the single argument "option", and new_id is written after it.
func TestBindSerialLoadsOption(t *testing.T) {
	sys := CopyTree(t, "mf622-modem-unbound")
	os.RemoveAll(filepath.Join(sys, "bus/usb-serial"))
	dir := t.TempDir()
	args := filepath.Join(dir, "args")
	mp := filepath.Join(dir, "modprobe")
	script := "#!/bin/sh\necho \"$@\" > " + args + "\nmkdir -p " + sys + "/bus/usb-serial/drivers/option1\n: > " + sys + "/bus/usb-serial/drivers/option1/new_id\n"
	if err := os.WriteFile(mp, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	d, _ := ReadDevice(os.DirFS(sys), "1-2")
	bound, err := (&Host{Sysfs: sys, Modprobe: mp}).BindSerial(context.Background(), d)
	if err != nil || !bound {
		t.Fatalf("bound=%v err=%v", bound, err)
	}
	if b, _ := os.ReadFile(args); string(b) != "option\n" {
		t.Errorf("modprobe args = %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(sys, OptionNewID)); string(b) != "19d2 0001 ff" {
		t.Errorf("new_id = %q", b)
	}
}

func TestBindSerialNoModprobe(t *testing.T) {
	sys := CopyTree(t, "mf622-modem-unbound")
	os.RemoveAll(filepath.Join(sys, "bus/usb-serial"))
	d, _ := ReadDevice(os.DirFS(sys), "1-2")
	for _, mp := range []string{"", filepath.Join(t.TempDir(), "modprobe")} {
		_, err := (&Host{Sysfs: sys, Modprobe: mp}).BindSerial(context.Background(), d)
		if err == nil || !strings.Contains(err.Error(), "option driver is not loaded") {
			t.Errorf("modprobe %q: err = %v", mp, err)
		}
		if _, serr := os.Stat(filepath.Join(sys, "bus/usb-serial")); serr == nil {
			t.Errorf("created bus/usb-serial")
		}
	}
}

// Every sysfs write and usbdevfs open the kernel refuses (EACCES, EPERM)
// says which privilege it needs: root, or the udev rule that runs zdial as
// root. The refusals are injected through Host.WriteAttr and Host.Open,
// the seams the code writes and opens through, so this runs as root too.
func TestPermissionErrorSaysWhatIsNeeded(t *testing.T) {
	refuse := func(errno syscall.Errno) func(string, string) error {
		return func(p, _ string) error { return &os.PathError{Op: "open", Path: p, Err: errno} }
	}
	openRefused := func(errno syscall.Errno) OpenFunc {
		return func(p string) (USBDevice, error) { return nil, &os.PathError{Op: "open", Path: p, Err: errno} }
	}
	claimRefused := func(string) (USBDevice, error) { return claimDenied{&switchtest.FakeUSB{}}, nil }
	gentle := &Entry{Name: "gentle", Storage: []ID{{0x19d2, 0x2000}}, Switch: &SwitchSpec{Method: Method("DetachStorageOnly")}}
	for _, tc := range []struct {
		name   string
		tree   string
		host   Host
		entry  *Entry // overrides the database's
		noWait bool
		op     string // PermissionError.Op
		path   string // suffix of PermissionError.Path
		need   string
	}{
		{name: "new_id EACCES", tree: "mf622-modem-unbound", host: Host{WriteAttr: refuse(syscall.EACCES)},
			op: "write", path: OptionNewID, need: "needs root: sysfs driver files"},
		{name: "new_id EPERM, no-wait", tree: "mf622-modem-unbound", host: Host{WriteAttr: refuse(syscall.EPERM)}, noWait: true,
			op: "write", path: OptionNewID, need: "needs root: sysfs driver files"},
		{name: "usb-storage unbind", tree: "mf622-zerocd", host: Host{WriteAttr: refuse(syscall.EACCES)}, entry: gentle,
			op: "write", path: USBStorageUnbind, need: "needs root: sysfs driver files"},
		{name: "usbdevfs open EACCES", tree: "mf622-zerocd", host: Host{Open: openRefused(syscall.EACCES)},
			op: "open", path: "bus/usb/001/005", need: "needs root, or write access to the usbdevfs node"},
		{name: "usbdevfs open EPERM, no-wait", tree: "mf622-zerocd", host: Host{Open: openRefused(syscall.EPERM)}, noWait: true,
			op: "open", path: "bus/usb/001/005", need: "needs root, or write access to the usbdevfs node"},
		{name: "usbdevfs ioctl", tree: "mf622-zerocd", host: Host{Open: claimRefused},
			op: "claim", path: "bus/usb/001/005", need: "needs root: usbdevfs requests"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { // a failed switch would wait: let fake time run it out
				h := tc.host
				h.Sysfs, h.Dev, h.Events = CopyTree(t, tc.tree), t.TempDir(), make(switchtest.Events)
				if h.Open == nil {
					h.Open = (&switchtest.FakeBus{}).Open
				}
				g := dongleAt(t, &h, MustBuiltin(t), "1-2")
				if tc.entry != nil {
					g.Entry = tc.entry
				}
				var err error
				if tc.noWait {
					_, err = h.SwitchNoWait(context.Background(), g)
				} else {
					_, err = h.Switch(context.Background(), g)
				}
				var pe *PermissionError
				if !errors.As(err, &pe) || !errors.Is(err, ErrPermission) {
					t.Fatalf("err = %v, want a *PermissionError", err)
				}
				if errors.Is(err, ErrSwitchFailed) {
					t.Errorf("a refusal reported as a switch that did not take: %v", err)
				}
				if pe.Op != tc.op || !strings.HasSuffix(pe.Path, tc.path) {
					t.Errorf("op %q path %q, want %q …%s", pe.Op, pe.Path, tc.op, tc.path)
				}
				for _, want := range []string{"permission denied", tc.need, "sudo", "udev rule"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error lacks %q:\n%s", want, err)
					}
				}
			})
		})
	}
}

// claimDenied is a usbdevfs device whose CLAIMINTERFACE the kernel refuses,
// as openUSBDevfs reports it.
type claimDenied struct{ *switchtest.FakeUSB }

func (c claimDenied) Claim(iface int) error {
	return &PermissionError{Op: "claim", Path: "/dev/bus/usb/001/005", Need: NeedUSBIoctl, Err: syscall.EPERM}
}

// The same through the file system, where the kernel (not a seam) refuses:
// only a user other than root is refused.
func TestPermissionErrorFromFileMode(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root is never refused by file modes; TestPermissionErrorSaysWhatIsNeeded injects the refusal")
	}
	sys := CopyTree(t, "mf622-modem-unbound")
	os.Chmod(filepath.Join(sys, OptionNewID), 0o444)
	d, _ := ReadDevice(os.DirFS(sys), "1-2")
	_, err := (&Host{Sysfs: sys}).BindSerial(context.Background(), d)
	var pe *PermissionError
	if !errors.As(err, &pe) || !errors.Is(err, ErrPermission) || !strings.Contains(err.Error(), "needs root") {
		t.Errorf("err = %v", err)
	}
}

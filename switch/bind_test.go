package modeswitch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBindSerialWritesNewID(t *testing.T) {
	sys := copyTree(t, "mf622-modem-unbound")
	before := snapshot(t, sys)
	h := &Host{Sysfs: sys}
	d, err := ReadDevice(os.DirFS(sys), "1-2")
	if err != nil {
		t.Fatal(err)
	}
	bound, err := h.BindSerial(context.Background(), d)
	if err != nil || !bound {
		t.Fatalf("bound=%v err=%v", bound, err)
	}
	diff := diffTrees(before, snapshot(t, sys))
	if len(diff) != 1 || diff[0] != "bus/usb-serial/drivers/option1/new_id:  → 19d2 0001 ff" {
		t.Errorf("sysfs changes = %q", diff)
	}
}

func TestBindSerialAlreadyBound(t *testing.T) {
	sys := copyTree(t, "mf622-modem-option")
	before := snapshot(t, sys)
	d, _ := ReadDevice(os.DirFS(sys), "1-2")
	bound, err := (&Host{Sysfs: sys}).BindSerial(context.Background(), d)
	if err != nil || bound || len(diffTrees(before, snapshot(t, sys))) != 0 {
		t.Errorf("bound=%v err=%v", bound, err)
	}
}

// With option not loaded, modprobe (a script standing in for it) runs with
// the single argument "option", and new_id is written after it.
func TestBindSerialLoadsOption(t *testing.T) {
	sys := copyTree(t, "mf622-modem-unbound")
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
	if b, _ := os.ReadFile(filepath.Join(sys, optionNewID)); string(b) != "19d2 0001 ff" {
		t.Errorf("new_id = %q", b)
	}
}

func TestBindSerialNoModprobe(t *testing.T) {
	sys := copyTree(t, "mf622-modem-unbound")
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

func TestPermissionErrorSaysWhatIsNeeded(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root is never denied")
	}
	sys := copyTree(t, "mf622-modem-unbound")
	os.Chmod(filepath.Join(sys, optionNewID), 0o444)
	d, _ := ReadDevice(os.DirFS(sys), "1-2")
	_, err := (&Host{Sysfs: sys}).BindSerial(context.Background(), d)
	var pe *PermissionError
	if !errors.As(err, &pe) || !errors.Is(err, ErrPermission) || !strings.Contains(err.Error(), "needs root") {
		t.Errorf("err = %v", err)
	}
}

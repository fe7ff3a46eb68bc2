package uucplock

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// fakeDev is a /dev with one port, ttyUSB2, and the names udev gives it.
func fakeDev(t *testing.T) (dev string, aliases []string) {
	t.Helper()
	dev = t.TempDir()
	if err := os.WriteFile(filepath.Join(dev, "ttyUSB2"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dev, "serial/by-id"), 0o755); err != nil {
		t.Fatal(err)
	}
	byID := filepath.Join(dev, "serial/by-id/usb-ZTE_MF622-if02-port0")
	if err := os.Symlink("../../ttyUSB2", byID); err != nil {
		t.Fatal(err)
	}
	gsm := filepath.Join(dev, "gsmmodem")
	if err := os.Symlink(byID, gsm); err != nil { // a link to a link
		t.Fatal(err)
	}
	return dev, []string{filepath.Join(dev, "ttyUSB2"), byID, gsm}
}

func TestAliasesTakeOneLock(t *testing.T) {
	_, names := fakeDev(t)
	holder := liveProcess(t)
	for _, first := range names {
		d := Dir{Path: t.TempDir()}
		l, err := acquireAs(d, first, holder)
		if err != nil {
			t.Fatalf("Acquire(%s): %v", first, err)
		}
		if got := filepath.Base(l.Path()); got != "LCK..ttyUSB2" {
			t.Errorf("Acquire(%s) locked %s, want LCK..ttyUSB2 (the real device's name)", first, got)
		}
		for _, other := range names {
			_, err := acquireAs(d, other, os.Getpid())
			var busy *BusyError
			if !errors.As(err, &busy) || busy.PID != holder {
				t.Errorf("%s is locked as %s; Acquire(%s) = %v, want busy with PID %d", first, l.Path(), other, err, holder)
			}
			if h, err := holderOf(d, other); err != nil || h == nil || h.PID != holder {
				t.Errorf("%s is locked as %s; holder of %s = %v, %v; want PID %d", first, l.Path(), other, h, err, holder)
			}
		}
		l.Release()
	}
}

func TestBareNameIsLookedUpUnderDevRoot(t *testing.T) {
	dev, _ := fakeDev(t)
	d := Dir{Path: t.TempDir(), DevRoot: dev}
	for _, name := range []string{"ttyUSB2", "gsmmodem", "serial/by-id/usb-ZTE_MF622-if02-port0"} {
		p, err := d.LockPath(name)
		if err != nil || p != filepath.Join(d.Path, "LCK..ttyUSB2") {
			t.Errorf("LockPath(%s) = %s, %v; want %s/LCK..ttyUSB2", name, p, err, d.Path)
		}
	}
	holder := liveProcess(t)
	l, err := acquireAs(d, "gsmmodem", holder)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if h, err := d.Holder("ttyUSB2"); err != nil || h == nil || h.PID != holder {
		t.Errorf("Holder(ttyUSB2) = %v, %v; want PID %d", h, err, holder)
	}
	// A port that does not exist is locked under the name given.
	if p, err := d.LockPath("ttyUSB9"); err != nil || p != filepath.Join(d.Path, "LCK..ttyUSB9") {
		t.Errorf("LockPath(ttyUSB9) = %s, %v", p, err)
	}
}

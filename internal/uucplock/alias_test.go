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

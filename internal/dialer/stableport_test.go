package dialer

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	modeswitch "github.com/zdial/zdial/switch"
)

func TestStablePort(t *testing.T) {
	state, dev := t.TempDir(), t.TempDir()
	byID := filepath.Join(dev, "serial", "by-id")
	if err := os.MkdirAll(byID, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{
		"usb-ZTE_MF622_P671A2-if00-port0": "../../ttyUSB0",
		"usb-ZTE_MF622_P671A2-if02-port0": "../../ttyUSB2",
		"usb-FTDI_cable_X1-if00-port0":    "../../ttyUSB3",
	} {
		if err := os.Symlink(target, filepath.Join(byID, name)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := StablePort(state, dev); !errors.Is(err, ErrNoStablePort) {
		t.Fatalf("empty cache: err = %v, want ErrNoStablePort", err)
	}
	c := portCache{Dir: state}
	zte := modeswitch.Device{ID: modeswitch.ID{Vendor: 0x19d2, Product: 0x0001}, Serial: "P671A2"}
	if err := c.Store(zte, modeswitch.Port{Name: "ttyUSB2", Interface: 2}, "test"); err != nil {
		t.Fatal(err)
	}
	got, err := StablePort(state, dev)
	if want := filepath.Join(byID, "usb-ZTE_MF622_P671A2-if02-port0"); err != nil || got != want {
		t.Fatalf("StablePort = %q, %v; want %q", got, err, want)
	}
	other := modeswitch.Device{ID: modeswitch.ID{Vendor: 0x12d1, Product: 0x1001}}
	if err := c.Store(other, modeswitch.Port{Name: "ttyUSB5", Interface: 0}, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := StablePort(state, dev); !errors.Is(err, ErrNoStablePort) {
		t.Errorf("two cached devices: err = %v, want ErrNoStablePort", err)
	}
}

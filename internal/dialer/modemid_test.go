package dialer

import (
	"os"
	"path/filepath"
	"testing"
)

// The modem id of a ttyUSB port is its USB device's, keyed as the port
// cache is; a port with no USB device behind it has none.
func TestModemID(t *testing.T) {
	sys := t.TempDir()
	dev := filepath.Join(sys, "devices", "pci0000:00", "usb1", "1-1")
	port := filepath.Join(dev, "1-1:1.2", "ttyUSB2")
	for _, d := range []string{port, filepath.Join(sys, "class", "tty", "ttyUSB2"), filepath.Join(sys, "class", "tty", "ttyS0")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, v := range map[string]string{"idVendor": "19d2\n", "idProduct": "0001\n", "serial": "P671A2/TMED\n"} {
		if err := os.WriteFile(filepath.Join(dev, name), []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(port, filepath.Join(sys, "class", "tty", "ttyUSB2", "device")); err != nil {
		t.Fatal(err)
	}
	if got, want := modemID(sys, "/dev/ttyUSB2"), "19d2-0001-P671A2_TMED"; got != want {
		t.Errorf("modemID(ttyUSB2) = %q, want %q", got, want)
	}
	for _, p := range []string{"/dev/ttyS0", "/dev/pts/3"} {
		if got := modemID(sys, p); got != "" {
			t.Errorf("modemID(%s) = %q, want none", p, got)
		}
	}
}

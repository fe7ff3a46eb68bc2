package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// fakeSysfs lays out a host sysfs with one ZeroCD device and, if driver is set, a driver
// link on its storage interface.
func fakeSysfs(t *testing.T, serial string, driver bool) string {
	t.Helper()
	root := t.TempDir()
	dev := filepath.Join(root, "bus/usb/devices/1-1")
	iface := filepath.Join(root, "bus/usb/devices/1-1:1.0")
	for _, d := range []string{dev, iface, filepath.Join(root, "bus/usb/drivers/usb-storage")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, v := range map[string]string{"idVendor": "19d2\n", "idProduct": "2000\n", "serial": serial + "\n"} {
		if err := os.WriteFile(filepath.Join(dev, name), []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if driver {
		if err := os.Symlink("../../drivers/usb-storage", filepath.Join(iface, "driver")); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestStorageClaimed(t *testing.T) {
	tests := []struct {
		name        string
		serial      string
		driver      bool
		wantClaimed bool
		wantErr     error
	}{
		{"claimed", "S1", true, true, nil},
		{"unclaimed", "S1", false, false, nil},
		{"other serial", "S2", true, false, errNoDevice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := fakeSysfs(t, tt.serial, tt.driver)
			got, err := storageClaimed(root, zteVendor, zteZeroCD, "S1")
			if !errors.Is(err, tt.wantErr) || got != tt.wantClaimed {
				t.Fatalf("storageClaimed = %v, %v; want %v, %v", got, err, tt.wantClaimed, tt.wantErr)
			}
		})
	}
}

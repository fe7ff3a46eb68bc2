package sysfstest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const lab = "../../testdata/sysfs/real/mf622-lab.txt"

// A small capture in the lab's format, with every kind of line.
const sample = `# header
==== SNAPSHOT s
## 1-1 -> ../../../devices/platform/dummy_hcd.0/usb1/1-1
## 1-1:1.0 -> ../../../devices/platform/dummy_hcd.0/usb1/1-1/1-1:1.0
1-1/1-1:1.0/
1-1/bNumInterfaces =  1|
1-1/configuration = 
1-1/uevent: DEVNAME=bus/usb/001/002
1-1/uevent: BUSNUM=001
1-1:1.0/driver -> ../../../../../../bus/usb/drivers/option
1-1:1.0/ttyUSB0/
/sys/bus/usb/devices/1-1:1.0/ttyUSB0/tty/ttyUSB0
/sys/bus/usb/devices/1-1:1.0/ttyUSB0/driver/ttyUSB0
crw-------    1 root     root      188,   0 Nov 25 15:50 /dev/ttyUSB0

/dev/bus/usb/001/:
total 0
crw-------    1 root     root      189,   1 Nov 25 15:50 002
/sys/bus/usb-serial/drivers/:
drwxr-xr-x    2 root     root             0 Nov 25 15:50 option1
/sys/bus/usb/drivers/:
drwxr-xr-x    2 root     root             0 Nov 25 15:50 option
==== END s
`

func TestMaterialiseSample(t *testing.T) {
	snaps, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Find(snaps, "s")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sys, dev := filepath.Join(dir, "sys"), filepath.Join(dir, "dev")
	if err := s.Materialise(sys, dev); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"bus/usb/devices/1-1/bNumInterfaces":                                " 1\n", // padding kept
		"bus/usb/devices/1-1/configuration":                                 "",
		"devices/platform/dummy_hcd.0/usb1/1-1/uevent":                      "DEVNAME=bus/usb/001/002\nBUSNUM=001\n",
		"bus/usb/devices/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0":                   "(dir)",
		"devices/platform/dummy_hcd.0/usb1/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0": "(dir)",
		"bus/usb-serial/drivers/option1/new_id":                             "",
		"bus/usb/drivers/option/unbind":                                     "",
	}
	for p, want := range files {
		full := filepath.Join(sys, p)
		if want == "(dir)" {
			if fi, err := os.Stat(full); err != nil || !fi.IsDir() {
				t.Errorf("%s: not a directory (%v)", p, err)
			}
			continue
		}
		b, err := os.ReadFile(full)
		if err != nil || string(b) != want {
			t.Errorf("%s = %q, %v; want %q", p, b, err, want)
		}
	}
	if target, err := os.Readlink(filepath.Join(sys, "bus/usb/devices/1-1:1.0/driver")); err != nil || filepath.Base(target) != "option" {
		t.Errorf("driver link = %q, %v", target, err)
	}
	if fi, err := os.Stat(filepath.Join(sys, "bus/usb/devices/1-1:1.0/driver")); err != nil || !fi.IsDir() {
		t.Errorf("driver link does not resolve to the driver's directory: %v", err)
	}
	// A listed path through a driver link is not invented as a directory.
	if _, err := os.Lstat(filepath.Join(sys, "devices/platform/dummy_hcd.0/usb1/1-1/1-1:1.0/ttyUSB0/driver")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ttyUSB0/driver exists: %v", err)
	}
	for _, p := range []string{"ttyUSB0", "bus/usb/001/002"} {
		if _, err := os.Stat(filepath.Join(dev, p)); err != nil {
			t.Errorf("/dev/%s: %v", p, err)
		}
	}
	if diff := cmp.Diff(map[string]string{"DEVNAME": "bus/usb/001/002", "BUSNUM": "001"}, s.Uevent("1-1")); diff != "" {
		t.Errorf("Uevent (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"1-1", "1-1:1.0"}, s.Entries()); diff != "" {
		t.Errorf("Entries (-want +got):\n%s", diff)
	}
	var devs []string
	for _, n := range s.Dev {
		devs = append(devs, n.Path)
		if n.Path == "ttyUSB0" && (n.Type != CharDev || n.Major != 188 || n.Minor != 0) {
			t.Errorf("ttyUSB0 node = %+v", n)
		}
	}
	if diff := cmp.Diff([]string{"ttyUSB0", "bus/usb/001/002"}, devs); diff != "" {
		t.Errorf("dev nodes (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, in string }{
		{"unknown line", "==== SNAPSHOT a\nwhat is this\n==== END a\n"},
		{"no END", "==== SNAPSHOT a\n"},
		{"END of another", "==== SNAPSHOT a\n==== END b\n"},
		{"outside a snapshot", "1-1/idVendor = 19d2|\n"},
		{"entry leaving the root", "==== SNAPSHOT a\n## x -> ../../../../etc\n==== END a\n"},
		{"ls line without listing", "==== SNAPSHOT a\ncrw-------  1 root root 188, 0 Nov 25 15:50 ttyUSB0\n==== END a\n"},
		{"listed path outside /sys", "==== SNAPSHOT a\n/proc/1\n==== END a\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.in))
			var pe *ParseError
			if !errors.Is(err, ErrSyntax) || !errors.As(err, &pe) || pe.Line == 0 {
				t.Errorf("Parse = %v, want a *ParseError with a line wrapping ErrSyntax", err)
			}
		})
	}
	if _, err := Find(nil, "zerocd"); !errors.Is(err, ErrNoSnapshot) {
		t.Errorf("Find = %v, want ErrNoSnapshot", err)
	}
}

// The lab's capture parses whole, and each state materialises.
func TestLabCapture(t *testing.T) {
	snaps, err := ReadFile(lab)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range snaps {
		names = append(names, s.Name)
		if err := s.Materialise(filepath.Join(t.TempDir(), "sys"), filepath.Join(t.TempDir(), "dev")); err != nil {
			t.Error(err)
		}
	}
	if diff := cmp.Diff([]string{"zerocd", "modem-unbound", "modem-bound"}, names); diff != "" {
		t.Errorf("snapshots (-want +got):\n%s", diff)
	}
}

package modeswitch

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadDevicesMF622NextToDisk(t *testing.T) {
	devs, err := readDevices(os.DirFS(sysfsTree("mf622-zerocd")))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range devs {
		names = append(names, d.Name+" "+d.ID.String())
	}
	if diff := cmp.Diff([]string{"1-1 0781:5567", "1-2 19d2:2000", "usb1 1d6b:0002"}, names); diff != "" {
		t.Fatalf("devices (-want +got):\n%s", diff)
	}
	mf := devs[1]
	want := Device{
		Name: "1-2", ID: ID{0x19d2, 0x2000}, Manufacturer: "ZTE, Incorporated", Product: "USB Storage",
		Serial: "P671A2TMED010000", Busnum: 1, Devnum: 5, Configuration: 1,
		Interfaces: []Interface{{
			Name: "1-2:1.0", Number: 0, Class: 0x08, SubClass: 0x06, Protocol: 0x50, Driver: "usb-storage",
			endpoints: []endpoint{{Address: 0x01, Attributes: 2}, {Address: 0x81, Attributes: 2}},
		}},
	}
	if diff := cmp.Diff(want, mf, cmp.AllowUnexported(Interface{})); diff != "" {
		t.Errorf("MF622 (-want +got):\n%s", diff)
	}
	if got := mf.devPath("/dev"); got != "/dev/bus/usb/001/005" {
		t.Errorf("DevPath = %q", got)
	}
	if !mf.storageOnly() || !devs[0].storageOnly() || !devs[2].isHub() {
		t.Errorf("StorageOnly/Hub wrong: %+v", devs)
	}
}

func TestReadDevicesTTYs(t *testing.T) {
	tests := []struct {
		tree, dev string
		want      []ttyNode
	}{
		{"mf622-modem-option", "1-2", []ttyNode{{"ttyUSB0", 0, "option"}, {"ttyUSB1", 1, "option"}, {"ttyUSB2", 2, "option"}}},
		{"mf622-modem-unbound", "1-2", nil},
		{"e1750-modem", "1-3", []ttyNode{{"ttyUSB0", 0, "option"}, {"ttyUSB1", 1, "option"}, {"ttyUSB2", 2, "option"}}},
		{"unknown", "1-5", []ttyNode{{"ttyACM0", 0, "cdc_acm"}}},
		{"modem-mode", "1-2", []ttyNode{{"ttyUSB0", 0, "option"}, {"ttyUSB1", 1, "option"}, {"ttyUSB2", 2, "option"}}},
	}
	for _, tt := range tests {
		t.Run(tt.tree, func(t *testing.T) {
			d, err := readDevice(os.DirFS(sysfsTree(tt.tree)), tt.dev)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, d.ttys()); diff != "" {
				t.Errorf("TTYs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadDevicesEndpointsAndSerialless(t *testing.T) {
	d, err := readDevice(os.DirFS(sysfsTree("e1750-modem")), "1-3")
	if err != nil {
		t.Fatal(err)
	}
	if d.Serial != "" || d.ID != (ID{0x12d1, 0x1001}) || len(d.Interfaces) != 5 {
		t.Fatalf("E1750 = %+v", d)
	}
	in, _ := d.Interface(0)
	want := []endpoint{{0x01, 2}, {0x81, 3}, {0x82, 2}}
	if diff := cmp.Diff(want, in.endpoints); diff != "" {
		t.Errorf("interface 0 endpoints (-want +got):\n%s", diff)
	}
	if !in.endpoints[1].In() || in.endpoints[1].Bulk() || !in.endpoints[2].Bulk() {
		t.Errorf("endpoint helpers wrong")
	}
}

// A machine with no USB host controller has no /sys/bus/usb: that is "no
// devices", which findDongles reports as no dongle, not an I/O error.
func TestReadDevicesMissingSysfs(t *testing.T) {
	devs, err := readDevices(os.DirFS(t.TempDir()))
	if err != nil || len(devs) != 0 {
		t.Fatalf("readDevices on an empty sysfs = %v, %v; want none, nil", devs, err)
	}
	_, err = findDongles(mustBuiltin(t), devs)
	if !errors.Is(err, ErrNoDongle) || !strings.Contains(err.Error(), "no USB devices at all") {
		t.Errorf("findDongles = %v, want ErrNoDongle saying no USB devices", err)
	}
}

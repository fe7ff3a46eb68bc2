package modeswitch

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/zdial/zdial/internal/sysfstest"
)

// labCapture is a real kernel's sysfs and /dev (Debian 6.1, in the lab's
// QEMU guest) with the emulated MF622 on usb1 and a USB disk on usb2, in
// three states. It differs from the hand-made trees under testdata/sysfs
// where those guessed: attributes padded with spaces (bNumInterfaces " 3",
// bAlternateSetting " 0", version " 2.00"), the host controller on a
// platform device instead of PCI, the tty one level deeper
// (1-1:1.N/ttyUSBN/tty/ttyUSBN), device numbers that grow at every
// re-enumeration, and ep_* directories captured without their files.
const labCapture = "../testdata/sysfs/real/mf622-lab.txt"

// realDevice is what the lab's MF622 looks like to readDevice in one state.
type realDevice struct {
	id         ID
	devnum     int
	interfaces []Interface // endpoints compared by count only (see labCapture)
}

func TestRealSysfsMF622(t *testing.T) {
	db := mustBuiltin(t)
	vendor := func(n int, drv string) Interface {
		return Interface{Name: "1-1:1." + strconv.Itoa(n), Number: n, Class: classVendor, Driver: drv}
	}
	tests := []struct {
		snap      string
		dev       realDevice
		mode      Mode
		bound     bool
		ports     []Port // Path relative to the /dev root
		numIfaces string // the raw bNumInterfaces, to prove the padding is still there
	}{
		{
			snap: "zerocd",
			dev: realDevice{id: ID{0x19d2, 0x2000}, devnum: 2, interfaces: []Interface{{
				Name: "1-1:1.0", Class: classMassStorage, SubClass: 0x06, Protocol: 0x50, Driver: "usb-storage"}}},
			mode:      ModeStorage,
			numIfaces: " 1\n",
		},
		{
			snap: "modem-unbound",
			dev: realDevice{id: ID{0x19d2, 0x0001}, devnum: 3,
				interfaces: []Interface{vendor(0, ""), vendor(1, ""), vendor(2, "")}},
			mode:      ModeModem,
			numIfaces: " 3\n",
		},
		{
			snap: "modem-bound",
			dev: realDevice{id: ID{0x19d2, 0x0001}, devnum: 3,
				interfaces: []Interface{vendor(0, "option"), vendor(1, "option"), vendor(2, "option")}},
			mode:  ModeModem,
			bound: true,
			ports: []Port{
				{Name: "ttyUSB0", Path: "ttyUSB0", Interface: 0, Driver: "option", Role: RoleDiag},
				{Name: "ttyUSB1", Path: "ttyUSB1", Interface: 1, Driver: "option", Role: RoleAT},
				{Name: "ttyUSB2", Path: "ttyUSB2", Interface: 2, Driver: "option", Role: RolePPP},
			},
			numIfaces: " 3\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.snap, func(t *testing.T) {
			roots := sysfstest.Tree(t, labCapture, tt.snap)
			snap := labSnapshot(t, tt.snap)
			// The regression test is only worth something while the tree
			// carries the kernel's padding.
			raw := map[string]string{
				"bus/usb/devices/1-1/bNumInterfaces":        tt.numIfaces,
				"bus/usb/devices/1-1/version":               " 2.00\n",
				"bus/usb/devices/1-1:1.0/bAlternateSetting": " 0\n",
			}
			for p, want := range raw {
				if b, err := os.ReadFile(filepath.Join(roots.Sys, p)); err != nil || string(b) != want {
					t.Fatalf("materialised %s = %q, %v; want %q", p, b, err, want)
				}
			}

			devs, err := readDevices(os.DirFS(roots.Sys))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, d := range devs {
				names = append(names, d.Name+" "+d.ID.String())
			}
			want := []string{"1-1 " + tt.dev.id.String(), "2-1 0781:5567", "usb1 1d6b:0002", "usb2 1d6b:0002"}
			if diff := cmp.Diff(want, names); diff != "" {
				t.Fatalf("devices (-want +got):\n%s", diff)
			}
			mf, disk := devs[0], devs[1]
			wantDev := Device{Name: "1-1", ID: tt.dev.id, Manufacturer: "ZTE,Incorporated",
				Product: "ZTE CDMA Technologies MSM", Serial: "MF622LAB0001", Busnum: 1, Devnum: tt.dev.devnum,
				Configuration: 1, Interfaces: tt.dev.interfaces}
			if diff := cmp.Diff(wantDev, mf, cmpopts.IgnoreFields(Interface{}, "endpoints", "TTYs")); diff != "" {
				t.Errorf("MF622 (-want +got):\n%s", diff)
			}
			for _, in := range mf.Interfaces {
				if len(in.endpoints) != 2 {
					t.Errorf("%s: %d endpoints, want the 2 ep_* directories", in.Name, len(in.endpoints))
				}
			}

			// The usbdevfs node: busnum/devnum as the kernel's uevent
			// names it, and present in the captured /dev.
			for _, d := range []Device{mf, disk} {
				checkDevNode(t, snap, roots, d)
			}

			if !disk.storageOnly() || disk.Busnum != 2 {
				t.Errorf("bystander disk = %+v, want storage only on bus 2", disk)
			}
			dongles, err := findDongles(db, devs)
			if err != nil {
				t.Fatal(err)
			}
			if len(dongles) != 1 || dongles[0].Device.Name != "1-1" {
				t.Fatalf("dongles = %v, want only 1-1 (the disk on usb2 is not one)", dongleNames(dongles))
			}
			g := dongles[0]
			if g.Mode != tt.mode || g.Entry == nil || !slices.Contains(g.Entry.Models, "MF622") {
				t.Fatalf("dongle = mode %q entry %v, want %q MF622", g.Mode, g.Entry, tt.mode)
			}
			switch tt.mode {
			case ModeStorage:
				if g.Entry.Switch == nil || g.Entry.Switch.Method != standardEject {
					t.Errorf("switch = %+v, want standardEject", g.Entry.Switch)
				}
			case ModeModem:
				wantRoles := map[int]Role{0: RoleDiag, 1: RoleAT, 2: RolePPP}
				if g.Target == nil || g.Target.ID != tt.dev.id || !cmp.Equal(wantRoles, g.Target.Ports) {
					t.Errorf("target = %+v, want %s with %v", g.Target, tt.dev.id, wantRoles)
				}
			}
			if got := serialBound(mf); got != tt.bound {
				t.Errorf("Bound = %v, want %v", got, tt.bound)
			}

			h := &Host{Sysfs: roots.Sys, Dev: roots.Dev}
			var wantPorts []Port
			for _, p := range tt.ports {
				p.Path = filepath.Join(roots.Dev, p.Path)
				wantPorts = append(wantPorts, p)
			}
			gotPorts := h.Ports(db, mf)
			if diff := cmp.Diff(wantPorts, gotPorts); diff != "" {
				t.Errorf("Ports (-want +got):\n%s", diff)
			}
			for _, p := range gotPorts {
				if _, err := os.Stat(p.Path); err != nil {
					t.Errorf("port %s has no node in the captured /dev: %v", p.Name, err)
				}
			}
		})
	}
}

// checkDevNode checks d's usbdevfs path against the kernel's uevent
// (DEVNAME, BUSNUM, DEVNUM) and the captured /dev.
func checkDevNode(t *testing.T, snap *sysfstest.Snapshot, roots sysfstest.Roots, d Device) {
	t.Helper()
	ue := snap.Uevent(d.Name)
	if want := "/dev/" + ue["DEVNAME"]; d.devPath("/dev") != want {
		t.Errorf("%s: DevPath = %q, uevent says %q", d.Name, d.devPath("/dev"), want)
	}
	bus, _ := strconv.Atoi(ue["BUSNUM"])
	dev, _ := strconv.Atoi(ue["DEVNUM"])
	if d.Busnum != bus || d.Devnum != dev {
		t.Errorf("%s: bus %d dev %d, uevent says %s/%s", d.Name, d.Busnum, d.Devnum, ue["BUSNUM"], ue["DEVNUM"])
	}
	if _, err := os.Stat(d.devPath(roots.Dev)); err != nil {
		t.Errorf("%s: %v (not in the captured /dev)", d.Name, err)
	}
}

// After the switch the same sysfs name ("1-1") holds the modem under a new
// device number: the storage-mode node is gone from /dev, and the switch's
// wait (switched) recognises the re-read device as the MF622's target.
func TestRealSysfsReenumeration(t *testing.T) {
	db := mustBuiltin(t)
	zerocd := sysfstest.Tree(t, labCapture, "zerocd")
	modem := sysfstest.Tree(t, labCapture, "modem-unbound")
	before, err := readDevice(os.DirFS(zerocd.Sys), "1-1")
	if err != nil {
		t.Fatal(err)
	}
	after, err := readDevice(os.DirFS(modem.Sys), "1-1")
	if err != nil {
		t.Fatal(err)
	}
	if after.Devnum <= before.Devnum {
		t.Errorf("devnum %d → %d, want it to grow", before.Devnum, after.Devnum)
	}
	if _, err := os.Stat(before.devPath(modem.Dev)); !os.IsNotExist(err) {
		t.Errorf("storage-mode node %s still in the modem's /dev: %v", before.devPath("/dev"), err)
	}
	e, ok := db.lookupStorage(before)
	if !ok {
		t.Fatalf("no entry for %s", before.ID)
	}
	target, ok := switched(e, before, after)
	if !ok || target == nil || target.ID != (ID{0x19d2, 0x0001}) {
		t.Errorf("switched = %+v, %v; want the 19d2:0001 target", target, ok)
	}
}

// bindSerial on the real layout: new_id lives under bus/usb-serial (option1)
// while the interfaces' driver link says bus/usb/drivers/option. Unbound, it
// writes the ID once; bound, it leaves new_id alone.
func TestRealSysfsBindSerial(t *testing.T) {
	for _, tc := range []struct {
		snap  string
		wrote bool
		newID string
	}{
		{"modem-unbound", true, "19d2 0001 ff"},
		{"modem-bound", false, ""},
	} {
		t.Run(tc.snap, func(t *testing.T) {
			roots := sysfstest.Tree(t, labCapture, tc.snap)
			h := &Host{Sysfs: roots.Sys, Dev: roots.Dev} // Modprobe "": never loads a module
			d, err := readDevice(os.DirFS(roots.Sys), "1-1")
			if err != nil {
				t.Fatal(err)
			}
			wrote, err := h.bindSerial(t.Context(), d)
			if err != nil || wrote != tc.wrote {
				t.Fatalf("bindSerial = %v, %v; want %v, nil", wrote, err, tc.wrote)
			}
			b, err := os.ReadFile(filepath.Join(roots.Sys, optionNewID))
			if err != nil || string(b) != tc.newID {
				t.Errorf("new_id = %q, %v; want %q", b, err, tc.newID)
			}
		})
	}
}

func labSnapshot(t *testing.T, name string) *sysfstest.Snapshot {
	t.Helper()
	snaps, err := sysfstest.ReadFile(labCapture)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sysfstest.Find(snaps, name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func dongleNames(gs []Dongle) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Device.Name+" "+g.Device.ID.String())
	}
	return out
}

package modeswitch

import (
	"errors"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// usbDevicesDir is where the kernel lists every USB device and interface, as
// symlinks into the /sys/devices tree.
const usbDevicesDir = "bus/usb/devices"

// readDevices reads every USB device under sys, a file system rooted at the
// sysfs mount (os.DirFS("/sys") in production, a testdata tree in tests).
// Driver links are read with fs.ReadLink, so sys must implement
// fs.ReadLinkFS (os.DirFS and fstest.MapFS do). Devices come in sysfs name order.
func readDevices(sys fs.FS) ([]Device, error) {
	ents, err := fs.ReadDir(sys, usbDevicesDir)
	if errors.Is(err, fs.ErrNotExist) {
		// No USB host controller (or no sysfs): no devices, which callers
		// report as such rather than as an I/O error.
		return nil, nil
	}
	if err != nil {
		return nil, &OpError{Op: "read", Path: usbDevicesDir, Err: err}
	}
	var devs []Device
	for _, e := range ents {
		name := e.Name()
		if strings.Contains(name, ":") { // an interface, read with its device
			continue
		}
		d, err := readDevice(sys, name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) { // unplugged while we looked
				continue
			}
			return nil, err
		}
		devs = append(devs, d)
	}
	sort.Slice(devs, func(i, j int) bool { return devs[i].Name < devs[j].Name })
	return devs, nil
}

// readDevice reads one device by its sysfs name ("1-2").
func readDevice(sys fs.FS, name string) (Device, error) {
	dir := path.Join(usbDevicesDir, name)
	d := Device{Name: name}
	var err error
	if d.ID.Vendor, err = readHex16(sys, dir, "idVendor"); err != nil {
		return d, err
	}
	if d.ID.Product, err = readHex16(sys, dir, "idProduct"); err != nil {
		return d, err
	}
	d.Manufacturer = readString(sys, dir, "manufacturer")
	d.Product = readString(sys, dir, "product")
	d.Serial = readString(sys, dir, "serial")
	d.Busnum, _ = strconv.Atoi(readString(sys, dir, "busnum"))
	d.Devnum, _ = strconv.Atoi(readString(sys, dir, "devnum"))
	d.Configuration, _ = strconv.Atoi(readString(sys, dir, "bConfigurationValue"))
	d.Class = readByte(sys, dir, "bDeviceClass")

	ents, err := fs.ReadDir(sys, dir)
	if err != nil {
		return d, &OpError{Op: "read", Path: dir, Err: err}
	}
	prefix := name + ":"
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		in, err := readInterface(sys, path.Join(dir, e.Name()))
		if err != nil {
			return d, err
		}
		d.Interfaces = append(d.Interfaces, in)
	}
	sort.Slice(d.Interfaces, func(i, j int) bool { return d.Interfaces[i].Number < d.Interfaces[j].Number })
	return d, nil
}

func readInterface(sys fs.FS, dir string) (Interface, error) {
	in := Interface{Name: path.Base(dir)}
	n, err := readHex16(sys, dir, "bInterfaceNumber")
	if err != nil {
		return in, err
	}
	in.Number = int(n)
	in.Class = readByte(sys, dir, "bInterfaceClass")
	in.SubClass = readByte(sys, dir, "bInterfaceSubClass")
	in.Protocol = readByte(sys, dir, "bInterfaceProtocol")
	if target, err := fs.ReadLink(sys, path.Join(dir, "driver")); err == nil {
		in.Driver = path.Base(target)
	}
	ents, err := fs.ReadDir(sys, dir)
	if err != nil {
		return in, &OpError{Op: "read", Path: dir, Err: err}
	}
	for _, e := range ents {
		switch n := e.Name(); {
		case strings.HasPrefix(n, "ep_"):
			ep := path.Join(dir, n)
			in.endpoints = append(in.endpoints, endpoint{
				Address:    readByte(sys, ep, "bEndpointAddress"),
				Attributes: readByte(sys, ep, "bmAttributes"),
			})
		case strings.HasPrefix(n, "tty") && n != "tty": // usb-serial: <iface>/ttyUSB0/
			in.TTYs = append(in.TTYs, n)
		case n == "tty": // cdc_acm: <iface>/tty/ttyACM0/
			sub, _ := fs.ReadDir(sys, path.Join(dir, n))
			for _, s := range sub {
				in.TTYs = append(in.TTYs, s.Name())
			}
		}
	}
	sort.Strings(in.TTYs)
	return in, nil
}

func readString(sys fs.FS, dir, attr string) string {
	b, err := fs.ReadFile(sys, path.Join(dir, attr))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func readHex16(sys fs.FS, dir, attr string) (uint16, error) {
	p := path.Join(dir, attr)
	b, err := fs.ReadFile(sys, p)
	if err != nil {
		return 0, &OpError{Op: "read", Path: p, Err: err}
	}
	v, err := parseHex16(string(b))
	if err != nil {
		return 0, &OpError{Op: "parse", Path: p, Err: err}
	}
	return v, nil
}

func readByte(sys fs.FS, dir, attr string) uint8 {
	v, err := strconv.ParseUint(readString(sys, dir, attr), 16, 8)
	if err != nil {
		return 0
	}
	return uint8(v)
}

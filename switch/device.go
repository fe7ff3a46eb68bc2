package modeswitch

import (
	"fmt"
	"path"
	"strings"
)

// Device is one USB device as sysfs describes it.
type Device struct {
	Name          string // sysfs name, "1-2" (bus 1, port 2); stable across a mode switch
	ID            ID
	Manufacturer  string
	Product       string
	Serial        string
	Busnum        int
	Devnum        int // changes when the device re-enumerates after a switch
	Class         uint8
	Configuration int // bConfigurationValue; 0 when unconfigured
	Interfaces    []Interface
}

// Interface is one interface of the active configuration.
type Interface struct {
	Name      string // "1-2:1.0"
	Number    int
	Class     uint8
	SubClass  uint8
	Protocol  uint8
	Driver    string // bound driver ("usb-storage", "option", "cdc_acm"), "" when none
	endpoints []endpoint
	TTYs      []string // "ttyUSB2", "ttyACM0"
}

// endpoint is a USB endpoint descriptor.
type endpoint struct {
	Address    uint8 // bit 7 set: IN (device to host)
	Attributes uint8 // low two bits: 0 control, 1 isochronous, 2 bulk, 3 interrupt
}

// In reports a device-to-host endpoint.
func (e endpoint) In() bool { return e.Address&0x80 != 0 }

// Bulk reports a bulk endpoint.
func (e endpoint) Bulk() bool { return e.Attributes&0x03 == 2 }

// USB interface classes zdial cares about.
const (
	classComm        = 0x02
	classMassStorage = 0x08
	classHub         = 0x09
	classVendor      = 0xff
)

// DevPath is the usbdevfs node of the device under devRoot ("/dev").
func (d Device) devPath(devRoot string) string {
	return path.Join(devRoot, "bus", "usb", fmt.Sprintf("%03d", d.Busnum), fmt.Sprintf("%03d", d.Devnum))
}

// Label is "Manufacturer Product", or what there is of it.
func (d Device) Label() string {
	l := strings.TrimSpace(d.Manufacturer + " " + d.Product)
	if l == "" {
		return "(no name)"
	}
	return l
}

// Hub reports a hub (root hubs included), which is never a dongle.
func (d Device) isHub() bool { return d.Class == classHub }

// StorageOnly reports a device whose every interface is mass storage: a
// disk, a card reader, or a dongle still pretending to be a CD-ROM.
func (d Device) storageOnly() bool {
	if len(d.Interfaces) == 0 {
		return false
	}
	for _, i := range d.Interfaces {
		if i.Class != classMassStorage {
			return false
		}
	}
	return true
}

// Interface returns the interface with number n.
func (d Device) Interface(n int) (Interface, bool) {
	for _, i := range d.Interfaces {
		if i.Number == n {
			return i, true
		}
	}
	return Interface{}, false
}

// TTYs lists the device's tty names with the interface each hangs off, in
// interface order.
func (d Device) ttys() []ttyNode {
	var out []ttyNode
	for _, i := range d.Interfaces {
		for _, t := range i.TTYs {
			out = append(out, ttyNode{Name: t, Interface: i.Number, Driver: i.Driver})
		}
	}
	return out
}

// ttyNode is a serial node of a device.
type ttyNode struct {
	Name      string // "ttyUSB2"
	Interface int
	Driver    string // interface driver: "option", "cdc_acm", …
}

// LinkName names the device under /dev/zdial, where the udev rule puts a
// symbolic link per port role (/dev/zdial/19d2-0001-MF622LAB0001/ppp):
// the ID it has now (its modem-mode ID, for a modem's ports) and its serial
// number, "19d2-0001-MF622LAB0001". A device with no serial number is named
// by its USB port instead, "19d2-0001-usb-1-2": stable while it stays in
// the same socket. The port cache keys its files by the same ID and serial. Only
// [A-Za-z0-9._-] appear; anything else in a serial becomes '_'.
func (d Device) LinkName() string {
	n := fmt.Sprintf("%04x-%04x-", d.ID.Vendor, d.ID.Product)
	if d.Serial != "" {
		return n + safeName(d.Serial)
	}
	return n + "usb-" + safeName(d.Name)
}

// safeName replaces every byte outside [A-Za-z0-9._-] with '_', so a
// serial number from the device cannot add a path element, a blank or a
// udev substitution to a link name.
func safeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '_', c == '-':
		default:
			b[i] = '_'
		}
	}
	if len(b) == 0 || string(b) == "." || string(b) == ".." {
		return "_"
	}
	return string(b)
}

package modeswitch

import (
	"fmt"
	"slices"
	"strings"
)

// Mode is the state a dongle is in.
type Mode string

const (
	ModeStorage Mode = "storage" // still the virtual CD-ROM; needs a switch
	ModeModem   Mode = "modem"   // serial interfaces present
)

// Dongle is a USB device zdial recognises as a mobile broadband modem.
type Dongle struct {
	Device Device
	Mode   Mode
	Entry  *Entry  // nil: not in any database (see UnknownDeviceError)
	Target *Target // modem mode: the matching target with its port roles
}

// Name is the entry's name, else the device's strings.
func (g Dongle) Name() string {
	if g.Entry != nil {
		return g.Entry.Name
	}
	return g.Device.Label()
}

// wwanSerialDrivers are kernel drivers that give a modem its ttys; a device
// with one of them bound is a modem even when no database knows its ID.
var wwanSerialDrivers = []string{"option", "qcserial", "sierra", "hso", "usb_wwan", "zte_ev"}

// serialDrivers adds cdc_acm, which many modems use but so do Arduinos.
var serialDrivers = append([]string{"cdc_acm"}, wwanSerialDrivers...)

// modemVendors are vendor IDs zdial's own database switches. A storage-only
// device from one of them that no database knows is reported as an unknown
// dongle; a storage-only device from anyone else is a disk and left alone.
func modemVendors() map[uint16]bool {
	db, err := Builtin()
	if err != nil {
		return nil
	}
	return db.vendors()
}

// classifyAll picks the dongles out of devs, in devs order.
func classifyAll(db *DB, devs []Device) []Dongle {
	vendors := modemVendors()
	var out []Dongle
	for _, d := range devs {
		if d.isHub() {
			continue
		}
		if g, ok := classify(db, d, vendors); ok {
			out = append(out, g)
		}
	}
	return out
}

func classify(db *DB, d Device, vendors map[uint16]bool) (Dongle, bool) {
	if d.storageOnly() {
		if e, ok := db.lookupStorage(d); ok {
			return Dongle{Device: d, Mode: ModeStorage, Entry: &e}, true
		}
		if vendors[d.ID.Vendor] {
			return Dongle{Device: d, Mode: ModeStorage}, true
		}
		return Dongle{}, false
	}
	if e, t, ok := db.lookupModem(d.ID); ok && hasModemInterface(d) {
		return Dongle{Device: d, Mode: ModeModem, Entry: &e, Target: &t}, true
	}
	for _, in := range d.Interfaces {
		if slices.Contains(wwanSerialDrivers, in.Driver) {
			return Dongle{Device: d, Mode: ModeModem}, true
		}
	}
	return Dongle{}, false
}

func hasModemInterface(d Device) bool {
	for _, in := range d.Interfaces {
		if in.Class == classVendor || in.Class == classComm {
			return true
		}
	}
	return false
}

// findDongles returns the dongles among devs, or a *NoDongleError listing
// every device seen and what was looked for.
func findDongles(db *DB, devs []Device) ([]Dongle, error) {
	g := classifyAll(db, devs)
	if len(g) == 0 {
		return nil, &NoDongleError{Seen: devs, LookedFor: lookedFor(db)}
	}
	return g, nil
}

func lookedFor(db *DB) string {
	ids := db.StorageIDs()
	sample := make([]string, 0, 4)
	for _, id := range ids {
		if len(sample) == 4 {
			break
		}
		sample = append(sample, id.String())
	}
	return fmt.Sprintf("%d known storage-mode IDs (%s, …), their modem-mode IDs, or an interface bound to %s",
		len(ids), strings.Join(sample, ", "), strings.Join(wwanSerialDrivers, "/"))
}

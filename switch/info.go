package modeswitch

import "slices"

// DongleInfo is what `zdial devices` shows for one dongle; its JSON form is
// the --json output.
type DongleInfo struct {
	Sysfs        string     `json:"sysfs"` // "1-2"
	ID           ID         `json:"id"`
	Name         string     `json:"name"`
	Manufacturer string     `json:"manufacturer,omitempty"`
	Product      string     `json:"product,omitempty"`
	Serial       string     `json:"serial,omitempty"`
	Mode         Mode       `json:"mode"`
	Known        bool       `json:"known"`            // in a database
	Source       string     `json:"source,omitempty"` // "zdial" or "usb-modeswitch-data:<file>"
	Method       Method     `json:"method,omitempty"` // storage mode: how it would be switched
	Drivers      []string   `json:"drivers,omitempty"`
	Ports        []PortInfo `json:"ports,omitempty"`
}

// PortInfo is one tty in DongleInfo.
type PortInfo struct {
	Name      string `json:"name"`
	Path      string `json:"path"`
	Interface int    `json:"interface"`
	Role      Role   `json:"role,omitempty"`
}

// Info describes g for display, with ports and database roles.
func (h *Host) Info(db *DB, g Dongle) DongleInfo {
	d := g.Device
	in := DongleInfo{Sysfs: d.Name, ID: d.ID, Name: g.Name(), Manufacturer: d.Manufacturer, Product: d.Product,
		Serial: d.Serial, Mode: g.Mode, Known: g.Entry != nil}
	if g.Entry != nil {
		in.Source = g.Entry.Source
		if g.Mode == ModeStorage && g.Entry.Switch != nil {
			in.Method = g.Entry.Switch.Method
		}
	}
	for _, i := range d.Interfaces {
		if i.Driver != "" && !slices.Contains(in.Drivers, i.Driver) {
			in.Drivers = append(in.Drivers, i.Driver)
		}
	}
	for _, p := range h.Ports(db, d) {
		in.Ports = append(in.Ports, PortInfo{Name: p.Name, Path: p.Path, Interface: p.Interface, Role: p.Role})
	}
	return in
}

// PermanentModemCommand is the vendor's own AT command that makes a dongle
// come up in modem mode from now on, for `zdial switch --permanent` (which
// must ask for confirmation: it changes the device's flash). It returns ""
// for vendors zdial knows no such command for.
//
//	ZTE     AT+ZCDRUN=8    disable the ZeroCD autorun CD-ROM
//	Huawei  AT^U2DIAG=0    modem ports only, no CD-ROM or card reader
func PermanentModemCommand(id ID) string {
	switch id.Vendor {
	case 0x19d2:
		return "+ZCDRUN=8"
	case 0x12d1:
		return "^U2DIAG=0"
	}
	return ""
}

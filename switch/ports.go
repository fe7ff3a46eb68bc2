package modeswitch

import "path/filepath"

// Port is one tty of a modem with what the database says about it.
type Port struct {
	Name      string // "ttyUSB2"
	Path      string // "/dev/ttyUSB2"
	Interface int
	Driver    string
	Role      Role // from the database; RoleNone when it says nothing
}

// Ports lists d's ttys in interface order with the database's roles.
func (h *Host) Ports(db *DB, d Device) []Port {
	var roles map[int]Role
	if db != nil {
		if _, t, ok := db.lookupModem(d.ID); ok {
			roles = t.Ports
		}
	}
	var out []Port
	for _, t := range d.ttys() {
		out = append(out, Port{Name: t.Name, Path: filepath.Join(h.Dev, t.Name), Interface: t.Interface,
			Driver: t.Driver, Role: roles[t.Interface]})
	}
	return out
}

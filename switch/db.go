package modeswitch

import (
	"bytes"
	_ "embed"
	"fmt"
	"github.com/zdial/zdial/internal/yamlstrict"
	"io"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed devices.yaml
var builtinYAML []byte

// Method is a way to switch a dongle out of storage mode.
type Method string

// Methods zdial implements over usbdevfs or sysfs. The names are
// usb_modeswitch's configuration keys, so imported entries map one to one.
const (
	standardEject       Method = "StandardEject"     // SCSI ALLOW MEDIUM REMOVAL + START STOP UNIT (eject)
	messageContent      Method = "MessageContent"    // up to three raw bulk messages from the data
	huaweiMode          Method = "HuaweiMode"        // SET_FEATURE control request
	huaweiNewMode       Method = "HuaweiNewMode"     // Huawei's vendor CBW
	sierraMode          Method = "SierraMode"        // vendor control request 0x0b
	optionMode          Method = "OptionMode"        // Option's vendor CBW
	detachStorageOnly   Method = "DetachStorageOnly" // unbind usb-storage; the device switches itself
	methodConfiguration Method = "Configuration"     // select another USB configuration
)

var knownMethods = []Method{standardEject, messageContent, huaweiMode, huaweiNewMode,
	sierraMode, optionMode, detachStorageOnly, methodConfiguration}

// Role is what an interface of a modem-mode device is for.
type Role string

// Roles. Only RolePPP and RoleAT ports are ever written to; RoleDiag and
// RoleNMEA ports are never opened, not even for an AT probe.
const (
	RoleNone Role = ""
	RolePPP  Role = "ppp"
	RoleAT   Role = "at"
	RoleDiag Role = "diag"
	RoleNMEA Role = "nmea"
)

// Probeable reports whether zdial may send AT probes to a port of this role.
func (r Role) Probeable() bool { return r != RoleDiag && r != RoleNMEA }

// Entry is one device family: its storage IDs, switch, and modem IDs.
type Entry struct {
	Name    string      `yaml:"name"`
	Models  []string    `yaml:"models,omitempty"`
	Storage []ID        `yaml:"storage"`
	Match   *Match      `yaml:"match,omitempty"`
	Switch  *SwitchSpec `yaml:"switch,omitempty"`
	Targets []Target    `yaml:"targets,omitempty"`
	// Source is "zdial" for the embedded database and "usb-modeswitch-data:<file>"
	// for imported entries.
	Source string `yaml:"-"`
}

// Match narrows an entry to devices whose descriptor strings start with these
// values (usb_modeswitch's uMa/uPr/uSe file-name suffixes). SCSI inquiry
// matches (sVe/sMo/sRe) are kept for reference; zdial does not send INQUIRY.
type Match struct {
	Manufacturer string `yaml:"manufacturer,omitempty"`
	Product      string `yaml:"product,omitempty"`
	Serial       string `yaml:"serial,omitempty"`
	SCSIVendor   string `yaml:"scsi_vendor,omitempty"`
	SCSIModel    string `yaml:"scsi_model,omitempty"`
	SCSIRevision string `yaml:"scsi_revision,omitempty"`
}

// SwitchSpec is a method and its parameters.
type SwitchSpec struct {
	Method           Method   `yaml:"method"`
	Messages         []string `yaml:"messages,omitempty"`          // hex, sent in order
	Interface        int      `yaml:"interface,omitempty"`         // default 0
	MessageEndpoint  uint8    `yaml:"message_endpoint,omitempty"`  // 0: first bulk OUT
	ResponseEndpoint uint8    `yaml:"response_endpoint,omitempty"` // 0: first bulk IN
	Configuration    int      `yaml:"configuration,omitempty"`     // for method Configuration
	TargetClass      uint8    `yaml:"target_class,omitempty"`      // modem mode shows this interface class
}

// Target is a modem-mode ID and the role of each interface.
type Target struct {
	ID    ID           `yaml:"id"`
	Ports map[int]Role `yaml:"ports,omitempty"`
}

// DB is a device database. It is immutable once built.
type DB struct {
	entries []Entry
}

type dbFile struct {
	Devices []Entry `yaml:"devices"`
}

// Builtin returns zdial's embedded database.
func Builtin() (*DB, error) {
	db, err := parseDB(bytes.NewReader(builtinYAML))
	if err != nil {
		return nil, err
	}
	for i := range db.entries {
		db.entries[i].Source = "zdial"
	}
	return db, nil
}

// parseDB reads a database in devices.yaml's format. Unknown fields, unknown
// methods and unknown roles are errors, so a typo cannot silently disable an entry.
func parseDB(r io.Reader) (*DB, error) {
	var f dbFile
	if err := yamlstrict.Read(r, &f); err != nil {
		return nil, fmt.Errorf("modeswitch: device database: %w", err)
	}
	for i, e := range f.Devices {
		if err := e.validate(); err != nil {
			return nil, fmt.Errorf("modeswitch: device database entry %d (%s): %w", i, e.Name, err)
		}
	}
	return &DB{entries: f.Devices}, nil
}

// usbIDText is a USB ID written in text, "19d2:2000".
var usbIDText = regexp.MustCompile(`(?i)\b[0-9a-f]{4}:[0-9a-f]{4}\b`)

func (e Entry) validate() error {
	if e.Name == "" {
		return fmt.Errorf("no name")
	}
	// The name is the family in every mode; `zdial devices` shows the
	// mode and ID the device is in now. A name that says "ZeroCD 19d2:2000"
	// would be printed beside a modem-mode 19d2:0001.
	if id := usbIDText.FindString(e.Name); id != "" {
		return fmt.Errorf("name %q names a USB ID (%s): the name is the device family, the same in every mode", e.Name, id)
	}
	if len(e.Storage) > 0 && e.Switch == nil {
		return fmt.Errorf("storage IDs without a switch method")
	}
	if e.Switch != nil {
		if !slices.Contains(knownMethods, e.Switch.Method) {
			return fmt.Errorf("unknown method %q", e.Switch.Method)
		}
		for _, m := range e.Switch.Messages {
			if _, err := decodeHex(m); err != nil {
				return err
			}
		}
	}
	for _, t := range e.Targets {
		for n, r := range t.Ports {
			switch r {
			case RolePPP, RoleAT, RoleDiag, RoleNMEA:
			default:
				return fmt.Errorf("target %s interface %d: unknown role %q", t.ID, n, r)
			}
		}
	}
	return nil
}

// Merge returns a database with db's entries first and, after them, those
// entries of other whose storage IDs db does not know (or, for entries with
// no storage ID, whose targets it does not know). db wins where both know a device.
func (db *DB) Merge(other *DB) *DB {
	out := &DB{entries: slices.Clone(db.entries)}
	for _, e := range other.entries {
		known := false
		for _, id := range e.Storage {
			if _, ok := db.storageEntry(id, Device{}); ok {
				known = true
			}
		}
		if len(e.Storage) == 0 {
			for _, t := range e.Targets {
				if _, _, ok := db.lookupModem(t.ID); ok {
					known = true
				}
			}
		}
		if !known {
			out.entries = append(out.entries, e)
		}
	}
	return out
}

// lookupStorage finds the entry for a device in storage mode. Entries whose
// Match fits the device's strings come before plain entries for the same ID,
// as in usb_modeswitch.
func (db *DB) lookupStorage(d Device) (Entry, bool) { return db.storageEntry(d.ID, d) }

func (db *DB) storageEntry(id ID, d Device) (Entry, bool) {
	var plain, scsi *Entry
	for i := range db.entries {
		e := &db.entries[i]
		if !slices.Contains(e.Storage, id) {
			continue
		}
		switch {
		case e.Match == nil:
			if plain == nil {
				plain = e
			}
		case e.Match.Manufacturer != "" || e.Match.Product != "" || e.Match.Serial != "":
			if e.Match.fits(d) {
				return *e, true
			}
		default:
			if scsi == nil {
				scsi = e
			}
		}
	}
	if plain != nil {
		return *plain, true
	}
	if scsi != nil {
		return *scsi, true
	}
	return Entry{}, false
}

func (m *Match) fits(d Device) bool {
	pre := func(have, want string) bool {
		return want == "" || strings.HasPrefix(strings.TrimSpace(have), want)
	}
	return pre(d.Manufacturer, m.Manufacturer) && pre(d.Product, m.Product) && pre(d.Serial, m.Serial)
}

// lookupModem finds the entry and target for a modem-mode ID. Among several
// entries listing the ID, the first target with port roles wins.
func (db *DB) lookupModem(id ID) (Entry, Target, bool) {
	var fe Entry
	var ft Target
	found := false
	for _, e := range db.entries {
		for _, t := range e.Targets {
			if t.ID != id {
				continue
			}
			if len(t.Ports) > 0 {
				return e, t, true
			}
			if !found {
				fe, ft, found = e, t, true
			}
		}
	}
	return fe, ft, found
}

// StorageIDs lists every storage-mode ID, sorted, without duplicates.
func (db *DB) StorageIDs() []ID {
	var ids []ID
	for _, e := range db.entries {
		ids = append(ids, e.Storage...)
	}
	slices.SortFunc(ids, func(a, b ID) int {
		if a.Vendor != b.Vendor {
			return int(a.Vendor) - int(b.Vendor)
		}
		return int(a.Product) - int(b.Product)
	})
	return slices.Compact(ids)
}

// vendors is the set of vendor IDs with a storage entry in db.
func (db *DB) vendors() map[uint16]bool {
	v := map[uint16]bool{}
	for _, e := range db.entries {
		for _, id := range e.Storage {
			v[id.Vendor] = true
		}
	}
	return v
}

// Snippet is a devices.yaml entry to fill in for an unknown device.
func Snippet(d Device) string {
	return fmt.Sprintf(`  - name: %s
    storage: ["%s"]
    switch: {method: StandardEject}   # or HuaweiNewMode, MessageContent with messages: [...]
    targets:
      - id: "%04x:XXXX"   # the ID lsusb shows after a successful switch
        ports: {0: diag, 1: at, 2: ppp}
`, yamlString(d.Label()), d.ID, d.ID.Vendor)
}

func yamlString(s string) string {
	b, _ := yaml.Marshal(s)
	return strings.TrimSpace(string(b))
}

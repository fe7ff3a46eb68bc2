package modeswitch

import (
	"fmt"
	"strconv"
	"strings"
)

// ID is a USB vendor:product pair. Its text form is the one lsusb prints and
// usb_modeswitch uses in file names: four lower-case hex digits each, "19d2:2000".
type ID struct {
	Vendor, Product uint16
}

// ParseID parses "19d2:2000" (an optional 0x on either half is accepted).
func ParseID(s string) (ID, error) {
	v, p, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return ID{}, fmt.Errorf("modeswitch: bad USB ID %q: want VVVV:PPPP", s)
	}
	vv, err := parseHex16(v)
	if err != nil {
		return ID{}, fmt.Errorf("modeswitch: bad vendor in USB ID %q: %w", s, err)
	}
	pp, err := parseHex16(p)
	if err != nil {
		return ID{}, fmt.Errorf("modeswitch: bad product in USB ID %q: %w", s, err)
	}
	return ID{vv, pp}, nil
}

func (id ID) String() string { return fmt.Sprintf("%04x:%04x", id.Vendor, id.Product) }

// MarshalText and UnmarshalText make an ID a YAML/JSON scalar ("19d2:2000").
func (id ID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText parses the form String prints.
func (id *ID) UnmarshalText(b []byte) error {
	v, err := ParseID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

func parseHex16(s string) (uint16, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "0x"), "0X")
	if s == "" || len(s) > 4 {
		return 0, fmt.Errorf("want 1-4 hex digits, got %q", s)
	}
	n, err := strconv.ParseUint(s, 16, 16)
	if err != nil {
		return 0, err
	}
	return uint16(n), nil
}

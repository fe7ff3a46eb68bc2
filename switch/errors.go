package modeswitch

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinels name conditions; callers test them with errors.Is. The typed
// errors below carry the data a person needs to act and match these
// sentinels through their Is methods.
var (
	ErrNoDongle          = errors.New("modeswitch: no mobile broadband dongle found")
	ErrUnknownDevice     = errors.New("modeswitch: device in storage mode is not in the database")
	ErrSwitchFailed      = errors.New("modeswitch: mode switch did not take")
	ErrUnsupportedMethod = errors.New("modeswitch: switching method not implemented")
	ErrPermission        = errors.New("modeswitch: permission denied")
	ErrNoPort            = errors.New("modeswitch: no usable PPP port")
)

// NoDongleError lists what was on the bus and what zdial looked for.
type NoDongleError struct {
	Seen      []Device // every USB device read from sysfs (root hubs included)
	LookedFor string   // e.g. "storage IDs of 180 known devices, modem IDs, or an option/cdc_acm tty"
}

func (e *NoDongleError) Error() string {
	var b strings.Builder
	b.WriteString("modeswitch: no mobile broadband dongle found; looked for ")
	b.WriteString(e.LookedFor)
	if len(e.Seen) == 0 {
		b.WriteString("; no USB devices at all (is the dongle plugged in? is sysfs mounted at the --sysfs root?)")
		return b.String()
	}
	b.WriteString("; USB devices seen:")
	for _, d := range e.Seen {
		fmt.Fprintf(&b, "\n  %s %s %s", d.Name, d.ID, d.Label())
	}
	return b.String()
}

func (e *NoDongleError) Is(target error) bool { return target == ErrNoDongle }

// UnknownDeviceError is a device that looks like a dongle in storage mode but
// that neither database knows. Snippet is YAML to add it to devices.yaml.
type UnknownDeviceError struct {
	Device  Device
	Snippet string
}

func (e *UnknownDeviceError) Error() string {
	return fmt.Sprintf("modeswitch: %s (%s) is in storage mode and not in the device database; "+
		"if usb_modeswitch knows it, install usb-modeswitch-data, or add an entry like:\n%s",
		e.Device.ID, e.Device.Label(), e.Snippet)
}

func (e *UnknownDeviceError) Is(target error) bool { return target == ErrUnknownDevice }

// SwitchError says what was sent to a device and what the device did when a
// switch did not take.
type SwitchError struct {
	Device   ID
	Method   Method
	Sent     []string // one line per transfer, e.g. "bulk out ep 0x01: 55534243…"
	Observed string   // what the device did: "still 19d2:2000 at 1-2 after 20s", "CSW status 1"
	Err      error
}

func (e *SwitchError) Error() string {
	s := fmt.Sprintf("modeswitch: switching %s with %s did not take: %s", e.Device, e.Method, e.Observed)
	if len(e.Sent) > 0 {
		s += "; sent:\n  " + strings.Join(e.Sent, "\n  ")
	}
	if e.Err != nil {
		s += "\n  cause: " + e.Err.Error()
	}
	return s
}

func (e *SwitchError) Unwrap() error { return e.Err }

func (e *SwitchError) Is(target error) bool { return target == ErrSwitchFailed }

// PermissionError says which privilege an operation needs.
type PermissionError struct {
	Op   string // "write", "open"
	Path string
	Need string // "root (or CAP_DAC_OVERRIDE) to write sysfs driver files"
	Err  error
}

func (e *PermissionError) Error() string {
	return fmt.Sprintf("modeswitch: %s %s: permission denied; needs %s", e.Op, e.Path, e.Need)
}

func (e *PermissionError) Unwrap() error { return e.Err }

func (e *PermissionError) Is(target error) bool { return target == ErrPermission }

// OpError records the operation and path of a failure that has no richer type.
type OpError struct {
	Op   string
	Path string
	Err  error
}

func (e *OpError) Error() string {
	if e.Path == "" {
		return "modeswitch: " + e.Op + ": " + e.Err.Error()
	}
	return "modeswitch: " + e.Op + " " + e.Path + ": " + e.Err.Error()
}

func (e *OpError) Unwrap() error { return e.Err }

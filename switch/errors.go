package modeswitch

import (
	"errors"
	"fmt"
	"io/fs"
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
	Hint     string   // what to do next; "" when there is nothing to add
	Err      error
}

func (e *SwitchError) Error() string {
	s := fmt.Sprintf("modeswitch: switching %s with %s did not take: %s", e.Device, e.Method, e.Observed)
	if len(e.Sent) > 0 {
		s += "; sent:\n  " + strings.Join(e.Sent, "\n  ")
	}
	if e.Err != nil && !saidIn(e.Observed, personText(e.Err)) {
		s += "\n  cause: " + personText(e.Err)
	}
	if e.Hint != "" {
		s += "\n  what to do: " + e.Hint
	}
	return s
}

// saidIn reports whether every line of text is already in s.
func saidIn(s, text string) bool {
	for _, l := range strings.Split(text, "\n") {
		if !strings.Contains(s, l) {
			return false
		}
	}
	return true
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

// Error names the path once: when Err is the *fs.PathError of the same
// path (os.Open's own "open PATH: …"), only its cause is added, so a person
// reads "open /dev/bus/usb/001/005: no such file or directory", not the
// path twice.
func (e *OpError) Error() string {
	if e.Path == "" {
		return "modeswitch: " + e.Op + ": " + e.Err.Error()
	}
	return "modeswitch: " + e.Op + " " + e.Path + ": " + causeAt(e.Path, e.Err).Error()
}

// causeAt is err without the path it would repeat: the cause inside an
// *fs.PathError for that same path.
func causeAt(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == path && pe == err {
		return pe.Err
	}
	return err
}

func (e *OpError) Unwrap() error { return e.Err }

// USBDevfsError is a switch that could not go out over usbdevfs: its node
// is missing (Missing names /dev/bus/usb when the whole tree is absent), or
// the kernel refused a request on it (Transfer; Sent lines had gone out).
// Host.Switch then detaches usb-storage instead (SwitchResult.FellBack).
type USBDevfsError struct {
	Path     string // "/dev/bus/usb/001/005"
	Missing  string // "/dev/bus/usb" when there is no usbdevfs at all
	Transfer bool
	Sent     int
	Err      error
}

// Error names the path once: the errors it wraps (OpError, PermissionError)
// carry it already.
func (e *USBDevfsError) Error() string {
	switch {
	case e.Missing != "":
		return fmt.Sprintf("modeswitch: no usbdevfs: %s does not exist (wanted %s)", e.Missing, e.Path)
	case e.Transfer:
		return "modeswitch: usbdevfs refused the switch: " + personText(e.Err)
	}
	return "modeswitch: usbdevfs: " + personText(e.Err)
}

func (e *USBDevfsError) Unwrap() error { return e.Err }

// personText is err's message without this package's prefix, for a
// message that embeds another: one "modeswitch: " at the front is enough,
// and cmd/zdial strips that one too before a person reads it.
func personText(err error) string {
	return strings.ReplaceAll(err.Error(), "modeswitch: ", "")
}

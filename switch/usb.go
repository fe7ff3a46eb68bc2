package modeswitch

import (
	"context"
	"errors"
	"fmt"
)

// USBDevice is the small set of usbdevfs operations the switching methods
// need. The production implementation is openUSBDevfs (pure Go ioctls on
// /dev/bus/usb/BBB/DDD); tests use switchtest.FakeUSB, which records every call.
type USBDevice interface {
	// DetachKernelDriver unbinds whatever kernel driver holds interface
	// iface of this device (usbdevfs USBDEVFS_DISCONNECT). No driver is not an error.
	DetachKernelDriver(iface int) error
	Claim(iface int) error
	Release(iface int) error
	// Bulk transfers len(buf) bytes to (ep bit 7 clear) or from (bit 7 set)
	// a bulk endpoint and returns the count transferred. The ctx deadline
	// becomes the transfer timeout.
	Bulk(ctx context.Context, ep uint8, buf []byte) (int, error)
	// Control performs a control transfer; data is sent (OUT) or filled (IN)
	// according to bit 7 of s.RequestType.
	Control(ctx context.Context, s Setup, data []byte) (int, error)
	ClearHalt(ep uint8) error
	SetConfiguration(n int) error
	Reset() error
	Close() error
}

// Setup is a control transfer's setup packet, less wLength (len of data).
type Setup struct {
	RequestType uint8
	Request     uint8
	Value       uint16
	Index       uint16
}

func (s Setup) String() string {
	return fmt.Sprintf("bmRequestType=0x%02x bRequest=0x%02x wValue=0x%04x wIndex=0x%04x", s.RequestType, s.Request, s.Value, s.Index)
}

// ErrDeviceGone is a transfer to a device that has left the bus. During a
// mode switch it is the good news: the device is re-enumerating.
var ErrDeviceGone = errors.New("modeswitch: USB device is gone")

// OpenFunc opens the usbdevfs node at path.
type OpenFunc func(path string) (USBDevice, error)

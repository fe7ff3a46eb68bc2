package switchtest

import (
	"context"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sync"

	modeswitch "github.com/zdial/zdial/switch"
)

// FakeUSB is a modeswitch.USBDevice that records every call and answers like a
// bulk-only mass-storage device: each bulk IN after a CBW returns a CSW with
// the CBW's tag and the next status from CSWStatus (0 once it runs out).
// Set Vanish to make every transfer after the n-th CBW fail with
// modeswitch.ErrDeviceGone, as a dongle does once it starts re-enumerating.
type FakeUSB struct {
	CSWStatus []uint8 // the statuses of the CSWs to come, in order
	Vanish    int     // 0: never
	// Refuse, when set, is what every request but Close fails with, as
	// from a kernel that refuses usbdevfs requests on the device
	// (EINVAL, ENOTTY); the call is still recorded.
	Refuse error

	mu      sync.Mutex // guards the fields below, and CSWStatus once in use
	calls   []string
	lastCBW *modeswitch.CBW
	cbws    int
	closed  bool
}

// Calls returns the recorded calls, one line each, e.g.
// "bulk out 0x01 5553424387654321…" or "control bmRequestType=0x00 …".
func (f *FakeUSB) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *FakeUSB) record(format string, a ...any) {
	f.calls = append(f.calls, fmt.Sprintf(format, a...))
}

func (f *FakeUSB) gone() bool { return f.Vanish > 0 && f.cbws >= f.Vanish }

func (f *FakeUSB) DetachKernelDriver(iface int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("detach kernel driver %d", iface)
	if f.Refuse != nil {
		return f.Refuse
	}
	return nil
}

func (f *FakeUSB) Claim(iface int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("claim %d", iface)
	if f.Refuse != nil {
		return f.Refuse
	}
	return nil
}

func (f *FakeUSB) Release(iface int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("release %d", iface)
	if f.gone() {
		return modeswitch.ErrDeviceGone
	}
	return nil
}

func (f *FakeUSB) Bulk(ctx context.Context, ep uint8, buf []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if ep&0x80 == 0 {
		f.record("bulk out 0x%02x %s", ep, hex.EncodeToString(buf))
		if f.Refuse != nil {
			return 0, f.Refuse
		}
		if f.gone() {
			return 0, modeswitch.ErrDeviceGone
		}
		if c, err := modeswitch.ParseCBW(buf); err == nil {
			f.lastCBW = &c
			f.cbws++
		}
		return len(buf), nil
	}
	f.record("bulk in 0x%02x len %d", ep, len(buf))
	if f.gone() {
		return 0, modeswitch.ErrDeviceGone
	}
	csw := modeswitch.CSW{}.Bytes()
	if f.lastCBW == nil || len(buf) < len(csw) {
		return 0, fmt.Errorf("fake usb: bulk in without a CBW")
	}
	var st uint8
	if len(f.CSWStatus) > 0 {
		st, f.CSWStatus = f.CSWStatus[0], f.CSWStatus[1:]
	}
	csw = modeswitch.CSW{Tag: f.lastCBW.Tag, Status: st}.Bytes()
	f.lastCBW = nil
	return copy(buf, csw), nil
}

func (f *FakeUSB) Control(ctx context.Context, s modeswitch.Setup, data []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("control %s data %q", s, hex.EncodeToString(data))
	if f.Refuse != nil {
		return 0, f.Refuse
	}
	return len(data), nil
}

func (f *FakeUSB) ClearHalt(ep uint8) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("clear halt 0x%02x", ep)
	if f.gone() {
		return modeswitch.ErrDeviceGone
	}
	return nil
}

func (f *FakeUSB) SetConfiguration(n int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("set configuration %d", n)
	return nil
}

func (f *FakeUSB) Reset() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("reset")
	return nil
}

func (f *FakeUSB) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.closed {
		f.record("close")
	}
	f.closed = true
	return nil
}

// FakeBus opens FakeUSB devices by usbdevfs path and records every open, so
// a test can assert that only the target device was touched.
type FakeBus struct {
	Devices map[string]*FakeUSB // path → device; a missing path fails to open

	mu     sync.Mutex // guards opened
	opened []string
}

// Open is a modeswitch.OpenFunc.
func (b *FakeBus) Open(path string) (modeswitch.USBDevice, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.opened = append(b.opened, path)
	d, ok := b.Devices[path]
	if !ok {
		return nil, fmt.Errorf("fake bus: open %s: %w", path, fs.ErrNotExist)
	}
	return d, nil
}

// Opened lists the paths opened, in order.
func (b *FakeBus) Opened() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.opened...)
}

package modeswitch

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

func kernelUEvent(head string, kv ...string) []byte {
	var b bytes.Buffer
	b.WriteString(head)
	for _, s := range kv {
		b.WriteByte(0)
		b.WriteString(s)
	}
	b.WriteByte(0)
	return b.Bytes()
}

func udevUEvent(kv ...string) []byte {
	var props bytes.Buffer
	for _, s := range kv {
		props.WriteString(s)
		props.WriteByte(0)
	}
	h := make([]byte, 40)
	copy(h, "libudev\x00")
	binary.BigEndian.PutUint32(h[8:], udevMagic)
	binary.NativeEndian.PutUint32(h[12:], 40)
	binary.NativeEndian.PutUint32(h[16:], 40)
	binary.NativeEndian.PutUint32(h[20:], uint32(props.Len()))
	return append(h, props.Bytes()...)
}

func TestParseUEvent(t *testing.T) {
	dev := "/devices/platform/dummy_hcd.0/usb1/1-1"
	for _, tc := range []struct {
		name string
		in   []byte
		want Event
		err  bool
	}{
		{"kernel", kernelUEvent("bind@"+dev, "ACTION=bind", "DEVPATH="+dev, "SUBSYSTEM=usb", "DEVTYPE=usb_device"),
			Event{Action: "bind", DevPath: dev, Subsystem: "usb"}, false},
		{"udev", udevUEvent("ACTION=add", "DEVPATH="+dev+"/1-1:1.0/ttyUSB0/tty/ttyUSB0", "SUBSYSTEM=tty", "DEVNAME=/dev/ttyUSB0"),
			Event{Action: "add", DevPath: dev + "/1-1:1.0/ttyUSB0/tty/ttyUSB0", Subsystem: "tty"}, false},
		{"udev, bad magic", func() []byte { b := udevUEvent("ACTION=add", "DEVPATH=/x"); b[8] = 0; return b }(), Event{}, true},
		{"udev, properties past the end", func() []byte {
			b := udevUEvent("ACTION=add", "DEVPATH=/x")
			binary.NativeEndian.PutUint32(b[20:], 1<<30)
			return b
		}(), Event{}, true},
		{"udev, short header", []byte("libudev\x00\xfe\xed"), Event{}, true},
		{"no action", kernelUEvent("add@/x", "DEVPATH=/x"), Event{}, true},
		{"not a uevent", []byte("hello"), Event{}, true},
		{"empty", nil, Event{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseUEvent(tc.in)
			if tc.err {
				if !errors.Is(err, errBadUEvent) {
					t.Fatalf("parseUEvent = %+v, %v; want errBadUEvent", got, err)
				}
				return
			}
			if err != nil || got.Action != tc.want.Action || got.DevPath != tc.want.DevPath || got.Subsystem != tc.want.Subsystem {
				t.Fatalf("parseUEvent = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func FuzzParseUEvent(f *testing.F) {
	f.Add(kernelUEvent("add@/devices/x", "ACTION=add", "DEVPATH=/devices/x", "SUBSYSTEM=usb"))
	f.Add(udevUEvent("ACTION=bind", "DEVPATH=/devices/y", "SUBSYSTEM=usb"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := parseUEvent(b)
		if err == nil && (e.Action == "" || e.DevPath == "" || len(e.Env) > maxUEventVars) {
			t.Fatalf("parseUEvent(%q) = %+v", b, e)
		}
	})
}

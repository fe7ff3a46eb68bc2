package modeswitch

import (
	"context"
	"encoding/hex"
	"errors"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mf622(t *testing.T) Device {
	t.Helper()
	d, err := ReadDevice(os.DirFS(sysfsTree("mf622-zerocd")), "1-2")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The CBWs are checked field by field, not only as hex, against what the
// usb_modeswitch documentation says they are.
func TestBuiltinCBWsDecode(t *testing.T) {
	tests := []struct {
		name   string
		hex    string
		tag    uint32
		cbLen  uint8
		cbHead []byte
	}{
		// PREVENT ALLOW MEDIUM REMOVAL, Prevent=0 (allow)
		{"eject 1", ejectAllowRemoval, 0x21436587, 6, []byte{0x1e, 0, 0, 0, 0, 0}},
		// START STOP UNIT, byte 4 = 0x02: LoEj=1, Start=0 → eject
		{"eject 2", ejectStartStop, 0x21436597, 6, []byte{0x1b, 0, 0, 0, 0x02, 0}},
		// Huawei vendor opcode 0x11, subcommand 0x06; the CB length byte is 0 and
		// the firmware does not care.
		{"huawei new mode", huaweiNewModeCBW, 0x78563412, 0, []byte{0x11, 0x06, 0x20, 0, 0, 0x01, 0x01, 0, 0x01}},
		{"option mode", optionModeCBW, 0x78563412, 6, []byte{0x01, 0, 0, 0, 0, 0}},
	}
	for _, tt := range tests {
		b, err := hex.DecodeString(tt.hex)
		if err != nil {
			t.Fatal(err)
		}
		c, err := ParseCBW(b)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if c.Tag != tt.tag || c.DataLen != 0 || c.In || c.LUN != 0 || c.CBLength != tt.cbLen ||
			string(c.CB[:len(tt.cbHead)]) != string(tt.cbHead) {
			t.Errorf("%s: %+v", tt.name, c)
		}
		if got := hex.EncodeToString(c.Bytes()); got != tt.hex {
			t.Errorf("%s: round trip %s", tt.name, got)
		}
	}
}

func TestStandardEjectBytes(t *testing.T) {
	d := mf622(t)
	f := &FakeUSB{}
	spec := *mustEntry(t, "19d2:2000").Switch
	l := &switchLog{}
	if err := runUSB(context.Background(), f, d, spec, l); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"detach kernel driver 0",
		"claim 0",
		"clear halt 0x01",
		"bulk out 0x01 5553424387654321000000000000061e000000000000000000000000000000",
		"bulk in 0x81 len 13",
		"bulk out 0x01 5553424397654321000000000000061b000000020000000000000000000000",
		"bulk in 0x81 len 13",
		// ZTE's extra message from the data, after the eject
		"bulk out 0x01 55534243123456702000000080000c85010101180101010101000000000000",
		"bulk in 0x81 len 13",
		"clear halt 0x81",
		"clear halt 0x01",
		"release 0",
	}
	if diff := cmp.Diff(want, f.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if len(l.observed) != 3 || l.observed[0] != "message 1: CSW status 0" {
		t.Errorf("observed = %q", l.observed)
	}
}

func TestCBWRetriedOnceOnFailedCSW(t *testing.T) {
	d := mf622(t)
	f := &FakeUSB{CSWStatus: []uint8{1, 1, 1}} // message 1 fails twice, message 2's first try fails
	spec := SwitchSpec{Method: StandardEject}
	if err := runUSB(context.Background(), f, d, spec, &switchLog{}); err != nil {
		t.Fatal(err)
	}
	var outs []string
	for _, c := range f.Calls() {
		if len(c) > 8 && c[:8] == "bulk out" {
			outs = append(outs, c[14:30])
		}
	}
	want := []string{"5553424387654321", "5553424387654321", "5553424397654321", "5553424397654321"}
	if diff := cmp.Diff(want, outs); diff != "" {
		t.Errorf("CBWs sent (-want +got):\n%s", diff)
	}
}

func TestHuaweiNewModeBytes(t *testing.T) {
	f := &FakeUSB{}
	if err := runUSB(context.Background(), f, mf622(t), SwitchSpec{Method: HuaweiNewMode}, &switchLog{}); err != nil {
		t.Fatal(err)
	}
	want := "bulk out 0x01 55534243123456780000000000000011062000000101000100000000000000"
	if c := f.Calls(); len(c) < 4 || c[3] != want {
		t.Errorf("calls = %q", c)
	}
}

// MessageContent from Debian's 1e0e:f000 (Option iCON 210): one CBW, its CSW read.
func TestMessageContentFromDebianData(t *testing.T) {
	b, err := os.ReadFile("testdata/usb_modeswitch/1e0e:f000")
	if err != nil {
		t.Fatal(err)
	}
	e, err := ParseModeswitchFile("1e0e:f000", b)
	if err != nil {
		t.Fatal(err)
	}
	f := &FakeUSB{}
	if err := runUSB(context.Background(), f, mf622(t), *e.Switch, &switchLog{}); err != nil {
		t.Fatal(err)
	}
	want := []string{"detach kernel driver 0", "claim 0", "clear halt 0x01",
		"bulk out 0x01 555342431234567800000000000006bd000000020000000000000000000000",
		"bulk in 0x81 len 13", "clear halt 0x81", "clear halt 0x01", "release 0"}
	if diff := cmp.Diff(want, f.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestControlMethodsBytes(t *testing.T) {
	for _, tc := range []struct {
		m    Method
		want string
	}{
		// USB standard request SET_FEATURE (3) to the device, wValue 1.
		{HuaweiMode, `control bmRequestType=0x00 bRequest=0x03 wValue=0x0001 wIndex=0x0000 data ""`},
		// Vendor request 0x0b, host to device, wValue 1 (modem mode).
		{SierraMode, `control bmRequestType=0x40 bRequest=0x0b wValue=0x0001 wIndex=0x0000 data ""`},
	} {
		f := &FakeUSB{}
		if err := runUSB(context.Background(), f, mf622(t), SwitchSpec{Method: tc.m}, &switchLog{}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{tc.want}, f.Calls()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.m, diff)
		}
	}
}

func TestDeviceGoneMidSwitchIsSuccess(t *testing.T) {
	f := &FakeUSB{Vanish: 2} // gone after the second CBW
	l := &switchLog{}
	if err := runUSB(context.Background(), f, mf622(t), SwitchSpec{Method: StandardEject}, l); err != nil {
		t.Fatal(err)
	}
	if !l.gone {
		t.Errorf("gone not noticed: %q", f.Calls())
	}
}

func TestUnsupportedMethod(t *testing.T) {
	err := runUSB(context.Background(), &FakeUSB{}, mf622(t), SwitchSpec{Method: "SonyMode"}, &switchLog{})
	if !errors.Is(err, ErrUnsupportedMethod) {
		t.Errorf("err = %v", err)
	}
}

func mustEntry(t *testing.T, id string) Entry {
	t.Helper()
	i, _ := ParseID(id)
	e, ok := mustBuiltin(t).LookupStorage(Device{ID: i})
	if !ok {
		t.Fatalf("%s not in builtin", id)
	}
	return e
}

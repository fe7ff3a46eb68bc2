package modeswitch_test

import (
	. "github.com/zdial/zdial/switch"
	"github.com/zdial/zdial/switch/switchtest"

	"context"
	"errors"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mf622(t *testing.T) Device {
	t.Helper()
	d, err := ReadDevice(os.DirFS(SysfsTree("mf622-zerocd")), "1-2")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestStandardEjectBytes(t *testing.T) {
	d := mf622(t)
	f := &switchtest.FakeUSB{}
	spec := *mustEntry(t, "19d2:2000").Switch
	l, err := RunUSB(context.Background(), f, d, spec)
	if err != nil {
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
	if len(l.Observed) != 3 || l.Observed[0] != "message 1: CSW status 0" {
		t.Errorf("observed = %q", l.Observed)
	}
}

func TestCBWRetriedOnceOnFailedCSW(t *testing.T) {
	d := mf622(t)
	f := &switchtest.FakeUSB{CSWStatus: []uint8{1, 1, 1}} // message 1 fails twice, message 2's first try fails
	spec := SwitchSpec{Method: Method("StandardEject")}
	if _, err := RunUSB(context.Background(), f, d, spec); err != nil {
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
	f := &switchtest.FakeUSB{}
	if _, err := RunUSB(context.Background(), f, mf622(t), SwitchSpec{Method: Method("HuaweiNewMode")}); err != nil {
		t.Fatal(err)
	}
	want := "bulk out 0x01 55534243123456780000000000000011062000000101000100000000000000"
	if c := f.Calls(); len(c) < 4 || c[3] != want {
		t.Errorf("calls = %q", c)
	}
}

// Method("MessageContent") from Debian's 1e0e:f000 (Option iCON 210): one CBW, its CSW read.
func TestMessageContentFromDebianData(t *testing.T) {
	b, err := os.ReadFile("testdata/usb_modeswitch/1e0e:f000")
	if err != nil {
		t.Fatal(err)
	}
	e, err := ParseModeswitchFile("1e0e:f000", b)
	if err != nil {
		t.Fatal(err)
	}
	f := &switchtest.FakeUSB{}
	if _, err := RunUSB(context.Background(), f, mf622(t), *e.Switch); err != nil {
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
		{Method("HuaweiMode"), `control bmRequestType=0x00 bRequest=0x03 wValue=0x0001 wIndex=0x0000 data ""`},
		// Vendor request 0x0b, host to device, wValue 1 (modem mode).
		{Method("SierraMode"), `control bmRequestType=0x40 bRequest=0x0b wValue=0x0001 wIndex=0x0000 data ""`},
	} {
		f := &switchtest.FakeUSB{}
		if _, err := RunUSB(context.Background(), f, mf622(t), SwitchSpec{Method: tc.m}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{tc.want}, f.Calls()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.m, diff)
		}
	}
}

func TestDeviceGoneMidSwitchIsSuccess(t *testing.T) {
	f := &switchtest.FakeUSB{Vanish: 2} // gone after the second CBW
	l, err := RunUSB(context.Background(), f, mf622(t), SwitchSpec{Method: Method("StandardEject")})
	if err != nil {
		t.Fatal(err)
	}
	if !l.Gone {
		t.Errorf("gone not noticed: %q", f.Calls())
	}
}

func TestUnsupportedMethod(t *testing.T) {
	_, err := RunUSB(context.Background(), &switchtest.FakeUSB{}, mf622(t), SwitchSpec{Method: "SonyMode"})
	if !errors.Is(err, ErrUnsupportedMethod) {
		t.Errorf("err = %v", err)
	}
}

func mustEntry(t *testing.T, id string) Entry {
	t.Helper()
	i, _ := ParseID(id)
	e, ok := MustBuiltin(t).LookupStorage(Device{ID: i})
	if !ok {
		t.Fatalf("%s not in builtin", id)
	}
	return e
}

package at

import "testing"

// The blocks of testdata/responses.txt that were seen on real devices (see
// the file's header for their sources), decoded by the same parsers.
func TestParseSeenOnDevices(t *testing.T) {
	blocks := loadResponses(t)
	for _, tc := range []struct {
		key  string
		want Registration
	}{
		{"huawei-e160g creg-2", Registration{Cmd: "+CREG", N: 2, Stat: RegHome, LAC: 0x8BE3, CI: 0x2BAF, HasLoc: true, AcT: AcTUnknown}},
		{"huawei-e160g creg-2-unregistered", Registration{Cmd: "+CREG", N: 2, Stat: RegNotSearching, HasLoc: true, AcT: AcTUnknown}},
		{"sonyericsson-k850i creg-2", Registration{Cmd: "+CREG", N: 2, Stat: RegHome, LAC: 0xCE00, CI: 0x01CEAD8F, HasLoc: true, AcT: AcTUnknown}},
		{"sonyericsson-k850i creg-urc", Registration{Cmd: "+CREG", N: -1, Stat: RegHome, LAC: 0xCE00, CI: 0x5449, HasLoc: true, AcT: AcTUnknown}},
		{"novatel-xu870 creg-urc-unregistered", Registration{Cmd: "+CREG", N: -1, Stat: RegSearching, AcT: AcTUnknown}},
		{"ericsson-f3607gw cgreg-2", Registration{Cmd: "+CGREG", N: 2, Stat: RegHome, LAC: 0x8BE3, CI: 0x2B5D, HasLoc: true, AcT: 3}},
		{"iridium creg-2-zero-padded", Registration{Cmd: "+CREG", N: 2, Stat: RegHome, LAC: 0x18D8, CI: 0xFFFF, HasLoc: true, AcT: AcTUnknown}},
	} {
		got, err := ParseRegistration(response(t, blocks, tc.key))
		if err != nil || got != tc.want {
			t.Errorf("[%s]: got %+v, %v; want %+v", tc.key, got, err, tc.want)
		}
	}

	ati := ParseATI(response(t, blocks, "huawei-e3372 ati"))
	if want := (Identity{Manufacturer: "huawei", Model: "E3372", Revision: "21.200.07.00.00", IMEI: "861XXXXXXXXXXXX"}); ati != want {
		t.Errorf("[huawei-e3372 ati]: got %+v, want %+v", ati, want)
	}

	for _, tc := range []struct{ key, want string }{
		{"quectel-eg25g qccid-value", "8944476500008878576"},
		{"huawei-balong iccid-doc-example", "89860063090403208127"},
	} {
		got, err := ParseICCID(response(t, blocks, tc.key))
		if err != nil || got != tc.want {
			t.Errorf("[%s]: got %q, %v; want %q", tc.key, got, err, tc.want)
		}
	}
}

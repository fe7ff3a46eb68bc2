package modeswitch

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBuiltinCoversSeedFamilies(t *testing.T) {
	db := mustBuiltin(t)
	for _, tc := range []struct {
		id     string
		method Method
		name   string
	}{
		{"19d2:2000", standardEject, "MF622"},
		{"19d2:0149", standardEject, "MF190"},
		{"12d1:1446", huaweiNewMode, "E1750"},
		{"12d1:1003", huaweiMode, "E220"},
		{"12d1:1001", huaweiMode, "E169"},
		{"12d1:1c0b", huaweiNewMode, "E173s"},
		{"12d1:1520", huaweiNewMode, "K3765"},
		{"12d1:1f01", huaweiNewMode, "E3131"},
		{"1199:0fff", sierraMode, "Sierra"},
		{"0af0:6971", optionMode, "Option"},
		{"1410:5010", standardEject, "Novatel"},
	} {
		id, _ := ParseID(tc.id)
		e, ok := db.lookupStorage(Device{ID: id})
		if !ok {
			t.Errorf("%s not found", tc.id)
			continue
		}
		if e.Switch.Method != tc.method || !strings.Contains(e.Name, tc.name) || e.Source != "zdial" {
			t.Errorf("%s = %s %q %s", tc.id, e.Switch.Method, e.Name, e.Source)
		}
	}
	e, tg, ok := db.lookupModem(ID{0x19d2, 0x0001})
	if !ok || !strings.Contains(e.Name, "MF622") {
		t.Fatalf("19d2:0001 = %v %v", e.Name, ok)
	}
	if diff := cmp.Diff(map[int]Role{0: RoleDiag, 1: RoleAT, 2: RolePPP}, tg.Ports); diff != "" {
		t.Errorf("MF622 modem ports (-want +got):\n%s", diff)
	}
	// 12d1:1001 is a target of two entries; the one with roles wins.
	_, tg, _ = db.lookupModem(ID{0x12d1, 0x1001})
	if tg.Ports[0] != RolePPP || tg.Ports[1] != RoleDiag || tg.Ports[2] != RoleAT {
		t.Errorf("E1750 ports = %v", tg.Ports)
	}
}

func TestParseDBStrict(t *testing.T) {
	for name, y := range map[string]string{
		"unknown field":  "devices:\n  - name: x\n    storage: [\"19d2:2000\"]\n    swich: {method: StandardEject}\n",
		"unknown method": "devices:\n  - name: x\n    storage: [\"19d2:2000\"]\n    switch: {method: Eject}\n",
		"unknown role":   "devices:\n  - name: x\n    targets: [{id: \"19d2:0001\", ports: {0: modem}}]\n",
		"bad id":         "devices:\n  - name: x\n    storage: [\"19d2-2000\"]\n    switch: {method: StandardEject}\n",
		"bad message":    "devices:\n  - name: x\n    storage: [\"19d2:2000\"]\n    switch: {method: MessageContent, messages: [\"55534\"]}\n",
		"no method":      "devices:\n  - name: x\n    storage: [\"19d2:2000\"]\n",
	} {
		if _, err := parseDB(strings.NewReader(y)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestLookupStorageMatchOrder(t *testing.T) {
	db, st, err := Import("testdata/usb_modeswitch", "")
	if err != nil || len(st.Failures) > 0 {
		t.Fatal(err, st.Failures)
	}
	// 05c6:1000 exists only with a uMa=Option match in the samples.
	e, ok := db.lookupStorage(Device{ID: ID{0x05c6, 0x1000}, Manufacturer: "Option N.V."})
	if !ok || e.Switch.Method != optionMode {
		t.Fatalf("05c6:1000 Option = %+v %v", e, ok)
	}
	if _, ok := db.lookupStorage(Device{ID: ID{0x05c6, 0x1000}, Manufacturer: "Qualcomm"}); ok {
		t.Errorf("uMa=Option entry matched a Qualcomm device")
	}
}

func TestMergeOursWins(t *testing.T) {
	ours := mustBuiltin(t)
	theirs, _, err := Import("testdata/usb_modeswitch", "")
	if err != nil {
		t.Fatal(err)
	}
	m := ours.Merge(theirs)
	e, _ := m.lookupStorage(Device{ID: ID{0x19d2, 0x2000}})
	if e.Source != "zdial" {
		t.Errorf("19d2:2000 from %s, want zdial", e.Source)
	}
	e, ok := m.lookupStorage(Device{ID: ID{0x0482, 0x024d}})
	if !ok || e.Source != "usb-modeswitch-data:0482:024d" || e.Switch.Method != methodConfiguration || e.Switch.Configuration != 2 {
		t.Errorf("0482:024d = %+v %v", e, ok)
	}
	if len(m.entries) <= len(ours.entries) {
		t.Errorf("merge added nothing")
	}
}

func TestSnippetParses(t *testing.T) {
	d := Device{ID: ID{0x19d2, 0xbeef}, Manufacturer: "ZTE, Incorporated", Product: "USB: Storage"}
	s := Snippet(d)
	s = strings.ReplaceAll(s, "XXXX", "0001")
	db, err := parseDB(strings.NewReader("devices:\n" + s))
	if err != nil {
		t.Fatalf("snippet does not parse: %v\n%s", err, s)
	}
	if e, ok := db.lookupStorage(d); !ok || e.Name != "ZTE, Incorporated USB: Storage" {
		t.Errorf("snippet entry = %+v", e)
	}
}

func TestFindDongles(t *testing.T) {
	db := mustBuiltin(t)
	tests := []struct {
		tree string
		want []string // name mode entry?
	}{
		{"mf622-zerocd", []string{"1-2 storage known"}},
		{"mf622-modem-unbound", []string{"1-2 modem known"}},
		{"mf622-modem-option", []string{"1-2 modem known"}},
		{"e1750-modem", []string{"1-3 modem known"}},
		{"modem-mode", []string{"1-2 modem known"}},
		{"unknown", []string{"1-4 storage unknown"}},
	}
	for _, tt := range tests {
		devs, err := readDevices(os.DirFS(sysfsTree(tt.tree)))
		if err != nil {
			t.Fatal(err)
		}
		g, err := findDongles(db, devs)
		if err != nil {
			t.Fatalf("%s: %v", tt.tree, err)
		}
		var got []string
		for _, x := range g {
			k := "unknown"
			if x.Entry != nil {
				k = "known"
			}
			got = append(got, x.Device.Name+" "+string(x.Mode)+" "+k)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.tree, diff)
		}
	}
}

func TestNoDongleListsDevices(t *testing.T) {
	db := mustBuiltin(t)
	devs, err := readDevices(os.DirFS(sysfsTree("mf622-zerocd")))
	if err != nil {
		t.Fatal(err)
	}
	_, err = findDongles(db, devs[:1]) // the disk alone
	var nd *NoDongleError
	if !errors.As(err, &nd) || !errors.Is(err, ErrNoDongle) {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"1-1 0781:5567 SanDisk Cruzer Blade", "known storage-mode IDs", "0af0:6911", "bound to option"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

// A device's name is its family in every mode: one that names a USB ID
// would be printed beside the other mode's ID ("…(ZeroCD 19d2:2000)" on a
// 19d2:0001 modem, issue 13).
func TestDBNamesNameNoUSBID(t *testing.T) {
	_, err := parseDB(strings.NewReader(`devices:
  - name: ZTE MF622 (ZeroCD 19d2:2000)
    storage: ["19d2:2000"]
    switch: {method: StandardEject}
`))
	if err == nil || !strings.Contains(err.Error(), "names a USB ID (19d2:2000)") {
		t.Errorf("err = %v, want the name refused", err)
	}
}

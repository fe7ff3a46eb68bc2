package modeswitch

import (
	"archive/tar"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseModeswitchFileSamples(t *testing.T) {
	tests := []struct {
		file string
		want Entry
	}{
		{"19d2:2000", Entry{
			Name: "ZTE devices, some Onda devices", Storage: []ID{{0x19d2, 0x2000}},
			Switch: &SwitchSpec{Method: standardEject, Messages: []string{"55534243123456702000000080000c85010101180101010101000000000000"}},
		}},
		{"12d1:1446", Entry{
			Name: "Huawei, newer modems, and rebrandings", Storage: []ID{{0x12d1, 0x1446}},
			Switch: &SwitchSpec{Method: huaweiNewMode},
		}},
		{"12d1:1003", Entry{
			Name: "Huawei E220, E230, E270, E870", Storage: []ID{{0x12d1, 0x1003}},
			Switch:  &SwitchSpec{Method: huaweiMode, TargetClass: 0xff},
			Targets: []Target{{ID: ID{0x12d1, 0x1003}}},
		}},
		{"1e0e:f000", Entry{
			Name: "Option iCON 210, PROLiNK PHS100 + PH300, Hyundai MB-810, A-Link 3GU", Storage: []ID{{0x1e0e, 0xf000}},
			Switch:  &SwitchSpec{Method: messageContent, Messages: []string{"555342431234567800000000000006bd000000020000000000000000000000"}},
			Targets: []Target{{ID: ID{0x1e0e, 0x9000}}, {ID: ID{0x1e0e, 0x9100}}, {ID: ID{0x1e0e, 0x9200}}},
		}},
		{"05c6:1000:uMa=Option", Entry{
			Name: "Quirky Option devices", Storage: []ID{{0x05c6, 0x1000}}, Match: &Match{Manufacturer: "Option"},
			Switch:  &SwitchSpec{Method: optionMode},
			Targets: []Target{{ID: ID{0x0af0, 0x6901}}},
		}},
		{"19d2:0120", Entry{ // DetachStorageOnly=0 is off; Interface=0x00 is hex
			Name: "ZTE-T A356", Storage: []ID{{0x19d2, 0x0120}},
			Switch:  &SwitchSpec{Method: standardEject},
			Targets: []Target{{ID: ID{0x19d2, 0x0079}}},
		}},
		{"0482:024d", Entry{
			Name: "Kyocera W06K CDMA modem", Storage: []ID{{0x0482, 0x024d}},
			Switch: &SwitchSpec{Method: methodConfiguration, Configuration: 2},
		}},
		{"0e8d:0002:uPr=MT", Entry{
			Name: "MediaTek MT6276M and others", Storage: []ID{{0x0e8d, 0x0002}}, Match: &Match{Product: "MT"},
			Switch:  &SwitchSpec{Method: messageContent, Messages: []string{"555342431234567800000000000006f0010300000000000000000000000000"}},
			Targets: []Target{{ID: ID{0x0e8d, 0x00a1}}, {ID: ID{0x0e8d, 0x00a2}}, {ID: ID{0x0e8d, 0x00a5}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "usb_modeswitch", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := parseModeswitchFile(tt.file, b)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Source = "usb-modeswitch-data:" + tt.file
			// Target lists are long for some; compare the heads only where given.
			if len(tt.want.Targets) == 0 {
				got.Targets = nil
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseModeswitchFileTargets(t *testing.T) {
	b, _ := os.ReadFile("testdata/usb_modeswitch/19d2:2000")
	e, err := parseModeswitchFile("19d2:2000", b)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Targets) != 27 || e.Targets[0].ID != (ID{0x19d2, 0x0001}) || e.Targets[26].ID != (ID{0x19d2, 0x2003}) {
		t.Errorf("targets = %v", e.Targets)
	}
}

func TestParseModeswitchFileRejects(t *testing.T) {
	for name, tc := range map[string][2]string{
		"unknown key":   {"19d2:2000", "StandardEjekt=1\n"},
		"no method":     {"19d2:2000", "TargetVendor=0x19d2\n"},
		"two modes":     {"19d2:2000", "HuaweiMode=1\nSierraMode=1\n"},
		"odd hex":       {"19d2:2000", "MessageContent=\"555\"\n"},
		"bad name":      {"19d2", "StandardEject=1\n"},
		"bad match":     {"19d2:2000:xYz=1", "StandardEject=1\n"},
		"missing quote": {"19d2:2000", "TargetProductList=\"0001\nStandardEject=1\n"},
	} {
		if _, err := parseModeswitchFile(tc[0], []byte(tc[1])); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestImportPackAndOverrides builds a configPack from the samples and checks
// that loose files in the data dir and /etc override pack members.
func TestImportPackAndOverrides(t *testing.T) {
	data := t.TempDir()
	etc := t.TempDir()
	f, err := os.Create(filepath.Join(data, "configPack.tar.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	ents, _ := os.ReadDir("testdata/usb_modeswitch")
	n := 0
	for _, e := range ents {
		if e.Name() == "README" {
			continue
		}
		b, _ := os.ReadFile(filepath.Join("testdata/usb_modeswitch", e.Name()))
		tw.WriteHeader(&tar.Header{Name: e.Name(), Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg})
		tw.Write(b)
		n++
	}
	nl := "[0482:024d] Kyocera W06K, [19d2:2000] ZTE MF622, "
	tw.WriteHeader(&tar.Header{Name: "new.lst", Mode: 0o644, Size: int64(len(nl)), Typeflag: tar.TypeReg})
	tw.Write([]byte(nl))
	tw.Close()
	zw.Close()
	f.Close()
	os.WriteFile(filepath.Join(etc, "12d1:1446"), []byte("# local\nTargetVendor=0x12d1\nTargetProduct=0x1001\nStandardEject=1\n"), 0o644)
	os.WriteFile(filepath.Join(etc, "notes.txt"), []byte("not a config"), 0o644)

	db, st, err := Import(data, etc)
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != n+2 || st.Devices != n || len(st.Failures) != 0 {
		t.Fatalf("stats = %+v (pack had %d configs)", st, n)
	}
	e, _ := db.lookupStorage(Device{ID: ID{0x12d1, 0x1446}})
	if e.Name != "local" || e.Switch.Method != standardEject {
		t.Errorf("/etc override lost: %+v", e)
	}
}

func TestImportMissingIsEmpty(t *testing.T) {
	db, st, err := Import(filepath.Join(t.TempDir(), "none"), filepath.Join(t.TempDir(), "none"))
	if err != nil || st.Files != 0 || len(db.entries) != 0 {
		t.Fatalf("db=%v st=%+v err=%v", db, st, err)
	}
}

// TestImportDebianPackage reads the real usb-modeswitch-data when it is
// installed (CI: apt-get install usb-modeswitch-data). Debian 12's
// 20191128-5 ships 513 files in configPack.tar.gz: 512 configurations and new.lst.
func TestImportDebianPackage(t *testing.T) {
	if _, err := os.Stat(filepath.Join(DataDir, "configPack.tar.gz")); err != nil {
		t.Skip("usb-modeswitch-data not installed: ", err)
	}
	db, st, err := Import(DataDir, ConfigDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range st.Failures {
		t.Error(f)
	}
	t.Logf("usb-modeswitch-data: %d files read, %d devices, %d failures", st.Files, st.Devices, len(st.Failures))
	if st.Files < 513 || st.Devices < 512 || st.Devices != len(db.entries) {
		t.Errorf("stats = %d files, %d devices, %d entries", st.Files, st.Devices, len(db.entries))
	}
	methods := map[Method]int{}
	for _, e := range db.entries {
		methods[e.Switch.Method]++
	}
	t.Logf("methods: %v", methods)
	if methods[standardEject] == 0 || methods[huaweiNewMode] == 0 || methods[sierraMode] == 0 {
		t.Errorf("methods = %v", methods)
	}
	merged := mustBuiltin(t).Merge(db)
	if e, _ := merged.lookupStorage(Device{ID: ID{0x19d2, 0x2000}}); e.Source != "zdial" {
		t.Errorf("ours lost 19d2:2000 to %s", e.Source)
	}
}

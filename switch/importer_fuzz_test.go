package modeswitch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseModeswitchFile feeds the usb-modeswitch-data parser arbitrary
// file names and contents: no panic, and an entry it accepts names the
// storage ID the file name gave.
func FuzzParseModeswitchFile(f *testing.F) {
	if ents, err := os.ReadDir("testdata/usb_modeswitch"); err == nil {
		for _, e := range ents {
			if b, err := os.ReadFile(filepath.Join("testdata/usb_modeswitch", e.Name())); err == nil && !e.IsDir() {
				f.Add(e.Name(), b)
			}
		}
	}
	f.Add("19d2:2000", []byte("TargetVendor=0x19d2\nTargetProductList=\"0001,0002\"\nStandardEEject=1\nMessageContent=\"5553424312345678\"\n"))
	f.Add("12d1:1446:uMa=HUAWEI", []byte("HuaweiNewMode=1\n# comment\nTargetVendor = 0x12d1\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		e, err := parseModeswitchFile(name, data)
		if err != nil {
			return
		}
		if len(e.Storage) != 1 {
			t.Fatalf("entry for %q has storage IDs %v", name, e.Storage)
		}
		parts := strings.SplitN(name, ":", 3)
		if want, err := ParseID(parts[0] + ":" + parts[1]); err != nil || e.Storage[0] != want {
			t.Fatalf("entry for %q has storage ID %s, want %s (%v)", name, e.Storage[0], want, err)
		}
		parseNewList(string(data))
	})
}

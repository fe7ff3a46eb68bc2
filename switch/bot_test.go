package modeswitch

import (
	"encoding/hex"
	"testing"
)

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

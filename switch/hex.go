package modeswitch

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// decodeHex decodes a usb_modeswitch message: hex digits, even length.
func decodeHex(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	b, err := hex.DecodeString(s)
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("modeswitch: message %q is not an even-length hex string", s)
	}
	return b, nil
}

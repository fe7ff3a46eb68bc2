package modeswitch

import (
	"encoding/binary"
	"fmt"
)

// USB mass storage bulk-only transport (BOT). A command goes out as a 31-byte
// Command Block Wrapper and the device answers, after any data stage, with a
// 13-byte Command Status Wrapper carrying the same tag:
//
//	CBW  55534243 tttttttt llllllll ff LL cc <16-byte SCSI command block>
//	     "USBC"   tag      data len flags(bit7=IN) LUN CB length
//	CSW  55534253 tttttttt rrrrrrrr ss
//	     "USBS"   tag      residue  status (0 passed, 1 failed, 2 phase error)
const (
	cbwSignature = "USBC"
	cswSignature = "USBS"
	cbwLen       = 31
	cswLen       = 13
)

// CBW is a decoded Command Block Wrapper.
type CBW struct {
	Tag      uint32
	DataLen  uint32
	In       bool
	LUN      uint8
	CBLength uint8
	CB       [16]byte
}

// ParseCBW decodes a 31-byte CBW.
func ParseCBW(b []byte) (CBW, error) {
	if len(b) != cbwLen || string(b[:4]) != cbwSignature {
		return CBW{}, fmt.Errorf("modeswitch: not a CBW (%d bytes, want %d starting USBC)", len(b), cbwLen)
	}
	c := CBW{
		Tag:      binary.LittleEndian.Uint32(b[4:8]),
		DataLen:  binary.LittleEndian.Uint32(b[8:12]),
		In:       b[12]&0x80 != 0,
		LUN:      b[13] & 0x0f,
		CBLength: b[14],
	}
	copy(c.CB[:], b[15:31])
	return c, nil
}

// Bytes encodes the CBW.
func (c CBW) Bytes() []byte {
	b := make([]byte, cbwLen)
	copy(b, cbwSignature)
	binary.LittleEndian.PutUint32(b[4:8], c.Tag)
	binary.LittleEndian.PutUint32(b[8:12], c.DataLen)
	if c.In {
		b[12] = 0x80
	}
	b[13] = c.LUN
	b[14] = c.CBLength
	copy(b[15:], c.CB[:])
	return b
}

// CSW is a decoded Command Status Wrapper.
type CSW struct {
	Tag     uint32
	Residue uint32
	Status  uint8
}

// Bytes encodes the CSW, as a device sends it.
func (c CSW) Bytes() []byte {
	b := make([]byte, cswLen)
	copy(b, cswSignature)
	binary.LittleEndian.PutUint32(b[4:8], c.Tag)
	binary.LittleEndian.PutUint32(b[8:12], c.Residue)
	b[12] = c.Status
	return b
}

// parseCSW decodes a 13-byte CSW.
func parseCSW(b []byte) (CSW, error) {
	if len(b) != cswLen || string(b[:4]) != cswSignature {
		return CSW{}, fmt.Errorf("modeswitch: not a CSW (% x)", b)
	}
	return CSW{
		Tag:     binary.LittleEndian.Uint32(b[4:8]),
		Residue: binary.LittleEndian.Uint32(b[8:12]),
		Status:  b[12],
	}, nil
}

// isCBW reports a message that is a BOT command and so is answered by a CSW.
func isCBW(b []byte) bool { return len(b) == cbwLen && string(b[:4]) == cbwSignature }

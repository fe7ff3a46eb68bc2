package main

import (
	"testing"
	"unsafe"
)

// The kernel reads sg_io_hdr by its C layout: 88 bytes on 64-bit Linux, with the pointers,
// timeout and status fields at these offsets.
func TestSgIOHdrLayout(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("layout checked for 64-bit only")
	}
	var h sgIOHdr
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"size", unsafe.Sizeof(h), 88},
		{"dxferp", unsafe.Offsetof(h.dxferp), 16},
		{"cmdp", unsafe.Offsetof(h.cmdp), 24},
		{"sbp", unsafe.Offsetof(h.sbp), 32},
		{"timeout", unsafe.Offsetof(h.timeout), 40},
		{"usr_ptr", unsafe.Offsetof(h.usrPtr), 56},
		{"status", unsafe.Offsetof(h.status), 64},
		{"host_status", unsafe.Offsetof(h.hostStatus), 68},
		{"resid", unsafe.Offsetof(h.resid), 72},
		{"info", unsafe.Offsetof(h.info), 80},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
}

func TestEjectCDB(t *testing.T) {
	// START STOP UNIT: opcode 0x1b, byte 4 bit 1 LoEj=1, bit 0 Start=0.
	if startStopEject[0] != 0x1b || startStopEject[4] != 0x02 {
		t.Fatalf("eject CDB % x", startStopEject)
	}
}

package main

import (
	"fmt"
	"os"
	"runtime"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

const (
	sgIO        = 0x2285 // SG_IO from <scsi/sg.h>
	sgDxferNone = -1
	nonblock    = unix.O_NONBLOCK // an sr device with no medium still opens
)

var (
	allowRemoval   = []byte{0x1e, 0, 0, 0, 0, 0}
	startStopEject = []byte{0x1b, 0, 0, 0, 0x02, 0}
)

// sgIOHdr is struct sg_io_hdr from <scsi/sg.h>; Go lays it out as C does on 64-bit Linux.
type sgIOHdr struct {
	interfaceID    int32
	dxferDirection int32
	cmdLen         uint8
	mxSbLen        uint8
	iovecCount     uint16
	dxferLen       uint32
	dxferp         unsafe.Pointer
	cmdp           unsafe.Pointer
	sbp            unsafe.Pointer
	timeout        uint32
	flags          uint32
	packID         int32
	usrPtr         unsafe.Pointer
	status         uint8
	maskedStatus   uint8
	msgStatus      uint8
	sbLenWr        uint8
	hostStatus     uint16
	driverStatus   uint16
	resid          int32
	duration       uint32
	info           uint32
}

// An sgError is a command that reached the device and failed; sense holds its sense data.
type sgError struct {
	status, host, driver int
	sense                []byte
}

func (e *sgError) Error() string {
	return fmt.Sprintf("SCSI status %#x host %#x driver %#x sense % x", e.status, e.host, e.driver, e.sense)
}

// sgCommand runs one no-data SCSI command through SG_IO.
func sgCommand(f *os.File, cdb []byte, timeout time.Duration) error {
	sense := make([]byte, 32)
	h := sgIOHdr{
		interfaceID:    'S',
		dxferDirection: sgDxferNone,
		cmdLen:         uint8(len(cdb)),
		mxSbLen:        uint8(len(sense)),
		cmdp:           unsafe.Pointer(&cdb[0]),
		sbp:            unsafe.Pointer(&sense[0]),
		timeout:        uint32(timeout.Milliseconds()),
	}
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, f.Fd(), sgIO, uintptr(unsafe.Pointer(&h)))
	runtime.KeepAlive(cdb)
	runtime.KeepAlive(sense)
	if errno != 0 {
		return fmt.Errorf("SG_IO: %w", errno)
	}
	if h.status != 0 || h.hostStatus != 0 || h.driverStatus != 0 {
		return &sgError{int(h.status), int(h.hostStatus), int(h.driverStatus), sense[:h.sbLenWr]}
	}
	return nil
}

package modeswitch

import (
	"context"
	"errors"
	"os"
	"runtime"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Mirrors of linux/usbdevice_fs.h. Field order and types follow the C
// structs so Go lays them out the same on every architecture (checked on
// amd64 against gcc: ctrltransfer 24 bytes with data at 16, bulktransfer 24
// with data at 16, usbdevfs_ioctl 16); the ioctl numbers are computed from
// these sizes, as _IOWR does in C.
type usbCtrlTransfer struct {
	RequestType uint8
	Request     uint8
	Value       uint16
	Index       uint16
	Length      uint16
	Timeout     uint32 // milliseconds
	Data        unsafe.Pointer
}

type usbBulkTransfer struct {
	Ep      uint32
	Len     uint32
	Timeout uint32 // milliseconds
	Data    unsafe.Pointer
}

type usbIoctl struct {
	Ifno      int32
	IoctlCode int32
	Data      unsafe.Pointer
}

func ioc(dir, nr, size uintptr) uintptr { return dir<<30 | size<<16 | 'U'<<8 | nr }

const (
	iocNone  = 0
	iocWrite = 1
	iocRead  = 2
)

var (
	usbdevfsControl      = ioc(iocRead|iocWrite, 0, unsafe.Sizeof(usbCtrlTransfer{}))
	usbdevfsBulk         = ioc(iocRead|iocWrite, 2, unsafe.Sizeof(usbBulkTransfer{}))
	usbdevfsSetConfig    = ioc(iocRead, 5, 4)
	usbdevfsClaim        = ioc(iocRead, 15, 4)
	usbdevfsRelease      = ioc(iocRead, 16, 4)
	usbdevfsIoctl        = ioc(iocRead|iocWrite, 18, unsafe.Sizeof(usbIoctl{}))
	usbdevfsReset        = ioc(iocNone, 20, 0)
	usbdevfsClearHalt    = ioc(iocRead, 21, 4)
	usbdevfsDisconnect   = ioc(iocNone, 22, 0)
	defaultTransferLimit = 3 * time.Second // usb_modeswitch's bulk timeout
)

// usbdevfs is a USBDevice on a /dev/bus/usb node.
type usbdevfs struct {
	f *os.File
}

// openUSBDevfs opens a usbdevfs node (/dev/bus/usb/001/005) read-write.
// Opening needs write access to the node: root, or a udev rule granting it.
func openUSBDevfs(path string) (USBDevice, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		if errors.Is(err, os.ErrPermission) {
			return nil, &PermissionError{Op: "open", Path: path, Need: needUSBDevfs, Err: err}
		}
		return nil, &OpError{Op: "open", Path: path, Err: err}
	}
	return &usbdevfs{f: f}, nil
}

func (u *usbdevfs) ioctl(op string, req uintptr, arg unsafe.Pointer) (int, error) {
	var r uintptr
	var errno unix.Errno
	sc, err := u.f.SyscallConn()
	if err != nil {
		return 0, &OpError{Op: op, Path: u.f.Name(), Err: err}
	}
	cerr := sc.Control(func(fd uintptr) {
		r, _, errno = unix.Syscall(unix.SYS_IOCTL, fd, req, uintptr(arg))
	})
	if cerr != nil {
		return 0, &OpError{Op: op, Path: u.f.Name(), Err: cerr}
	}
	switch errno {
	case 0:
		return int(r), nil
	case unix.ENODEV, unix.ESHUTDOWN, unix.EPROTO:
		return 0, &OpError{Op: op, Path: u.f.Name(), Err: errors.Join(ErrDeviceGone, errno)}
	case unix.EACCES, unix.EPERM:
		return 0, &PermissionError{Op: op, Path: u.f.Name(), Need: needUSBIoctl, Err: errno}
	}
	return 0, &OpError{Op: op, Path: u.f.Name(), Err: errno}
}

func (u *usbdevfs) intArg(op string, req uintptr, v int) error {
	n := uint32(v)
	_, err := u.ioctl(op, req, unsafe.Pointer(&n))
	return err
}

func (u *usbdevfs) DetachKernelDriver(iface int) error {
	arg := usbIoctl{Ifno: int32(iface), IoctlCode: int32(usbdevfsDisconnect)}
	_, err := u.ioctl("detach kernel driver", usbdevfsIoctl, unsafe.Pointer(&arg))
	if errors.Is(err, unix.ENODATA) { // no driver bound
		return nil
	}
	return err
}

func (u *usbdevfs) Claim(iface int) error { return u.intArg("claim interface", usbdevfsClaim, iface) }
func (u *usbdevfs) Release(iface int) error {
	return u.intArg("release interface", usbdevfsRelease, iface)
}
func (u *usbdevfs) ClearHalt(ep uint8) error {
	return u.intArg("clear halt", usbdevfsClearHalt, int(ep))
}
func (u *usbdevfs) SetConfiguration(n int) error {
	return u.intArg("set configuration", usbdevfsSetConfig, n)
}

func (u *usbdevfs) Reset() error {
	_, err := u.ioctl("reset", usbdevfsReset, nil)
	return err
}

// timeoutMS turns the ctx deadline into a usbdevfs timeout: the kernel, not
// a goroutine, bounds the transfer, so no goroutine is left in an ioctl.
func timeoutMS(ctx context.Context) (uint32, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	d := defaultTransferLimit
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		d = time.Until(dl)
	}
	ms := d.Milliseconds()
	if ms < 1 {
		return 0, context.DeadlineExceeded
	}
	return uint32(ms), nil
}

func (u *usbdevfs) Bulk(ctx context.Context, ep uint8, buf []byte) (int, error) {
	to, err := timeoutMS(ctx)
	if err != nil {
		return 0, err
	}
	var p unsafe.Pointer
	if len(buf) > 0 {
		p = unsafe.Pointer(&buf[0])
	}
	arg := usbBulkTransfer{Ep: uint32(ep), Len: uint32(len(buf)), Timeout: to, Data: p}
	n, err := u.ioctl("bulk transfer", usbdevfsBulk, unsafe.Pointer(&arg))
	runtime.KeepAlive(buf)
	return n, err
}

func (u *usbdevfs) Control(ctx context.Context, s Setup, data []byte) (int, error) {
	to, err := timeoutMS(ctx)
	if err != nil {
		return 0, err
	}
	var p unsafe.Pointer
	if len(data) > 0 {
		p = unsafe.Pointer(&data[0])
	}
	arg := usbCtrlTransfer{RequestType: s.RequestType, Request: s.Request, Value: s.Value, Index: s.Index,
		Length: uint16(len(data)), Timeout: to, Data: p}
	n, err := u.ioctl("control transfer", usbdevfsControl, unsafe.Pointer(&arg))
	runtime.KeepAlive(data)
	return n, err
}

func (u *usbdevfs) Close() error { return u.f.Close() }

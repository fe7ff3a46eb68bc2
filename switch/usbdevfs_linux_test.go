package modeswitch

import (
	"runtime"
	"testing"
	"unsafe"
)

// The request numbers and struct sizes printed by a C program including
// <linux/usbdevice_fs.h> on amd64 (gcc 12, Debian 12).
func TestUsbdevfsABI(t *testing.T) {
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" {
		t.Skip("values recorded on a 64-bit machine")
	}
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"sizeof ctrltransfer", unsafe.Sizeof(usbCtrlTransfer{}), 24},
		{"offsetof ctrltransfer.data", unsafe.Offsetof(usbCtrlTransfer{}.Data), 16},
		{"sizeof bulktransfer", unsafe.Sizeof(usbBulkTransfer{}), 24},
		{"offsetof bulktransfer.data", unsafe.Offsetof(usbBulkTransfer{}.Data), 16},
		{"sizeof usbdevfs_ioctl", unsafe.Sizeof(usbIoctl{}), 16},
		{"USBDEVFS_CONTROL", usbdevfsControl, 0xc0185500},
		{"USBDEVFS_BULK", usbdevfsBulk, 0xc0185502},
		{"USBDEVFS_SETCONFIGURATION", usbdevfsSetConfig, 0x80045505},
		{"USBDEVFS_CLAIMINTERFACE", usbdevfsClaim, 0x8004550f},
		{"USBDEVFS_RELEASEINTERFACE", usbdevfsRelease, 0x80045510},
		{"USBDEVFS_IOCTL", usbdevfsIoctl, 0xc0105512},
		{"USBDEVFS_RESET", usbdevfsReset, 0x5514},
		{"USBDEVFS_CLEAR_HALT", usbdevfsClearHalt, 0x80045515},
		{"USBDEVFS_DISCONNECT", usbdevfsDisconnect, 0x5516},
	} {
		if c.got != c.want {
			t.Errorf("%s = %#x, want %#x", c.name, c.got, c.want)
		}
	}
}

func TestOpenUSBDevfsMissing(t *testing.T) {
	if _, err := openUSBDevfs(t.TempDir() + "/bus/usb/001/099"); err == nil {
		t.Fatal("opened a missing node")
	}
}

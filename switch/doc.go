// Package modeswitch takes a USB mobile broadband dongle from "plugged in"
// to "here are its ttys": it reads the USB devices from sysfs, recognises
// dongles from a device database (its own embedded YAML, plus Debian's
// usb-modeswitch-data when installed, read by Import), switches one out of
// its virtual CD-ROM ("ZeroCD") mode over usbdevfs in pure Go, binds the
// option serial driver through new_id, waits on uevents (no sleeps) for the
// modem and its ttys, and writes the udev rule that does all this at plug
// time. Which tty carries PPP is the dialer's business (it probes them with
// AT); this package says only what the database knows about each port.
//
// The directory is named switch, which is a Go keyword, so the package is
// named after what it does, and is imported as
//
//	modeswitch "github.com/zdial/zdial/switch"
//
// A ZTE MF622 switch, as it goes over the wire (StandardEject, then the
// ZTE message from the data; each CBW is answered by a 13-byte CSW):
//
//	sysfs   1-2 is 19d2:2000, interface 1-2:1.0 class 08 bound to usb-storage
//	usbdevfs /dev/bus/usb/001/005:
//	  IOCTL(ifno 0, DISCONNECT)      usb-storage lets go of this interface only
//	  CLAIMINTERFACE 0
//	  BULK out 0x01  55534243 87654321 00000000 00 00 06 1e00000000…   ALLOW MEDIUM REMOVAL
//	  BULK in  0x81  55534253 87654321 00000000 00                     CSW, status 0
//	  BULK out 0x01  55534243 97654321 00000000 00 00 06 1b0000000200… START STOP UNIT: eject
//	  BULK in  0x81  55534253 97654321 00000000 00
//	  BULK out 0x01  55534243 12345670 20000000 80 00 0c 85010101180101010101…
//	  BULK in  0x81  (CSW, or nothing: the device is already leaving)
//	uevent  remove 1-2; add 1-2 (now 19d2:0001, interfaces 0-2 class ff, 3 storage)
//	sysfs   write "19d2 0001 ff" to bus/usb-serial/drivers/option1/new_id
//	uevent  add …/1-2:1.0/ttyUSB0, ttyUSB1, ttyUSB2
//	ports   ttyUSB0 diag (never opened), ttyUSB1 at, ttyUSB2 ppp (database role)
//
// Nothing here unloads a kernel module or writes to a device other than the
// one being switched. Every path root (sysfs, /dev, modprobe, the lock
// directory, /proc) is a field or parameter, so tests run on the fake
// sysfs trees under testdata/sysfs with the recording usbdevfs fake of
// package switchtest.
package modeswitch

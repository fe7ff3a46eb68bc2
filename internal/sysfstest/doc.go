// Package sysfstest turns a sysfs capture from the lab (a real kernel's
// /sys and /dev, written as text) back into a directory tree that tests can
// point zdial's sysfs and /dev roots at. The hand-made trees under
// testdata/sysfs are what we believed the kernel shows; a materialised
// capture is what it did show, padding, platform paths and all.
//
// The capture format (testdata/sysfs/real/*.txt), one line each:
//
//	==== SNAPSHOT modem-bound                  a state; ends at "==== END modem-bound"
//	## 1-1 -> ../../../devices/platform/dummy_hcd.0/usb1/1-1
//	                                           an entry of /sys/bus/usb/devices and its link
//	1-1/bNumInterfaces =  3|                   an attribute, '|' for newline (padding kept)
//	1-1:1.0/driver -> ../../../../../../bus/usb/drivers/option
//	1-1:1.0/ttyUSB0/                           a directory
//	1-1/uevent: DEVNAME=bus/usb/001/003        one line of the entry's uevent file
//	/sys/bus/usb/devices/1-1:1.1/ttyUSB1/tty   a path listed by find: a directory
//	/dev/bus/usb/001/:                         an ls -l listing of that directory follows
//	crw-------  1 root root  188, 0 Nov 25 15:50 /dev/ttyUSB0
//	                                           a device node (ls -l), absolute or in the listing
//	total 0                                    ls noise, skipped, as are blank lines
//
// Entry, attribute, link, directory and uevent lines name paths below
// /sys/bus/usb/devices/<entry>, which lead through the entry's link into
// /sys/devices, as on the real machine. Lines before the first SNAPSHOT
// starting with '#' are the file's header. Anything else is an error, so a
// change in the lab's capture cannot be silently half-read.
//
// The package is for tests only: nothing outside _test files imports it.
package sysfstest

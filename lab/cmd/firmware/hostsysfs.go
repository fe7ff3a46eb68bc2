package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

var errNoDevice = errors.New("firmware: device not enumerated on the host")

// storageClaimed reports whether a host driver is bound to interface 0 of the USB device
// with these IDs and serial number, as the host's sysfs shows it:
//
//	<sysfs>/bus/usb/devices/1-1/{idVendor,idProduct,serial}
//	<sysfs>/bus/usb/devices/1-1:1.0/driver -> …/usb-storage   (absent when unclaimed)
func storageClaimed(sysfs string, vendor, product uint16, serial string) (bool, error) {
	devs, err := os.ReadDir(filepath.Join(sysfs, "bus/usb/devices"))
	if err != nil {
		return false, fmt.Errorf("firmware: host sysfs: %w", err)
	}
	for _, d := range devs {
		dir := filepath.Join(sysfs, "bus/usb/devices", d.Name())
		if attr(dir, "idVendor") != fmt.Sprintf("%04x", vendor) ||
			attr(dir, "idProduct") != fmt.Sprintf("%04x", product) ||
			attr(dir, "serial") != serial {
			continue
		}
		iface := filepath.Join(sysfs, "bus/usb/devices", d.Name()+":1.0")
		if _, err := os.Stat(iface); err != nil {
			return false, errNoDevice // interfaces not created yet
		}
		_, err := os.Lstat(filepath.Join(iface, "driver"))
		return err == nil, nil
	}
	return false, errNoDevice
}

func attr(dir, name string) string {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

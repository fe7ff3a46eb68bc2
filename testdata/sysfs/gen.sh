#!/bin/sh
# gen.sh rebuilds the fake sysfs trees used by package modeswitch's tests.
# Each scenario directory mirrors the parts of /sys that zdial reads:
#
#   bus/usb/devices/<name>            -> ../../../devices/pci0000:00/0000:00:14.0/usb1/<name>
#   devices/.../usb1/<name>/idVendor  (idProduct, manufacturer, product, serial,
#                                      busnum, devnum, bConfigurationValue, bDeviceClass)
#   devices/.../usb1/<name>/<name>:1.N/bInterfaceNumber (class, endpoints ep_XX/,
#                                      driver -> bus/usb/drivers/<drv>, ttyUSBn/ or tty/ttyACMn)
#   bus/usb/drivers/<drv>/{bind,unbind,new_id}
#   bus/usb-serial/drivers/option1/new_id   (only when the option driver is loaded)
#
# The values are modelled on real devices (lsusb -v and /sys listings of the
# same models); serial numbers are made up. Run from this directory: sh gen.sh
set -eu
cd "$(dirname "$0")"
PCI=devices/pci0000:00/0000:00:14.0

scenario() { S=$1; rm -rf "$S"; mkdir -p "$S/$PCI" "$S/bus/usb/devices"; w "$S/$PCI/usb1" ; }
w() { mkdir -p "$1"; }
put() { printf '%s\n' "$2" > "$1"; }
driver() { # driver SCENARIO BUS NAME: a loaded driver's directory
	dd="$1/bus/$2/drivers/$3"; mkdir -p "$dd"; : > "$dd/bind"; : > "$dd/unbind"; : > "$dd/new_id"; : > "$dd/remove_id"
}
# usbdev SCEN NAME VID PID BUS DEV CLASS MANUFACTURER PRODUCT SERIAL
usbdev() {
	d="$1/$PCI/usb1/$2"; mkdir -p "$d"
	put "$d/idVendor" "$3"; put "$d/idProduct" "$4"; put "$d/busnum" "$5"; put "$d/devnum" "$6"
	put "$d/bDeviceClass" "$7"; put "$d/bConfigurationValue" 1; put "$d/bNumConfigurations" 1
	put "$d/speed" 480
	[ -n "$8" ] && put "$d/manufacturer" "$8"
	[ -n "$9" ] && put "$d/product" "$9"
	[ -n "${10}" ] && put "$d/serial" "${10}"
	ln -s "../../../$PCI/usb1/$2" "$1/bus/usb/devices/$2"
}
# iface SCEN DEV NUM CLASS SUB PROTO DRIVER(-) EP...   (EP = addr:attr, e.g. 81:02)
iface() {
	s=$1; dev=$2; n=$3; name="$dev:1.$n"; d="$s/$PCI/usb1/$dev/$name"; mkdir -p "$d"
	put "$d/bInterfaceNumber" "$(printf %02x "$n")"; put "$d/bAlternateSetting" " 0"
	put "$d/bInterfaceClass" "$4"; put "$d/bInterfaceSubClass" "$5"; put "$d/bInterfaceProtocol" "$6"
	drv=$7; shift 7
	put "$d/bNumEndpoints" "$(printf %02x $#)"
	for ep in "$@"; do
		a=${ep%%:*}; t=${ep#*:}; e="$d/ep_$a"; mkdir -p "$e"
		put "$e/bEndpointAddress" "$a"; put "$e/bmAttributes" "$t"; put "$e/wMaxPacketSize" 0200
		case $t in 02) put "$e/type" Bulk;; 03) put "$e/type" Interrupt;; esac
		case $a in [89a-f]?) put "$e/direction" in;; *) put "$e/direction" out;; esac
	done
	if [ "$drv" != - ]; then
		driver "$s" usb "$drv"
		ln -s "../../../../../../bus/usb/drivers/$drv" "$d/driver"
	fi
	ln -s "../../../$PCI/usb1/$dev/$name" "$s/bus/usb/devices/$name"
}
# ttyusb SCEN DEV NUM ttyUSBn: a usb-serial port under an interface bound to option
ttyusb() {
	d="$1/$PCI/usb1/$2/$2:1.$3/$4"; mkdir -p "$d/tty/$4"
	put "$d/port_number" 0; put "$d/tty/$4/dev" "188:${4#ttyUSB}"
	ln -s "../../../../../../../bus/usb-serial/drivers/option1" "$d/driver"
}
# ttyacm SCEN DEV NUM ttyACMn: a cdc_acm port
ttyacm() {
	d="$1/$PCI/usb1/$2/$2:1.$3/tty/$4"; mkdir -p "$d"; put "$d/dev" "166:${4#ttyACM}"
}
option_loaded() { driver "$1" usb option; driver "$1" usb-serial option1; rm -f "$1/bus/usb-serial/drivers/option1/bind" "$1/bus/usb-serial/drivers/option1/unbind"; }
roothub() { usbdev "$1" usb1 1d6b 0002 1 1 09 "Linux 6.1.0 xhci-hcd" "xHCI Host Controller" "0000:00:14.0"; }
disk() { # a USB stick that must never be touched
	usbdev "$1" 1-1 0781 5567 1 2 00 SanDisk "Cruzer Blade" 4C530001230101117392
	iface "$1" 1-1 0 08 06 50 usb-storage 01:02 81:02
}

# 1. ZTE MF622 in ZeroCD (virtual CD-ROM) mode, next to a USB disk.
scenario mf622-zerocd; roothub mf622-zerocd; disk mf622-zerocd
usbdev mf622-zerocd 1-2 19d2 2000 1 5 00 "ZTE, Incorporated" "USB Storage" P671A2TMED010000
iface mf622-zerocd 1-2 0 08 06 50 usb-storage 01:02 81:02

# 2. The MF622 after the switch; option loaded but not bound (kernel without the ID).
scenario mf622-modem-unbound; roothub mf622-modem-unbound; disk mf622-modem-unbound
usbdev mf622-modem-unbound 1-2 19d2 0001 1 6 00 "ZTE, Incorporated" "ZTE CDMA Technologies MSM" P671A2TMED010000
iface mf622-modem-unbound 1-2 0 ff ff ff - 01:02 81:02
iface mf622-modem-unbound 1-2 1 ff ff ff - 02:02 82:02
iface mf622-modem-unbound 1-2 2 ff ff ff - 83:03 84:02 03:02
iface mf622-modem-unbound 1-2 3 08 06 50 usb-storage 04:02 85:02
option_loaded mf622-modem-unbound

# 3. The MF622 after the switch with option bound: ttyUSB0..2.
scenario mf622-modem-option; roothub mf622-modem-option; disk mf622-modem-option
usbdev mf622-modem-option 1-2 19d2 0001 1 6 00 "ZTE, Incorporated" "ZTE CDMA Technologies MSM" P671A2TMED010000
iface mf622-modem-option 1-2 0 ff ff ff option 01:02 81:02
iface mf622-modem-option 1-2 1 ff ff ff option 02:02 82:02
iface mf622-modem-option 1-2 2 ff ff ff option 83:03 84:02 03:02
iface mf622-modem-option 1-2 3 08 06 50 usb-storage 04:02 85:02
option_loaded mf622-modem-option
ttyusb mf622-modem-option 1-2 0 ttyUSB0
ttyusb mf622-modem-option 1-2 1 ttyUSB1
ttyusb mf622-modem-option 1-2 2 ttyUSB2

# 4. Huawei E1750 in modem mode (12d1:1001): modem, diag, PCUI.
scenario e1750-modem; roothub e1750-modem
usbdev e1750-modem 1-3 12d1 1001 1 7 00 "HUAWEI Technology" "HUAWEI Mobile" ""
iface e1750-modem 1-3 0 ff 01 01 option 81:03 82:02 01:02
iface e1750-modem 1-3 1 ff 01 01 option 83:02 02:02
iface e1750-modem 1-3 2 ff 01 01 option 84:03 85:02 03:02
iface e1750-modem 1-3 3 08 06 50 usb-storage 86:02 04:02
iface e1750-modem 1-3 4 08 06 50 usb-storage 87:02 05:02
option_loaded e1750-modem
ttyusb e1750-modem 1-3 0 ttyUSB0
ttyusb e1750-modem 1-3 1 ttyUSB1
ttyusb e1750-modem 1-3 2 ttyUSB2

# 5. An unknown stick in storage mode (ZTE vendor ID, product ID in no database)
#    next to an Arduino (cdc_acm, ttyACM0) that is not a modem.
scenario unknown; roothub unknown
usbdev unknown 1-4 19d2 beef 1 8 00 "ZTE, Incorporated" "USB Storage" ""
iface unknown 1-4 0 08 06 50 usb-storage 01:02 81:02
usbdev unknown 1-5 2341 0043 1 9 02 "Arduino (www.arduino.cc)" "" 85736323838351F0E1A1
iface unknown 1-5 0 02 02 01 cdc_acm 82:03
iface unknown 1-5 1 0a 00 00 cdc_acm 04:02 83:02
ttyacm unknown 1-5 0 ttyACM0

# 6. A Huawei E173 that came up in modem mode already (12d1:1436), beside a disk.
scenario modem-mode; roothub modem-mode; disk modem-mode
usbdev modem-mode 1-2 12d1 1436 1 4 00 "HUAWEI Technology" "HUAWEI Mobile" ""
iface modem-mode 1-2 0 ff 01 01 option 81:03 82:02 01:02
iface modem-mode 1-2 1 ff 01 01 option 83:02 02:02
iface modem-mode 1-2 2 ff 01 01 option 84:03 85:02 03:02
iface modem-mode 1-2 3 08 06 50 usb-storage 86:02 04:02
iface modem-mode 1-2 4 08 06 50 usb-storage 87:02 05:02
option_loaded modem-mode
ttyusb modem-mode 1-2 0 ttyUSB0
ttyusb modem-mode 1-2 1 ttyUSB1
ttyusb modem-mode 1-2 2 ttyUSB2

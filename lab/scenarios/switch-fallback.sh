# switch-fallback (issue 13): a machine without usbdevfs. /dev/bus is hidden (an empty tmpfs
# over it), the ZeroCD MF622 is plugged next to a mounted USB disk, and `zdial switch` cannot
# send its eject over usbdevfs: it says so, detaches usb-storage from the dongle's storage
# interface only (the DetachStorageOnly way; the emulated firmware, like a real MF622, then
# switches by itself, -self-switch), binds option and waits for the ports. The disk keeps
# its driver and stays mounted and readable.
need_zdial
usb_setup 2
plug_bystander_disk
mount -t tmpfs -o mode=0755 tmpfs /dev/bus || fail "cannot hide /dev/bus"
[ ! -e /dev/bus/usb ] || fail "/dev/bus/usb still there"
t_plug=$(now)
start_firmware -mode zerocd -self-switch 1s -state /run/firmware.state
wait_until 15 exists /dev/sr0 || fail "no /dev/sr0 for the ZeroCD"
timing plug-to-sr0 "$t_plug"

t_switch=$(now)
zdial switch 1-1 >/run/log/zdial-switch 2>&1 || fail "zdial switch failed: $(tail -n 4 /run/log/zdial-switch | tr '\n' ' ')"
timing switch-to-ports "$t_switch"
grep -q "switched by detaching usb-storage from the storage interface (DetachStorageOnly), not StandardEject: no usbdevfs: /dev/bus/usb does not exist" /run/log/zdial-switch ||
	fail "zdial did not say it fell back: $(head -n 3 /run/log/zdial-switch | tr '\n' ' ')"
grep -q 'write "1-1:1.0" to bus/usb/drivers/usb-storage/unbind' /run/log/zdial-switch || fail "no unbind of 1-1:1.0 reported"
! grep -q "modeswitch:" /run/log/zdial-switch || fail "a package prefix in what a person reads"
grep -q "storage interface unclaimed" /run/log/firmware || fail "the firmware did not see its storage interface let go"
has_usb_dev 19d2 0001 || fail "not in modem mode after zdial switch"
for i in 0 1 2; do exists /dev/ttyUSB$i || fail "no /dev/ttyUSB$i"; done
[ "$(basename "$(readlink /sys/bus/usb/devices/$DISK_DEV:1.0/driver)")" = usb-storage ] || fail "the disk lost usb-storage"
disk_ok "after the fallback switch"
umount /dev/bus

# firmware: the emulated dongle proves itself, with no zdial involved.
#  1. plugged as ZeroCD (19d2:2000) it is driven by usb-storage and gives /dev/sr0; a plain
#     SCSI eject (scsieject, SG_IO START STOP UNIT) makes it re-enumerate as the modem
#     (19d2:0001, three ff/00/00 interfaces with no driver); `19d2 0001 ff` written to option's
#     new_id gives /dev/ttyUSB0..2, and bytes pass both ways to /dev/ttyGS0;
#  2. the self-switching variant stays a CD-ROM while usb-storage holds it, and switches by
#     itself once its storage interface is unbound;
#  3. the variant that ignores the first eject needs a second one;
# while a USB flash disk on the second controller stays mounted and readable throughout.
usb_setup 2
plug_bystander_disk

# 1. ZeroCD, ejected by a plain SCSI command.
t_plug=$(now)
start_firmware -mode zerocd -state /run/firmware.state
wait_until 15 exists /dev/sr0 || fail "no /dev/sr0 for the ZeroCD"
timing plug-to-sr0 "$t_plug"
zte=$(usb_dev 19d2 2000) || fail "ZeroCD not on the bus"
[ "$(basename "$(readlink /sys/bus/usb/devices/$zte:1.0/driver)")" = usb-storage ] ||
	fail "ZeroCD storage interface not driven by usb-storage"
[ "$(cat /sys/bus/usb/devices/$zte:1.0/bInterfaceClass)" = 08 ] || fail "ZeroCD interface class not 08"
disk_ok "ZeroCD plugged"

t_eject=$(now)
scsieject /dev/sr0 || fail "scsieject /dev/sr0"
wait_until 10 has_usb_dev 19d2 0001 || fail "no 19d2:0001 after the eject"
timing eject-to-modem "$t_eject"
wait "$FIRMWARE_PID" || fail "firmware exited non-zero"
modem=$(usb_dev 19d2 0001)
wait_until 5 exists "/sys/bus/usb/devices/$modem:1.2" || fail "modem has no third interface"
for i in 0 1 2; do
	d=/sys/bus/usb/devices/$modem:1.$i
	[ "$(cat $d/bInterfaceClass)$(cat $d/bInterfaceSubClass)$(cat $d/bInterfaceProtocol)" = ff0000 ] ||
		fail "modem interface $i is not ff/00/00"
	missing "$d/driver" || fail "modem interface $i has a driver before new_id (option's table changed?)"
done
t_bind=$(now)
bind_option
for i in 0 1 2; do
	wait_until 10 exists /dev/ttyUSB$i || fail "no /dev/ttyUSB$i after option new_id"
done
timing new_id-to-ttyUSB "$t_bind"
timing eject-to-ttyUSB "$t_eject"
# Bytes pass both ways (raw, no echo, on both ends).
wait_until 5 exists /dev/ttyGS0 || fail "no /dev/ttyGS0"
stty -F /dev/ttyGS0 raw -echo && stty -F /dev/ttyUSB0 raw -echo || fail "stty"
cat /dev/ttyGS0 >/run/gs0.out &
gs_cat=$!
cat /dev/ttyUSB0 >/run/usb0.out &
usb_cat=$!
usleep 100000 # both readers open (u_serial drops data for a closed ttyGS)
echo "to-gadget-$t_bind" >/dev/ttyUSB0
echo "to-host-$t_bind" >/dev/ttyGS0
wait_until 5 grep -q "to-gadget-$t_bind" /run/gs0.out || fail "host→gadget bytes lost"
wait_until 5 grep -q "to-host-$t_bind" /run/usb0.out || fail "gadget→host bytes lost"
kill $gs_cat $usb_cat
disk_ok "after eject switch"

# 2. Self-switching: holds while claimed, switches once its storage interface is unclaimed.
start_firmware -mode zerocd -self-switch 1500ms -state /run/firmware.state
wait_until 15 has_usb_dev 19d2 2000 || fail "self-switching ZeroCD did not enumerate"
wait_until 15 exists /dev/sr0 || fail "no /dev/sr0 for the self-switching ZeroCD"
zte=$(usb_dev 19d2 2000)
usleep 2500000 # longer than -self-switch: a claimed interface must hold it in storage mode
has_usb_dev 19d2 2000 || fail "self-switching ZeroCD switched while usb-storage held it"
t_unbind=$(now)
echo "$zte:1.0" >/sys/bus/usb/drivers/usb-storage/unbind
wait_until 15 has_usb_dev 19d2 0001 || fail "no self-switch after the storage interface was unbound"
timing unbind-to-modem "$t_unbind"
# new_id stays in force: option takes the modem at once.
wait_until 10 exists /dev/ttyUSB2 || fail "no /dev/ttyUSB2 after the self-switch"
timing unbind-to-ttyUSB "$t_unbind"
wait "$FIRMWARE_PID" || fail "firmware exited non-zero"
disk_ok "after self-switch"

# 3. A dongle that ignores the first eject.
start_firmware -mode zerocd -ignore-ejects 1 -state /run/firmware.state
wait_until 15 has_usb_dev 19d2 2000 || fail "ZeroCD (ignore-ejects) did not enumerate"
wait_until 15 exists /dev/sr0 || fail "no /dev/sr0 for the ZeroCD (ignore-ejects)"
scsieject /dev/sr0 || fail "first scsieject"
wait_until 5 grep -q "ignoring eject 1" /run/log/firmware || fail "firmware did not see the first eject"
has_usb_dev 19d2 2000 || fail "switched on the first eject"
t_eject=$(now)
# The re-inserted medium raises a UNIT ATTENTION that fails the next command once.
scsieject /dev/sr0 || scsieject /dev/sr0 || fail "second scsieject"
wait_until 10 has_usb_dev 19d2 0001 || fail "no 19d2:0001 after the second eject"
timing second-eject-to-modem "$t_eject"
wait "$FIRMWARE_PID" || fail "firmware exited non-zero"
disk_ok "after second-eject switch"
step "bystander disk readable throughout; firmware log:"
cat /run/log/firmware

# udev-coldplug (issue 13): the ZeroCD MF622 is plugged before udevd starts, as at boot, with
# zdial's Debian package installed: its rule in /usr/lib/udev/rules.d, nothing typed, no rule of
# a user's in /etc. Starting udevd and the coldplug that every
# boot runs (udevadm trigger --action=add, which replays add events only) switches it: the
# ports appear as group dialout, mode 0660, with their /dev/zdial links; the disk is untouched.
need_zdial
zdial udev-role -h 2>&1 | grep -q "udev-role" || skip "zdial has no udev-role command yet (issue 13)"
usb_setup 2
plug_bystander_disk
start_firmware -mode zerocd -state /run/firmware.state
wait_until 15 exists /dev/sr0 || fail "no /dev/sr0 for the ZeroCD"
packaged_zdial_rule
disk_ok "ZeroCD plugged"

link=/dev/zdial/19d2-0001-MF622LAB0001
t_start=$(now)
start_udevd
udev_coldplug
wait_until 30 has_usb_dev 19d2 0001 || fail "coldplug did not switch the ZeroCD (firmware: $(tail -n 2 /run/log/firmware | tr '\n' ' '))"
timing coldplug-to-modem "$t_start"
wait_until 30 exists "$link/ppp" || fail "no $link/ppp after the switch"
timing coldplug-to-ports "$t_start"
udevadm settle --timeout=30 || fail "udevadm settle"
[ "$(grep -c 'eject [0-9]* seen' /run/log/firmware)" = 1 ] || fail "the dongle saw $(grep -c 'eject [0-9]* seen' /run/log/firmware) ejects, want 1"
for role_tty in diag:ttyUSB0 at:ttyUSB1 ppp:ttyUSB2; do
	role=${role_tty%%:*} tty=${role_tty#*:}
	[ "$(readlink -f "$link/$role")" = "/dev/$tty" ] || fail "$link/$role -> $(readlink "$link/$role"), want /dev/$tty"
	[ "$(node_perm /dev/$tty)" = "dialout 0660" ] || fail "/dev/$tty is $(node_perm /dev/$tty), want dialout 0660"
done
disk_ok "after the coldplug switch"

# udev-hotplug (issue 13): plug it in and nothing else. Debian's own systemd-udevd runs with
# zdial's rule, installed by `zdial udev-rule --install` (which reloads udevd); the ZeroCD MF622
# is plugged next to a mounted USB disk and nobody types anything: the rule's add and bind runs
# of `zdial switch --no-wait` send the eject once, the modem's bind run binds option, and the
# ports appear as group dialout, mode 0660, with /dev/zdial/<device>/{diag,at,ppp} from the
# device database, ModemManager told to keep off; the disk stays mounted and readable.
# The dongle takes 3 s to re-enumerate after the eject (-switch-delay; a real MF622 takes a few),
# so udevd runs the switch for the storage device's add and again for its bind while it is still
# there: the second run must send nothing. Times: plug → eject, plug → modem ports.
need_zdial
zdial udev-role -h 2>&1 | grep -q "udev-role" || skip "zdial has no udev-role command yet (issue 13)"
LAB_UDEV_DEBUG=1 # udevd logs each RUN program's output: the second run must say it did nothing
usb_setup 2
start_udevd
udev_coldplug
plug_bystander_disk
install_zdial_rule
udevadm settle --timeout=30 || fail "udevadm settle before the plug"

link=/dev/zdial/19d2-0001-MF622LAB0001
t_plug=$(now)
start_firmware -mode zerocd -switch-delay 3s -state /run/firmware.state
wait_until 30 has_usb_dev 19d2 0001 || fail "udev did not switch the ZeroCD (firmware: $(tail -n 2 /run/log/firmware | tr '\n' ' '))"
timing plug-to-modem "$t_plug"
t_eject=$(sed -n 's/^firmware: \[\([0-9.]*\)\] eject 1 seen.*/\1/p' /run/log/firmware)
echo "LAB-TIME plug-to-eject $(awk -v a="$t_plug" -v b="$t_eject" 'BEGIN { printf "%.2f", b - a }')"
wait_until 30 exists "$link/ppp" || fail "no $link/ppp after the switch"
timing plug-to-ports "$t_plug"
udevadm settle --timeout=30 || fail "udevadm settle after the plug"

[ "$(grep -c 'eject [0-9]* seen' /run/log/firmware)" = 1 ] || fail "the dongle saw $(grep -c 'eject [0-9]* seen' /run/log/firmware) ejects, want 1"
for role_tty in diag:ttyUSB0 at:ttyUSB1 ppp:ttyUSB2; do
	role=${role_tty%%:*} tty=${role_tty#*:}
	[ "$(readlink -f "$link/$role")" = "/dev/$tty" ] || fail "$link/$role -> $(readlink "$link/$role"), want /dev/$tty"
	[ "$(node_perm /dev/$tty)" = "dialout 0660" ] || fail "/dev/$tty is $(node_perm /dev/$tty), want dialout 0660"
	udevadm info "/dev/$tty" | grep -q "ID_MM_DEVICE_IGNORE=1" || fail "/dev/$tty lacks ID_MM_DEVICE_IGNORE=1"
done
step "ports: $(ls -l /dev/zdial/*/ | tr -s ' ' | tr '\n' ';')"
# The storage-mode device got the add and the bind runs; one sent the switch, the other nothing.
[ "$(grep -c "switch --no-wait 1-1'(out) 'switching 1-1 19d2:2000" /run/log/udevd)" = 2 ] ||
	fail "zdial switch --no-wait ran $(grep -c "switch --no-wait 1-1'(out) 'switching 1-1 19d2:2000" /run/log/udevd) times on the storage device, want 2 (add, bind)"
[ "$(grep -c "switch --no-wait 1-1'(out) 'nothing to do: 1-1 was sent its switch (StandardEject)" /run/log/udevd)" = 1 ] ||
	fail "the second run on the storage device did not say it had nothing to do (see the udevd log)"
! grep -q "Process '/usr/sbin/zdial.*' failed" /run/log/udevd || fail "a zdial run failed under udev: $(grep "Process '/usr/sbin/zdial.*' failed" /run/log/udevd | head -n 2)"
grep -q "Process '/usr/sbin/zdial switch --no-wait" /run/log/udevd || fail "udevd never ran /usr/sbin/zdial (the packaged zdial)"
disk_ok "after the udev switch"

# zerocd-switch (issue 5): zdial alone takes a ZeroCD dongle to a link. The MF622 is plugged
# as 19d2:2000 next to a mounted USB disk; `zdial three` with no --port must find it, eject it
# with its own usbdevfs code, bind option through new_id, find the PPP port among the three
# (ttyUSB0 silent diagnostics, ttyUSB1 AT but cannot dial, ttyUSB2 the modem: only a dial on
# ttyUSB2 reaches the network) and dial it; the disk is never touched.
# Skipped until zdial has the switch command.
need_zdial
zdial switch -h 2>&1 | grep -q "zdial switch" || skip "zdial has no switch command yet (issue 5)"
usb_setup 2
plug_bystander_disk
start_dongle_ports
t_plug=$(now)
start_firmware -mode zerocd -state /run/firmware.state
wait_until 15 exists /dev/sr0 || fail "no /dev/sr0 for the ZeroCD"
timing plug-to-sr0 "$t_plug"
disk_ok "ZeroCD plugged"

mkdir -p /run/zdial-state
t_dial=$(now)
spawn zdial zdial --pppd /usr/sbin/pppd --lock-dir /var/lock --state-dir /run/zdial-state -v three
zdial_pid=$SPAWNED_PID
wait_until 30 has_usb_dev 19d2 0001 || fail "zdial did not switch the ZeroCD (zdial: $(tail -n 3 /run/log/zdial | tr '\n' ' '))"
timing zdial-start-to-modem "$t_dial"
grep -q "eject 1 seen" /run/log/firmware || fail "the dongle switched without seeing an eject"
wait_link 60 "$zdial_pid" ppp0 10.64.0.2 || fail "ppp0 did not get 10.64.0.2 (zdial: $(tail -n 3 /run/log/zdial | tr '\n' ' '))"
timing zdial-start-to-link-up "$t_dial"
ping -c 2 -W 5 10.64.0.1 >/run/log/ping 2>&1 || fail "ping 10.64.0.1 did not cross the link"
disk_ok "after zdial switched and dialed"

stop_pid "$zdial_pid" 20 || fail "zdial did not exit within 20 s of SIGTERM"
rc=0
wait "$zdial_pid" || rc=$?
[ "$rc" -eq 0 ] || fail "zdial exited $rc after SIGTERM, want 0"
disk_ok "after zdial exited"

# udev-online (issue 13): plug it in and it is online. zdial's rule is installed with
# --online three, so the modem's PPP port asks systemd for zdial@three.service. The guest has
# no systemd: when the port's udev properties carry SYSTEMD_WANTS=zdial@three.service, the
# scenario starts what that unit runs (`zdial run three`, the supervisor of issue 10) and the
# link must come up: ppp0 10.64.0.2, a ping across. Times: plug → modem ports, plug → link up.
# Skipped on a zdial without the supervisor (zdial run).
need_zdial
zdial run -h 2>&1 | grep -q "zdial run" || skip "needs zdial run (issue 10)"
usb_setup 2
start_udevd
udev_coldplug
plug_bystander_disk
install_zdial_rule --online three
start_dongle_ports

link=/dev/zdial/19d2-0001-MF622LAB0001
t_plug=$(now)
start_firmware -mode zerocd -state /run/firmware.state
wait_until 30 exists "$link/ppp" || fail "no $link/ppp after the plug"
timing plug-to-ports "$t_plug"
udevadm settle --timeout=30 || fail "udevadm settle"
udevadm info "$link/ppp" | grep -q "SYSTEMD_WANTS=zdial@three.service" ||
	fail "the PPP port does not want zdial@three.service: $(udevadm info "$link/ppp" | grep -i systemd | tr '\n' ' ')"
# What systemd would start for that want: the unit's ExecStart (zdial run %i, issue 10), with
# the lab's pppd, lock and state directories.
mkdir -p /run/zdial-state
spawn zdial zdial run --pppd /usr/sbin/pppd --lock-dir /var/lock --state-dir /run/zdial-state -v three
zdial_pid=$SPAWNED_PID
wait_link 60 "$zdial_pid" ppp0 10.64.0.2 || fail "ppp0 did not get 10.64.0.2 (zdial: $(tail -n 3 /run/log/zdial | tr '\n' ' '))"
timing plug-to-link-up "$t_plug"
ping -c 2 -W 5 10.64.0.1 >/run/log/ping 2>&1 || fail "ping 10.64.0.1 did not cross the link"
disk_ok "online"
stop_pid "$zdial_pid" 20 || fail "zdial run did not exit within 20 s of SIGTERM"

# peer: pppd's own way in. `zdial peer --install` writes /etc/ppp/peers/three for the zdial
# installed in the image (/usr/sbin/zdial from zdial's package, root-owned); then `pppd call three` (what pon and
# ifupdown's `provider three` run) opens /dev/ttyUSB0 and runs `zdial chat three` as its connect
# program: the profile's whole dial on the real tty, then pppd's link gets 10.64.0.2, the peer's
# DNS, a ping crosses, and SIGTERM to pppd ends it. The peers file holds no password or PIN.
need_zdial
usb_setup 1
t_plug=$(now)
start_firmware -mode modem -state /run/firmware.state
wait_until 10 has_usb_dev 19d2 0001 || fail "modem 19d2:0001 did not enumerate"
bind_option
wait_until 10 exists /dev/ttyUSB0 || fail "no /dev/ttyUSB0 after option new_id"
timing plug-to-ttyUSB "$t_plug"
wait_until 5 exists /dev/ttyGS0 || fail "no /dev/ttyGS0 on the gadget side"

start_network /dev/ttyGS0 "$(sim_connect)"
zdial=$(command -v zdial)
mkdir -p /etc/ppp/peers /var/lock
"$zdial" peer --port /dev/ttyUSB0 --install three >/run/log/zdial-peer 2>&1 || fail "zdial peer --install: $(cat /run/log/zdial-peer)"
peers=/etc/ppp/peers/three
grep -qx "connect \"$zdial chat three\"" $peers || fail "peers file has no connect line for $zdial: $(grep -v '^#' $peers | tr '\n' ' ')"
grep -qx /dev/ttyUSB0 $peers || fail "peers file does not name /dev/ttyUSB0"
step "peers file: $(grep -v '^#' $peers | tr '\n' ' ')"

t_dial=$(now)
# nodetach and logfd 2 only so that the lab can follow pppd and keep its log; the options that
# dial are the peers file's.
spawn host-pppd pppd call three nodetach logfd 2 debug
pppd_pid=$SPAWNED_PID
wait_link 60 "$pppd_pid" ppp0 10.64.0.2 || fail "ppp0 did not get 10.64.0.2 (pppd: $(tail -n 5 /run/log/host-pppd | tr '\n' ' '))"
timing pppd-call-to-link-up "$t_dial"
grep -q 10.64.0.53 /etc/ppp/resolv.conf || fail "peer DNS 10.64.0.53 not in /etc/ppp/resolv.conf"
ping -c 2 -W 5 10.64.0.1 >/run/log/ping 2>&1 || fail "ping 10.64.0.1 did not cross the link"
step "link up: $(iface_addr ppp0) through pppd call three"

t_stop=$(now)
stop_pid "$pppd_pid" 15 || fail "pppd did not stop on SIGTERM"
rc=0
wait "$pppd_pid" || rc=$?
[ "$rc" -eq 5 ] || fail "pppd exited $rc, want 5 (stopped by request)"
missing /sys/class/net/ppp0 || fail "ppp0 still there after pppd stopped"
timing stop "$t_stop"

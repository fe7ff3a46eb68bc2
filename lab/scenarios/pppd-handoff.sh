# pppd-handoff: zdial's whole dial path against a real tty driver and real pppd. The dongle
# starts in modem mode, option is bound via new_id; the gadget side runs pppd with zdial's own
# simulator (`zdial sim --stdio`) as its connect program. On the host side
# `zdial --port /dev/ttyUSB0 --pppd /usr/sbin/pppd three` dials, hands the line to pppd, the
# link gets 10.64.0.2 and DNS 10.64.0.53, a ping crosses, and SIGTERM to zdial ends it cleanly.
# The gadget's gser port stalls SET_CONTROL_LINE_STATE, so this dongle never sees DTR: zdial's
# DTR drop fails, nothing answers its AT, and it must fall back to the +++ escape and ATH (the
# fast path, on a port with DTR, is side-by-side's).
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
mkdir -p /run/zdial-state
t_dial=$(now)
spawn zdial zdial --port /dev/ttyUSB0 --pppd /usr/sbin/pppd --lock-dir /var/lock --state-dir /run/zdial-state -v three
zdial_pid=$SPAWNED_PID
wait_link 40 "$zdial_pid" ppp0 10.64.0.2 || fail "ppp0 did not get 10.64.0.2 (zdial: $(tail -n 3 /run/log/zdial | tr '\n' ' '))"
timing zdial-start-to-link-up "$t_dial"
# The peer's DNS: pppd's usepeerdns file, or zdial's own report of it.
grep -qs 10.64.0.53 /etc/ppp/resolv.conf /run/log/zdial || fail "peer DNS 10.64.0.53 neither in /etc/ppp/resolv.conf nor reported by zdial"
ping -c 2 -W 5 10.64.0.1 >/run/log/ping 2>&1 || fail "ping 10.64.0.1 did not cross the link"
# zdial's pppd: the host-namespace pppd (the gadget's runs in another network namespace).
ours=$(host_pppd)
[ -n "$ours" ] || fail "no pppd in the host network namespace"
step "link up: $(iface_addr ppp0); zdial $zdial_pid, its pppd $ours"

t_stop=$(now)
stop_pid "$zdial_pid" 20 || fail "zdial did not exit within 20 s of SIGTERM"
rc=0
wait "$zdial_pid" || rc=$?
[ "$rc" -eq 0 ] || fail "zdial exited $rc after SIGTERM, want 0"
for p in $ours; do
	gone "$p" || fail "pppd $p still running after zdial exited"
done
missing /sys/class/net/ppp0 || fail "ppp0 still there after zdial exited"
timing stop "$t_stop"
grep -q 'TIOCMBIC: ' /run/log/zdial || fail "zdial's DTR drop did not fail on gser: $(grep -E 'hung up|hang-up' /run/log/zdial | tr '\n' ' ')"
grep -q 'escaping with +++' /run/log/zdial || fail "zdial did not fall back to the +++ escape"
wait_until 10 modem_ready || fail "the modem is not back in command mode after zdial's hang-up"

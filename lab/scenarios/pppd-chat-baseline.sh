# pppd-chat-baseline: the PPP plumbing with nothing of zdial in it. The dongle starts in modem
# mode, option is bound via new_id, the gadget side runs pppd with a shell modem as its connect
# program, and the host side dials /dev/ttyUSB0 with the real chat(8) and pppd. If this fails,
# the lab is broken; if only pppd-handoff fails, zdial is.
usb_setup 1
t_plug=$(now)
start_firmware -mode modem -state /run/firmware.state
wait_until 10 has_usb_dev 19d2 0001 || fail "modem 19d2:0001 did not enumerate"
timing plug-to-enumerated "$t_plug"
bind_option
wait_until 10 exists /dev/ttyUSB0 || fail "no /dev/ttyUSB0 after option new_id"
timing plug-to-ttyUSB "$t_plug"
wait_until 5 exists /dev/ttyGS0 || fail "no /dev/ttyGS0 on the gadget side"

start_network /dev/ttyGS0 shellmodem
t_dial=$(now)
# u_serial drops what the host sends before the gadget side opens ttyGS0: retry AT.
spawn host-pppd pppd /dev/ttyUSB0 115200 connect "chat -s -S -v -t 2 '' AT OK-AT-OK-AT-OK 'ATD*99#' CONNECT" \
	noauth local nodetach logfd 2 debug noipdefault usepeerdns nodefaultroute lcp-echo-interval 0
pppd_pid=$SPAWNED_PID
wait_link 30 "$pppd_pid" ppp0 10.64.0.2 || fail "ppp0 did not get 10.64.0.2"
timing dial-to-link-up "$t_dial"
grep -q 10.64.0.53 /etc/ppp/resolv.conf || fail "peer DNS 10.64.0.53 not in /etc/ppp/resolv.conf"
ping -c 2 -W 5 10.64.0.1 >/run/log/ping 2>&1 || fail "ping 10.64.0.1 did not cross the link"
step "link up: $(iface_addr ppp0), DNS $(cat /etc/ppp/resolv.conf | tr '\n' ' ')"

t_stop=$(now)
stop_pid "$pppd_pid" 15 || fail "pppd did not stop on SIGTERM"
rc=0
wait "$pppd_pid" || rc=$?
# pppd exits 5 (EXIT_USER_REQUEST) when told to stop.
[ "$rc" -eq 5 ] || fail "host pppd exited $rc, want 5"
missing /sys/class/net/ppp0 || fail "ppp0 still there after pppd stopped"
timing stop "$t_stop"

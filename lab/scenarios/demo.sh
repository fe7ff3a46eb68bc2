# demo (issue 3, item 5): `zdial demo` on a kernel with PPP runs the whole path for real: the
# simulated MF622 sits between two ptys, a network pppd (10.64.0.1, DNS 10.64.0.53) behind it,
# and zdial dials it and runs its own pppd, both pppds in private network and mount namespaces.
#  1. `zdial demo -v --hold 0`: the link comes up (ppp0 10.64.0.2, DNS 10.64.0.53), a ping crosses
#     it from zdial's namespace, nothing of it shows in the guest's own network, routes or /etc/ppp;
#     Ctrl-C (SIGINT) hangs up with +++/ATH, zdial exits 0 and both pppds are gone;
#  2. plain `zdial demo` (the default 3 s hold) in the foreground: link up, exit 0, nothing left.
# No USB here: only /dev/ppp (ppp_async brings ppp_generic).
need_zdial
modprobe ppp_async || fail "modprobe ppp_async"
wait_until 5 exists /dev/ppp || fail "no /dev/ppp after modprobe ppp_async"

# pid_after TEXT FILE: the number in "TEXT<pid>" in FILE (first match).
pid_after() { sed -n "s/.*$1\([0-9][0-9]*\).*/\1/p" "$2" | head -n 1; }
netns() { readlink "/proc/$1/ns/net"; }
_demo_up_or_gone() { grep -q "ppp0 up $DEMO_IP" /run/log/demo || gone "$demo_pid"; }
DEMO_IP=10.64.0.2

# 1. Held until Ctrl-C.
t_start=$(now)
spawn demo zdial demo -v --hold 0
demo_pid=$SPAWNED_PID
wait_until 60 _demo_up_or_gone || fail "no link within 60 s (demo: $(tail -n 3 /run/log/demo | tr '\n' ' '))"
grep -q "ppp0 up $DEMO_IP" /run/log/demo || fail "zdial demo exited without a link: $(grep -v '^\[.*\] \(network\|[0-9:.]* [<>]\)' /run/log/demo | tail -n 5 | tr '\n' ' ')"
timing demo-start-to-link-up "$t_start"
wait_until 5 grep -q "DNS 10.64.0.53" /run/log/demo || fail "no 'DNS 10.64.0.53' line"
grep -q "dry run" /run/log/demo && fail "the demo printed a dry run although pppd could run"

zpppd=$(pid_after 'pppd started (pid ' /run/log/demo)
npppd=$(pid_after 'network: pppd (pid ' /run/log/demo)
[ -n "$zpppd" ] && [ -d "/proc/$zpppd" ] || fail "zdial's pppd (pid '$zpppd') not running"
[ -n "$npppd" ] && [ -d "/proc/$npppd" ] || fail "the network's pppd (pid '$npppd') not running"
host_ns=$(netns self)
[ "$(netns "$zpppd")" != "$host_ns" ] || fail "zdial's pppd runs in the guest's own network namespace"
[ "$(netns "$npppd")" != "$host_ns" ] || fail "the network's pppd runs in the guest's own network namespace"
[ "$(netns "$zpppd")" != "$(netns "$npppd")" ] || fail "both pppds share a network namespace"
[ "$(nsenter -t "$zpppd" -n ip -4 -o addr show dev ppp0 | awk '{ split($4, a, "/"); print a[1] }')" = "$DEMO_IP" ] ||
	fail "ppp0 in zdial's namespace lacks $DEMO_IP: $(nsenter -t "$zpppd" -n ip -o addr 2>&1 | tr '\n' ' ')"
t_ping=$(now)
nsenter -t "$zpppd" -n ping -c 2 -W 5 10.64.0.1 >/run/log/ping 2>&1 || fail "ping 10.64.0.1 did not cross the link"
timing ping-2 "$t_ping"
# Nothing of it on the guest's own side.
missing /sys/class/net/ppp0 || fail "a ppp0 appeared in the guest's own network namespace"
ip route | grep -q 10.64 && fail "a 10.64 route appeared in the guest's own table: $(ip route | tr '\n' ' ')"
missing /etc/ppp/resolv.conf || fail "pppd's usepeerdns wrote the guest's /etc/ppp/resolv.conf"
missing /var/run/ppp0.pid || fail "pppd's pid file appeared in the guest's /var/run"
grep -q " /etc/ppp " /proc/mounts && fail "the isolation's tmpfs leaked into the guest's mounts"
step "link up in zdial's namespace, ping crossed; zdial $demo_pid, its pppd $zpppd, network pppd $npppd"

t_stop=$(now)
kill -INT "$demo_pid"
wait_until 20 gone "$demo_pid" || fail "zdial demo did not exit within 20 s of Ctrl-C"
rc=0
wait "$demo_pid" || rc=$?
[ "$rc" -eq 0 ] || fail "zdial demo exited $rc after Ctrl-C, want 0"
timing ctrl-c-to-exit "$t_stop"
for p in "$zpppd" "$npppd"; do
	gone "$p" || fail "pppd $p still running after zdial demo exited"
done
grep -q "hung up cleanly" /run/log/demo || fail "no 'hung up cleanly' line"
# The hang-up reached the modem: +++ answered, then ATH answered (the -v transcript).
grep -q 'ATH' /run/log/demo || fail "no ATH in the hang-up transcript"
grep -q 'relying on DTR' /run/log/demo && fail "the modem did not answer the hang-up"

# 2. The default: hold 3 s, hang up, exit; in the foreground as a person runs it.
t_start=$(now)
rc=0
timeout 60 zdial demo >/run/log/demo-default 2>&1 || rc=$?
timing demo-default-total "$t_start"
[ "$rc" -eq 0 ] || fail "zdial demo exited $rc: $(tail -n 5 /run/log/demo-default | tr '\n' ' ')"
for want in "ZTE CORPORATION MF622" "CONNECT 7200000" "ppp0 up $DEMO_IP" "DNS 10.64.0.53" "hung up cleanly"; do
	grep -qF "$want" /run/log/demo-default || fail "zdial demo output lacks '$want'"
done
[ -z "$(pidof pppd)" ] || fail "pppd left running after zdial demo: $(pidof pppd)"
missing /sys/class/net/ppp0 || fail "ppp0 left in the guest's namespace"
step "zdial demo:"
cat /run/log/demo-default

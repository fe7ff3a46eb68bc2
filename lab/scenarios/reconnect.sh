# reconnect: the link is up under `zdial run`; the network side's pppd is stopped (the operator
# ends the session). zdial's pppd exits, the supervisor redials by itself after ~1 s, and the
# link is back: the record counts one reconnect, a ping crosses, `zdial down` ends it cleanly.
# Also samples the supervisor's CPU and memory while the link is up (no polling: ~0 ticks).
need_zdial
modem_dongle
t_run=$(now)
spawn zdial zdial run $ZDIAL_FLAGS three
sup=$SPAWNED_PID
wait_link 40 "$sup" ppp0 10.64.0.2 || fail "ppp0 did not get 10.64.0.2 under zdial run"
timing run-to-link-up "$t_run"
[ "$(record_field state)" = up ] || fail "record does not say up: $(cat /run/zdial/three.json)"
[ "$(record_field device)" = 19d2-0001-MF622LAB0001 ] || fail "record does not name the modem: $(cat /run/zdial/three.json)"

c0=$(cpu_ticks "$sup")
sleep 10
c1=$(cpu_ticks "$sup")
step "supervisor $sup while up: $((c1 - c0)) CPU ticks (1/100 s) in 10 s, RSS $(rss_kb "$sup") kB"

old=$(host_pppd)
net=$(network_pppd)
[ -n "$old" ] && [ -n "$net" ] || fail "pppd missing: host '$old', network '$net'"
t_drop=$(now)
kill $net
wait_until 15 all_gone "$old" || fail "zdial's pppd $old did not notice the network hanging up"
timing drop-to-pppd-exit "$t_drop"
wait_until 40 relinked "$old" || fail "the link did not come back (zdial: $(tail -n 5 /run/log/zdial | tr '\n' ' '))"
timing reconnect "$t_drop"
[ "$(record_field reconnects)" = 1 ] || fail "record does not count 1 reconnect: $(cat /run/zdial/three.json)"
ping -c 1 -W 5 10.64.0.1 >/run/log/ping 2>&1 || fail "ping did not cross the restored link"
grep -q "link down: " /run/log/zdial || fail "the supervisor did not log the drop's cause"

t_stop=$(now)
zdial down --run-dir /run/zdial three || fail "zdial down failed"
gone "$sup" || fail "supervisor still running after zdial down returned"
rc=0
wait "$sup" || rc=$?
[ "$rc" -eq 0 ] || fail "zdial run exited $rc after zdial down, want 0"
timing down "$t_stop"

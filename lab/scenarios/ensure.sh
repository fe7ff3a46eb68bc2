# ensure: `zdial ensure` as cron runs it. Cold, it brings the link up; while up, runs are silent,
# fast and touch nothing; after the supervisor is killed (-9: the link drops with it) the next run
# brings it back; a burst of concurrent runs on a down link makes exactly one dial.
need_zdial
modem_dongle
t_cold=$(now)
zdial ensure $ZDIAL_FLAGS three || fail "cold ensure failed: $(tail -n 5 /run/zdial/three.log | tr '\n' ' ')"
has_addr ppp0 10.64.0.2 || fail "ensure returned 0 but ppp0 lacks 10.64.0.2"
timing ensure-cold "$t_cold"

# The floor for any zdial command on this emulated CPU (TCG): start a Go binary, print, exit.
t_floor=$(now)
for i in 1 2 3 4 5 6 7 8 9 10; do zdial version >/dev/null; done
timing zdial-version-x10 "$t_floor"
n0=$(connects)
t_warm=$(now)
for i in 1 2 3 4 5 6 7 8 9 10; do
	out=$(zdial ensure $ZDIAL_FLAGS three 2>&1) || fail "ensure on a healthy link failed: $out"
	[ -z "$out" ] || fail "ensure on a healthy link printed: $out"
done
timing ensure-healthy-x10 "$t_warm"
[ "$(connects)" = "$n0" ] || fail "ensure on a healthy link dialled"

sup=$(record_field pid | head -n 1)
old=$(host_pppd)
kill -9 "$sup"
wait_until 15 all_gone "$old" || fail "pppd $old outlived its supervisor"
t_back=$(now)
zdial ensure $ZDIAL_FLAGS three || fail "ensure after the drop failed"
has_addr ppp0 10.64.0.2 || fail "ensure after the drop: ppp0 lacks 10.64.0.2"
timing ensure-after-drop "$t_back"

zdial down --run-dir /run/zdial three || fail "zdial down failed"
wait_until 15 missing /sys/class/net/ppp0 || fail "ppp0 still there after zdial down"
n1=$(connects)
t_burst=$(now)
pids=
for i in 1 2 3 4 5 6 7 8 9 10; do
	zdial ensure $ZDIAL_FLAGS three >/run/log/burst-$i 2>&1 &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p" || fail "a concurrent ensure failed: $(cat /run/log/burst-* | tr '\n' ' ')"
done
timing ensure-burst-10 "$t_burst"
[ "$(connects)" = $((n1 + 1)) ] || fail "10 concurrent ensures made $(($(connects) - n1)) dials, want 1"
[ "$(host_pppd | wc -l)" = 1 ] || fail "more than one pppd: $(host_pppd)"
zdial down --run-dir /run/zdial three || fail "zdial down failed"

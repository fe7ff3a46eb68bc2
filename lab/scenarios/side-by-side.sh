# side-by-side: the chat+pppd baseline and zdial dial the same emulated dongle in the same boot,
# alternating (baseline, zdial, baseline, zdial, …, ROUNDS each). The dongle's modem port
# carries DTR (start_dtr_modem: the firmware's FunctionFS port with the simulator in line, the
# operator's pppd behind it), as a real dongle's does, so a hang-up by DTR drop is possible.
# Each dial is timed from the dialer's start to ppp0 holding 10.64.0.2, each stop from SIGTERM
# to the dialer's exit. Printed: every round's times, the medians, and zdial's medians as
# ratios to the baseline's (LAB-TIME *-ratio lines: <1 means zdial is faster). zdial must hang
# up by DTR (the firmware sees DTR drop and zdial's AT is answered at once), never by +++.
# Before each dial the operator's pppd must be waiting again (operator_ready), so neither
# dialer pays for the other's hang-up.
ROUNDS=${ROUNDS:-3}
need_zdial
start_dtr_modem
mkdir -p /run/zdial-state
# What starting the programs costs in this guest (TCG: everything is slow), for reading the
# dial times below.
t=$(now); pppd --version >/dev/null 2>&1; t_pppd=$(since "$t")
t=$(now); zdial version >/dev/null 2>&1; t_zdial=$(since "$t")
step "start-up in this guest: pppd --version $t_pppd s, zdial version $t_zdial s"

# one_dial KIND ROUND: dial, check the link, stop; sets UP and STOP (seconds).
one_dial() {
	wait_until 10 operator_ready || fail "round $2: the operator's pppd is not waiting for a call"
	t0=$(now)
	case $1 in
	baseline)
		spawn "baseline-$2" pppd /dev/ttyUSB0 115200 connect "chat -s -S -v -t 2 '' AT OK-AT-OK-AT-OK 'ATD*99#' CONNECT" \
			noauth local nodetach logfd 2 debug noipdefault usepeerdns nodefaultroute lcp-echo-interval 0
		;;
	zdial)
		spawn "zdial-$2" zdial --port /dev/ttyUSB0 --pppd /usr/sbin/pppd --lock-dir /var/lock \
			--state-dir /run/zdial-state -v three
		;;
	esac
	pid=$SPAWNED_PID
	wait_link 30 "$pid" ppp0 10.64.0.2 || fail "round $2: $1: ppp0 did not get 10.64.0.2 ($(tail -n 3 "/run/log/$1-$2" | tr '\n' ' '))"
	UP=$(since "$t0")
	ping -c 1 -W 5 10.64.0.1 >/dev/null 2>&1 || fail "round $2: $1: ping did not cross the link"
	t1=$(now)
	stop_pid "$pid" 20 || fail "round $2: $1 did not exit within 20 s of SIGTERM"
	rc=0
	wait "$pid" || rc=$?
	STOP=$(since "$t1")
	case $1 in
	baseline) [ "$rc" -eq 5 ] || fail "round $2: baseline pppd exited $rc, want 5" ;;
	zdial)
		[ "$rc" -eq 0 ] || fail "round $2: zdial exited $rc, want 0"
		grep -q 'hung up: DTR dropped (TIOCMBIC)' "/run/log/zdial-$2" ||
			fail "round $2: zdial did not hang up by DTR: $(grep -E 'hung up|hang-up' "/run/log/zdial-$2" | tr '\n' ' ')"
		;;
	esac
	[ -z "$(host_pppd)" ] || fail "round $2: $1: a host pppd is still running"
	wait_until 5 missing /sys/class/net/ppp0 || fail "round $2: $1: ppp0 still there"
	echo "LAB-TIME $1-up-$2 $UP"
	echo "LAB-TIME $1-stop-$2 $STOP"
}

# zdial_phases LOG T0: where zdial's time went, from the guest-uptime stamps of its -v log:
# start → port opened, opened → CONNECT (the AT dial), CONNECT → ppp0 address, and how it hung up.
zdial_phases() {
	awk -v t0="$2" '
		{ t = substr($1, 2, length($1) - 2) + 0 }
		/msg="opened / && !o { o = t }
		/ event=connect( |$)/ && !c { c = t }
		/msg="ppp0 up [0-9]/ && !u { u = t }
		/msg="(hung up: |hang-up: no answer)/ && !h { h = $0; sub(/.*msg="/, "", h); sub(/".*/, "", h) }
		END { printf "start->opened %.2f s, opened->CONNECT %.2f s, CONNECT->up %.2f s; %s\n", o - t0, c - o, u - c, h }
	' "$1"
}

b_up= b_stop= z_up= z_stop=
r=1
while [ "$r" -le "$ROUNDS" ]; do
	one_dial baseline "$r"
	b_up="$b_up $UP" b_stop="$b_stop $STOP"
	one_dial zdial "$r"
	z_up="$z_up $UP" z_stop="$z_stop $STOP"
	step "round $r: zdial $(zdial_phases "/run/log/zdial-$r" "$t0")"
	r=$((r + 1))
done
# shellcheck disable=SC2086 # word splitting wanted: the lists are numbers
{
	mb_up=$(median $b_up) mb_stop=$(median $b_stop) mz_up=$(median $z_up) mz_stop=$(median $z_stop)
}
step "medians: baseline up $mb_up s, stop $mb_stop s; zdial up $mz_up s, stop $mz_stop s"
echo "LAB-TIME up-ratio $(ratio "$mz_up" "$mb_up")"
echo "LAB-TIME stop-ratio $(ratio "$mz_stop" "$mb_stop")"

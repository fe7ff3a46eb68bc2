# Helpers for lab scenarios (sourced by /init; busybox ash). A scenario is a shell fragment run
# under `set -e` in a subshell: `fail REASON` ends it as FAILED, returning normally PASSES it.
#
# The guest is both sides of the USB cable: dummy_hcd's gadget controller (dummy_udc.N) is
# wired to a host controller (usbN) in the same kernel, so a configfs gadget is the dongle and
# usb-storage, option and ppp_async are the PC zdial runs on.

CONFIGFS=/sys/kernel/config
SIM_PERSONA=${SIM_PERSONA:-zte-mf622}

# now prints seconds since boot (10 ms resolution); since T prints seconds elapsed since T.
now() { read -r _up _ </proc/uptime; echo "$_up"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f\n", b - a }'; }

step() { echo "lab: [$(now)] $*"; }
# timing NAME START records a LAB-TIME line for the time elapsed since START.
timing() { echo "LAB-TIME $1 $(since "$2")"; }
fail() {
	echo "$*" >/run/lab-fail
	echo "lab: [$(now)] FAIL: $*"
	dump_logs
	exit 1
}

# dump_logs prints the side logs that background programs wrote under /run/log.
dump_logs() {
	for f in /run/log/*; do
		[ -f "$f" ] && [ ! -p "$f" ] || continue
		echo "lab: ---- $f ----"
		cat "$f"
	done
}
mkdir -p /run/log

# wait_until SECONDS CMD... polls CMD every 20 ms until it succeeds; false after SECONDS.
wait_until() {
	_limit=$(awk -v a="$(now)" -v s="$1" 'BEGIN { print a + s }')
	shift
	while ! "$@"; do
		if awk -v n="$(now)" -v l="$_limit" 'BEGIN { exit !(n >= l) }'; then
			return 1
		fi
		usleep 20000
	done
}

exists() { [ -e "$1" ]; }
# gone PID: the process has exited (a zombie child counts: `wait` then reaps it at once).
gone() { [ ! -e "/proc/$1" ] || grep -q '^[0-9]* (.*) Z' "/proc/$1/stat" 2>/dev/null; }
missing() { [ ! -e "$1" ]; }
nonempty_file() { [ -s "$1" ]; }

# usb_dev VID PID prints the host-side sysfs name (e.g. 1-1) of the USB device with those IDs.
usb_dev() {
	for _d in /sys/bus/usb/devices/*; do
		[ -f "$_d/idVendor" ] || continue
		if [ "$(cat "$_d/idVendor" 2>/dev/null)" = "$1" ] && [ "$(cat "$_d/idProduct" 2>/dev/null)" = "$2" ]; then
			basename "$_d"
			return 0
		fi
	done
	return 1
}
has_usb_dev() { usb_dev "$1" "$2" >/dev/null; }
no_usb_dev() { ! usb_dev "$1" "$2" >/dev/null; }

# usb_setup loads the USB host and gadget drivers with N back-to-back controllers.
usb_setup() {
	modprobe dummy_hcd num="${1:-1}" || fail "modprobe dummy_hcd"
	for m in libcomposite usb_f_mass_storage usb_f_serial usb_f_fs usb-storage sr_mod sd_mod sg option; do
		modprobe "$m" || fail "modprobe $m"
	done
	modprobe ppp_async || fail "modprobe ppp_async" # pppd needs /dev/ppp, which ppp_generic makes
	grep -q " $CONFIGFS " /proc/mounts || mount -t configfs none "$CONFIGFS" || fail "mount configfs"
}

# bind_option tells option to drive 19d2:0001's vendor-class interfaces, as zdial must: its
# built-in 19d2:0001 entry matches class ff/ff/ff, the gadget's gser interfaces are ff/00/00.
bind_option() {
	echo "19d2 0001 ff" >/sys/bus/usb-serial/drivers/option1/new_id || fail "option new_id"
}

# stamp_lines copies stdin to stdout with each line prefixed by the guest's uptime.
stamp_lines() {
	while IFS= read -r _l; do
		read -r _u _ </proc/uptime
		echo "[$_u] $_l"
	done
}

# spawn NAME CMD...: run CMD in the background, its output stamped into /run/log/NAME;
# SPAWNED_PID is CMD's own pid (for signals and `wait`), not the stamper's.
spawn() {
	_name=$1
	shift
	rm -f "/run/log/$_name.fifo"
	mkfifo "/run/log/$_name.fifo"
	stamp_lines <"/run/log/$_name.fifo" >>"/run/log/$_name" &
	"$@" >"/run/log/$_name.fifo" 2>&1 &
	SPAWNED_PID=$!
}

# plug_bystander_disk: a FAT-formatted USB flash disk on the second controller (dummy_udc.1;
# needs `usb_setup 2`), mounted on /mnt/disk with a marker file. disk_ok WHEN then proves it
# is still mounted, readable (marker through the page cache dropped, and a raw O_DIRECT read)
# and was never re-enumerated.
plug_bystander_disk() {
	modprobe vfat && modprobe nls_cp437 && modprobe nls_ascii && modprobe nls_utf8 || fail "modprobe vfat"
	dd if=/dev/zero of=/run/disk.img bs=1M count=8 2>/dev/null
	mkdosfs -n LABDISK /run/disk.img >/dev/null
	firmware -mode disk -udc dummy_udc.1 -name disk -serial LABDISK0001 -image /run/disk.img \
		>>/run/log/firmware 2>&1 || fail "disk gadget"
	wait_until 15 exists /dev/sda || fail "no /dev/sda for the bystander disk"
	mkdir -p /mnt/disk
	wait_until 5 mount -t vfat /dev/sda /mnt/disk || fail "cannot mount the bystander disk"
	DISK_MARKER="lab-marker-$(now)"
	echo "$DISK_MARKER" >/mnt/disk/MARKER
	sync
	DISK_DEV=$(usb_dev 0781 5567) || fail "bystander disk not on the bus"
	DISK_DEVNUM=$(cat "/sys/bus/usb/devices/$DISK_DEV/devnum")
	disk_ok "just plugged"
	step "bystander disk $DISK_DEV mounted on /mnt/disk, marker $DISK_MARKER"
}

disk_ok() {
	echo 3 >/proc/sys/vm/drop_caches
	grep -q " /mnt/disk " /proc/mounts || fail "bystander disk no longer mounted ($1)"
	[ "$(cat /mnt/disk/MARKER 2>/dev/null)" = "$DISK_MARKER" ] || fail "marker unreadable on the bystander disk ($1)"
	dd if=/dev/sda iflag=direct bs=512 count=1 2>/dev/null | grep -q LABDISK || fail "raw read of /dev/sda failed ($1)"
	[ "$(cat "/sys/bus/usb/devices/$DISK_DEV/devnum" 2>/dev/null)" = "$DISK_DEVNUM" ] ||
		fail "bystander disk re-enumerated ($1)"
}

# start_firmware ARGS... runs the emulated dongle's firmware in the background.
start_firmware() {
	firmware "$@" >>/run/log/firmware 2>&1 &
	FIRMWARE_PID=$!
}

# start_network TTY CONNECT: the operator's side, in its own network namespace: a pppd on the
# gadget's serial port whose connect program is the modem simulator (so pppd owns the tty
# before CONNECT is written and no LCP frame is flushed away). It restarts after each call;
# lcp-restart 1 puts the "modem" back in command mode ~1 s after the host ends a call (pppd's
# default is 3 s), closer to a real dongle, which answers AT again right after NO CARRIER.
start_network() {
	_tty=$1 _connect=$2
	spawn network sh -c "while :; do
		[ -e $_tty ] || { usleep 100000; continue; } # the modem is not plugged (yet)
		unshare -n sh -c \"ip link set lo up; exec pppd $_tty 115200 connect '$_connect' \
			noauth local nodetach logfd 2 debug nodefaultroute noipdefault \
			10.64.0.1:10.64.0.2 ms-dns 10.64.0.53 lcp-echo-interval 0 lcp-restart 1\"
		echo \"network: pppd exited \$?\"
		usleep 100000
	done"
	NETWORK_PID=$SPAWNED_PID
}

# start_dtr_modem: the dongle in modem mode whose modem port (function 0, host /dev/ttyUSB0)
# carries DTR: the firmware serves it through FunctionFS with the simulator in line, and the
# operator's pppd runs on the network end it links at /run/modem-net (start_operator). gser,
# which the other scenarios use, stalls SET_CONTROL_LINE_STATE, so there DTR never arrives.
start_dtr_modem() {
	usb_setup 1
	start_firmware -mode modem -modem-port 0 -net /run/modem-net -persona "$SIM_PERSONA" -state /run/firmware.state
	wait_until 10 has_usb_dev 19d2 0001 || fail "modem 19d2:0001 did not enumerate"
	bind_option
	wait_until 10 exists /dev/ttyUSB0 || fail "no /dev/ttyUSB0 after option new_id"
	wait_until 5 exists /run/modem-net || fail "the firmware linked no network end"
	start_operator /run/modem-net
}

# start_operator LINK: the operator's pppd, in its own network namespace, on the network end of
# the firmware's in-line modem (a new pty each call, linked at LINK; the modem hangs the old one
# up when the call ends). Its connect script waits for the modem to announce a call (CONNECT,
# see demonet.ServeModem); then, like the old lab's operator whose connect program was the
# simulator, it waits up to pppd's connect-delay for the dialer to speak first. After each call
# it reopens the link at once (persist, holdoff 0; lcp-restart 1 shortens the wait after the
# peer's Terminate-Request) and waits for the next; if it is killed (the operator ends the
# session) it is started again. With OPERATOR_EAGER=1 it speaks first instead, the moment the
# call is announced (connect-delay 0).
start_operator() {
	_delay=
	[ "${OPERATOR_EAGER:-}" = 1 ] && _delay="connect-delay 0"
	spawn network unshare -n sh -c "ip link set lo up; while :; do pppd $1 115200 \
		connect 'chat -s -S -v -t 3600 CONNECT' $_delay noauth local nodetach \
		logfd 2 debug nodefaultroute noipdefault 10.64.0.1:10.64.0.2 ms-dns 10.64.0.53 \
		lcp-echo-interval 0 lcp-restart 1 persist holdoff 0 maxfail 0
		echo \"network: pppd exited \$?\"; usleep 100000; done"
	NETWORK_PID=$SPAWNED_PID
}

# operator_ready: the operator's pppd (start_operator) waits for a call: the last thing its log
# says is its connect script's wait for CONNECT.
operator_ready() {
	grep -E 'expect \(CONNECT\)|-- got it|Connection terminated|LCP terminated|Connect: ppp' /run/log/network 2>/dev/null |
		tail -n 1 | grep -q 'expect (CONNECT)'
}

# start_port_sim TTY PERSONA: a secondary AT port (e.g. aux-at: answers AT, cannot dial),
# served for as long as the tty exists and restarted whenever it comes back.
start_port_sim() {
	spawn "sim-${1##*/}" sh -c "while :; do
		if [ -e $1 ] && stty -F $1 raw -echo 2>/dev/null; then
			zdial sim --persona $2 --stdio -v <$1 >$1
		fi
		usleep 100000
	done"
}

# start_dongle_ports: the modem's ports as an MF622 lays them out (switch/devices.yaml,
# 19d2:0001 {0: diag, 1: at, 2: ppp}): ttyGS0 stays silent (diagnostics), ttyGS1 is an AT
# port that cannot dial, ttyGS2 is the modem with the network behind it. Call it before the
# switch: both wait for their tty to appear.
start_dongle_ports() {
	start_port_sim /dev/ttyGS1 aux-at
	start_network /dev/ttyGS2 "$(sim_connect)"
}

# skip REASON: the scenario cannot run yet (e.g. zdial lacks a command); not a failure.
skip() {
	echo "$*" >/run/lab-skip
	echo "lab: [$(now)] SKIP: $*"
	exit 77
}

# sim_connect prints the connect program for the gadget-side pppd: zdial's own simulator.
sim_connect() { echo "zdial sim --persona $SIM_PERSONA --stdio -v"; }

need_zdial() {
	command -v zdial >/dev/null || fail "no zdial in the image (cmd/zdial did not build)"
}

# stop_pid PID [SECONDS]: SIGTERM, then wait (bounded) for it to go.
stop_pid() {
	kill "$1" 2>/dev/null || return 0
	wait_until "${2:-10}" gone "$1" || { kill -9 "$1" 2>/dev/null; return 1; }
}

# wait_link SECONDS PID IFACE ADDR: until IFACE has ADDR; false at once if PID exits first.
wait_link() {
	_wl_pid=$2 _wl_if=$3 _wl_addr=$4
	wait_until "$1" _link_or_gone || return 1
	has_addr "$_wl_if" "$_wl_addr"
}
_link_or_gone() { has_addr "$_wl_if" "$_wl_addr" || gone "$_wl_pid"; }

iface_addr() { ip -4 -o addr show dev "$1" 2>/dev/null | awk '{ split($4, a, "/"); print a[1]; exit }'; }
has_addr() { [ "$(iface_addr "$1")" = "$2" ]; }

# start_udevd: Debian's own systemd-udevd (lab/build copies it from the udev package), as its
# initramfs script starts it but resolving user and group names (GROUP="dialout" needs that;
# /etc/group has the group). Its log goes to /run/log/udevd; with LAB_UDEV_DEBUG set it is
# udevd's debug log, which has every RUN program's output ("'…'(out) '…'").
start_udevd() {
	[ -x /lib/systemd/systemd-udevd ] || fail "no systemd-udevd in the image (lab/build)"
	mkdir -p /run/udev
	if [ -n "${LAB_UDEV_DEBUG:-}" ]; then
		# Thousands of lines per plug: straight to the file, not through stamp_lines.
		/lib/systemd/systemd-udevd --debug >/run/log/udevd 2>&1 &
		UDEVD_PID=$!
	else
		spawn udevd /lib/systemd/systemd-udevd
		UDEVD_PID=$SPAWNED_PID
	fi
	wait_until 10 exists /run/udev/control || fail "systemd-udevd did not start (udevd: $(tail -n 3 /run/log/udevd | tr '\n' ' '))"
}

# udev_coldplug: what a booting system does once udevd runs: replay an add event for every
# device already present, then wait until udevd has handled them all.
udev_coldplug() {
	udevadm trigger --type=subsystems --action=add || fail "udevadm trigger subsystems"
	udevadm trigger --type=devices --action=add || fail "udevadm trigger devices"
	udevadm settle --timeout=60 || fail "udevadm settle after coldplug"
}

# install_zdial_rule: zdial's udev rule, installed the way a user does (zdial udev-rule
# --install, which reloads udevd when it runs), from the zdial on PATH.
install_zdial_rule() {
	zdial udev-rule --install "$@" >>/run/log/zdial-rule 2>&1 ||
		fail "zdial udev-rule --install failed: $(tail -n 3 /run/log/zdial-rule | tr '\n' ' ')"
	[ -f /etc/udev/rules.d/40-zdial.rules ] || fail "no /etc/udev/rules.d/40-zdial.rules after --install"
}

# packaged_zdial_rule: the rule zdial's Debian package installed (lab/build unpacks the .deb),
# naming the packaged /usr/sbin/zdial, with no rule of a user's in /etc to take its place.
packaged_zdial_rule() {
	r=/usr/lib/udev/rules.d/40-zdial.rules
	[ -f $r ] || fail "no $r: the image has no zdial package (lab/build, dist/deb)"
	[ ! -e /etc/udev/rules.d/40-zdial.rules ] || fail "/etc/udev/rules.d/40-zdial.rules takes the packaged rule's place"
	grep -q 'RUN+="/usr/sbin/zdial switch --no-wait %k"' $r || fail "$r does not run /usr/sbin/zdial"
}

# node_perm PATH prints "GROUP MODE" of a device node, e.g. "dialout 0660".
node_perm() { stat -L -c '%G 0%a' "$1" 2>/dev/null; }

# modem_ready: the operator's side (start_network) is waiting for a call: its pppd runs the
# modem simulator as connect program, so the "modem" is in command mode. Between calls the
# gadget-side pppd lingers about a second (lcp-restart 1) before it restarts.
modem_ready() { ps | grep -v grep | grep -q "zdial sim --persona"; }

# median A B C...: the median of the numbers given.
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ratio A B: A/B to two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", a / b; else print "inf" }'; }

# ---- the supervisor (zdial run, up, ensure, down, status) ----

# The flags every supervisor command in the lab shares: the emulated dongle's modem port, the
# real pppd, and the guest's run, lock and state directories.
ZDIAL_FLAGS="--port /dev/ttyUSB0 --pppd /usr/sbin/pppd --lock-dir /var/lock --state-dir /run/zdial-state --run-dir /run/zdial"

# modem_dongle: the dongle plugged in modem mode, option bound, its modem port (ttyUSB0)
# carrying DTR with the network behind it (start_dtr_modem).
modem_dongle() {
	start_dtr_modem
	mkdir -p /run/zdial-state
}

# host_pppd / network_pppd print the pids of the pppd in this network namespace (zdial's) and
# of the operator's pppd (in its own namespace).
host_pppd() {
	for _p in $(pidof pppd); do
		[ "$(readlink "/proc/$_p/ns/net")" = "$(readlink /proc/self/ns/net)" ] && echo "$_p"
	done
	return 0
}
network_pppd() {
	for _p in $(pidof pppd); do
		[ "$(readlink "/proc/$_p/ns/net")" != "$(readlink /proc/self/ns/net)" ] && echo "$_p"
	done
	return 0
}

# relinked OLDPIDS: a host pppd other than OLDPIDS runs and ppp0 has its address again.
relinked() {
	_now=$(host_pppd)
	[ -n "$_now" ] || return 1
	for _o in $1; do
		case " $_now " in *" $_o "*) return 1 ;; esac
	done
	has_addr ppp0 10.64.0.2
}

# all_gone PIDS: every one has exited.
all_gone() {
	for _p in $1; do gone "$_p" || return 1; done
}

# record_field NAME: a number or string field of /run/zdial/three.json (the link record).
record_field() {
	sed -n "s/^ *\"$1\": \"*\([^\",]*\)\"*,*$/\1/p" /run/zdial/three.json
}

# cpu_ticks PID: user + system clock ticks the process used so far; rss_kb PID: its VmRSS.
cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# connects: how many PPP sessions the network side has started so far.
connects() { grep -c 'Connect: ppp' /run/log/network 2>/dev/null || true; }

package hooks

import (
	"fmt"
	"strings"
	"time"
)

// UnitName is the template unit's file name; an instance is
// zdial@PROFILE.service.
const UnitName = "zdial@.service"

// Unit is what the template unit says.
type Unit struct {
	Zdial string // absolute path of the zdial that systemd runs
	// Watchdog is WatchdogSec: the supervisor pings at half of it while it
	// runs (sd_notify WATCHDOG=1). Zero leaves the watchdog off.
	Watchdog time.Duration
	// RestartSec is the pause before systemd restarts a failed supervisor
	// (the supervisor's own back-off handles link drops inside one run).
	RestartSec time.Duration
}

// UnitFile returns the text of zdial@.service. Every line says why it is
// there: the hardening is as tight as it can be while zdial still reaches
// the tty, sysfs, /dev/bus/usb and modprobe, and pppd still gets
// CAP_NET_ADMIN, /dev/ppp, /etc/ppp and its ip-up scripts.
func UnitFile(u Unit) (string, error) {
	if err := plainPath("zdial path", u.Zdial); err != nil {
		return "", err
	}
	restart := u.RestartSec
	if restart <= 0 {
		restart = 10 * time.Second
	}
	var watchdog string
	if u.Watchdog > 0 {
		watchdog = fmt.Sprintf("# The supervisor sends WATCHDOG=1 every half of this while it runs; a hung\n# zdial is killed and restarted.\nWatchdogSec=%s\n", seconds(u.Watchdog))
	}
	r := strings.NewReplacer("@ZDIAL@", u.Zdial, "@RESTART@", seconds(restart), "@WATCHDOG@\n", watchdog)
	return r.Replace(unitTemplate), nil
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%ds", int((d+time.Second-1)/time.Second))
}

const unitTemplate = `# zdial@.service, written by "zdial install-unit": one instance per profile.
#   systemctl enable --now zdial@three.service
# runs "zdial run three", the supervisor that dials, hands the line to pppd
# and redials when the link drops or the dongle comes back.
[Unit]
Description=zdial: keep profile %i online over a mobile-broadband dongle
Documentation=man:pppd(8) https://github.com/zdial/zdial#hooks
After=network-pre.target systemd-udevd.service
Wants=network-pre.target

[Service]
# zdial says READY=1 once pppd has the link up, STATUS= on each change.
Type=notify
# Only zdial itself may notify, never pppd or an ip-up script.
NotifyAccess=main
ExecStart=@ZDIAL@ run %i
@WATCHDOG@
# The supervisor redials by itself; systemd restarts zdial only when it
# exits with an error, and not for the errors retrying cannot fix:
# 2 usage or configuration, 4 SIM/PIN (never hammer a locked SIM).
Restart=on-failure
RestartSec=@RESTART@
RestartPreventExitStatus=2 4
# Switching, registering and dialing can take minutes on a weak signal.
TimeoutStartSec=5min
# SIGTERM to zdial alone: it hangs up and stops pppd itself, then systemd
# kills whatever is left after TimeoutStopSec.
KillMode=mixed
TimeoutStopSec=45s

# --- Hardening. zdial and pppd run as root and must still:
#   open the modem's tty (ttyUSB, ttyACM), usbfs nodes for mode switching,
#   the CD-ROM's SCSI nodes to eject it, and /dev/ppp;
#   write sysfs (driver new_id/bind) and run modprobe for the option driver;
#   create ppp0, set addresses and routes (CAP_NET_ADMIN);
#   write /etc/ppp/resolv.conf, run /etc/ppp/ip-up.d (Debian's 0000usepeerdns
#   replaces /etc/resolv.conf through a temporary file in /etc);
#   keep lock files in /var/lock, state in /var/lib/zdial and /run/zdial.
# Everything else of the file system is read-only. An ip-up script that
# writes elsewhere needs a drop-in with ReadWritePaths=. (/var/lock is
# optional: on Debian it is a link into /run.)
ProtectSystem=strict
ReadWritePaths=/etc /run -/var/lock /var/lib/zdial
StateDirectory=zdial
StateDirectoryMode=0700
ProtectHome=yes
PrivateTmp=yes
# No DevicePolicy=closed: systemd resolves DeviceAllow=char-ttyUSB (and
# ttyACM, ppp) from /proc/devices when the service starts, and those majors
# exist only once their driver is loaded, so a dongle plugged in later, or
# a driver zdial loads itself, would be refused. PrivateDevices stays off
# for the same reason.
# Not ProtectKernelTunables (it makes /sys read-only: no driver binding),
# not ProtectKernelModules (modprobe option), and not ProtectClock: it
# implies DeviceAllow=char-rtc, which on systemd before 253 (Debian 12's
# 252) shuts out every other device, the tty included (systemd#18142).
ProtectControlGroups=yes
ProtectHostname=yes
ProtectKernelLogs=yes
# pppd: CAP_NET_ADMIN for /dev/ppp, interfaces and routes, CAP_NET_RAW for
# its sockets; CAP_SYS_MODULE loads option and ppp modules;
# CAP_SYS_TTY_CONFIG and CAP_DAC_OVERRIDE for the tty and lock files;
# CAP_CHOWN and CAP_FOWNER as pppd sets the tty's owner; CAP_KILL stops a
# stale pppd.
CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW CAP_SYS_MODULE CAP_SYS_TTY_CONFIG CAP_DAC_OVERRIDE CAP_CHOWN CAP_FOWNER CAP_KILL
# Netlink (udev events, routes), UNIX (sd_notify, syslog), IP (pppd's
# ioctls, the connectivity check), packet (pppd's proxyarp).
RestrictAddressFamilies=AF_UNIX AF_NETLINK AF_INET AF_INET6 AF_PACKET
NoNewPrivileges=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes

[Install]
WantedBy=multi-user.target
`

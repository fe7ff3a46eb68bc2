package dialer

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/zdial/zdial/at"
	modeswitch "github.com/zdial/zdial/switch"
)

// When neither --port nor the profile names a port, Connect finds it:
//
//	sysfs    1-2 is 19d2:2000 "ZTE MF622" in storage mode      (Host.Dongles)
//	usbdevfs eject sequence on /dev/bus/usb/001/005             (Host.Switch)
//	uevent   1-2 is back as 19d2:0001; option bound by new_id; ttyUSB0-2
//	cache    state-dir/ports/19d2-0001-<serial>.json: interface 2
//	         → /dev/ttyUSB2 answers AT: dial it
//	  or     no cache: probe ttyUSB1 and ttyUSB2 at once (ttyUSB0 is diag,
//	         never opened) → ttyUSB2 by the database's role, GETPORTMODE,
//	         the data-port check (prober.go) or, where nothing else tells,
//	         the lowest AT port (choose.go); remembered for next time
//
// Each step is a progress note, so a person watching sees what zdial did
// to which device.

// DetectOptions are the roots and seams of finding the dongle. They are
// embedded in Dialer; zero values mean the real system.
type DetectOptions struct {
	SysfsRoot string // "/sys"
	Modprobe  string // "/sbin/modprobe"; loads option only if it is not loaded and this exists
	// ModeswitchDataDir and ModeswitchEtcDir are where Debian's
	// usb-modeswitch-data lives; its entries serve devices zdial's own
	// database lacks. Missing directories are fine.
	ModeswitchDataDir string // "/usr/share/usb_modeswitch"
	ModeswitchEtcDir  string // "/etc/usb_modeswitch.d"

	USBEvents    modeswitch.Events   // uevent source; nil means netlink
	USBOpen      modeswitch.OpenFunc // usbdevfs opener; nil means the real one
	SwitchWait   time.Duration       // for a switched dongle's ttys; 0 means modeswitch.DefaultWait
	ProbeTimeout time.Duration       // per port; 0 means 3 s
}

func (d *DetectOptions) setDefaults() {
	if d.SysfsRoot == "" {
		d.SysfsRoot = "/sys"
	}
	if d.Modprobe == "" {
		d.Modprobe = "/sbin/modprobe"
	}
	if d.ModeswitchDataDir == "" {
		d.ModeswitchDataDir = modeswitch.DataDir
	}
	if d.ModeswitchEtcDir == "" {
		d.ModeswitchEtcDir = modeswitch.ConfigDir
	}
	if d.ProbeTimeout <= 0 {
		d.ProbeTimeout = defaultProbeTimeout
	}
}

// Host is the modeswitch view of the machine these options describe.
func (d DetectOptions) Host(devRoot string, log *slog.Logger) *modeswitch.Host {
	d.setDefaults()
	if devRoot == "" {
		devRoot = "/dev"
	}
	return &modeswitch.Host{Sysfs: d.SysfsRoot, Dev: devRoot, Modprobe: d.Modprobe,
		Open: d.USBOpen, Events: d.USBEvents, Log: log, Wait: d.SwitchWait}
}

// DeviceDB is zdial's own device database with Debian's usb-modeswitch-data
// behind it (ours wins where both know a device). Files of the Debian data
// that do not parse are skipped, and an import that fails as a whole leaves
// our own database alone; both are in the stats' Failures.
func (d DetectOptions) DeviceDB() (*modeswitch.DB, modeswitch.ImportStats, error) {
	d.setDefaults()
	db, err := modeswitch.Builtin()
	if err != nil {
		return nil, modeswitch.ImportStats{}, err
	}
	deb, stats, err := modeswitch.Import(d.ModeswitchDataDir, d.ModeswitchEtcDir)
	if err != nil { // the Debian data is optional: our own database still serves
		stats.Failures = append(stats.Failures, err)
		return db, stats, nil
	}
	return db.Merge(deb), stats, nil
}

// detectPort finds the dongle, switches it to modem mode if it is still a
// CD-ROM, and returns its PPP port.
func (o *Dialer) detectPort(ctx context.Context) (string, error) {
	o.DetectOptions.setDefaults()
	db, stats, err := o.DeviceDB()
	if err != nil {
		return "", err
	}
	o.Logger.Debug("usb-modeswitch-data", "files", stats.Files, "devices", stats.Devices, "failures", len(stats.Failures))
	host := o.Host(o.DevRoot, o.Logger)
	dongles, err := host.Dongles(db)
	if err != nil {
		return "", err
	}
	g := pickDongle(dongles)
	o.note("found %s (%s) at USB %s, %s mode", g.Name(), g.Device.ID, g.Device.Name, g.Mode)
	if len(dongles) > 1 {
		o.note("%d dongles present; using %s (name another with --port)", len(dongles), g.Device.Name)
	}
	if g.Mode == modeswitch.ModeStorage {
		method := modeswitch.Method("")
		if g.Entry != nil && g.Entry.Switch != nil {
			method = g.Entry.Switch.Method
		}
		o.note("switching %s to modem mode (%s)", g.Device.Name, method)
	}
	res, err := host.Switch(ctx, g)
	if err != nil {
		return "", err
	}
	if res.Method != "" {
		o.note("switched: %s is now %s", res.Device.Name, res.Device.ID)
	}
	if res.Bound {
		o.note("bound the option driver to %s (new_id)", res.Device.ID)
	}

	disc := Discovery{DevRoot: o.DevRoot, LockDir: o.LockDir, ProcRoot: o.ProcRoot, StateDir: o.StateDir,
		ProbeTimeout: o.ProbeTimeout, ATOptions: o.atProbeOptions(), Note: o.note}
	c, err := disc.Discover(ctx, res.Device, host.Ports(db, res.Device))
	if err != nil {
		return "", err
	}
	o.note("ports: %s", describePorts(c))
	if r := c.Results[c.Port.Name]; r.Info != "" {
		o.note("PPP port %s (%s): %s", c.Port.Path, c.Reason, r.Info)
	} else {
		o.note("PPP port %s (%s)", c.Port.Path, c.Reason)
	}
	return c.Port.Path, nil
}

// pickDongle prefers a dongle in modem mode (it is ready), then a known one.
func pickDongle(gs []modeswitch.Dongle) modeswitch.Dongle {
	for _, g := range gs {
		if g.Mode == modeswitch.ModeModem {
			return g
		}
	}
	for _, g := range gs {
		if g.Entry != nil {
			return g
		}
	}
	return gs[0]
}

// atProbeOptions are the engine options for probes: the dial's logger, but
// no transcript (several ports at once would interleave in it).
func (o *Dialer) atProbeOptions() []at.Option {
	return []at.Option{at.WithLogger(o.Logger)}
}

// describePorts lists every port with its role: the database's, or what
// probing found where the database says nothing.
func describePorts(c Choice) string {
	var parts []string
	for _, p := range c.Ports {
		what := string(p.Role)
		if r, ok := c.Results[p.Name]; what == "" && ok && r.AT {
			what = "at"
		} else if what == "" && c.Errors[p.Name] != nil {
			what = "no answer"
		}
		if what != "" {
			parts = append(parts, p.Name+" "+what)
		} else {
			parts = append(parts, p.Name)
		}
	}
	return strings.Join(parts, ", ")
}

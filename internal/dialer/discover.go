package dialer

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zdial/zdial/at"
	"github.com/zdial/zdial/internal/uucplock"
	modeswitch "github.com/zdial/zdial/switch"
)

// Discovery finds a dongle's PPP port among its ttys: from the port cache
// when its remembered port still answers AT, else by probing every port
// at once over package at (prober.go) and choosing (choose.go).
type Discovery struct {
	DevRoot      string        // "/dev": lists the serial ports that exist when one is missing
	LockDir      string        // UUCP lock directory, "/var/lock"; "" skips the lock check
	ProcRoot     string        // "/proc", to name a lock's holder
	StateDir     string        // the port cache is StateDir/ports; "" keeps no cache
	ProbeTimeout time.Duration // per port; 0 means 3 s
	// ATOptions are the probes' engine options: a logger, but no
	// transcript (several ports at once would interleave in it).
	ATOptions []at.Option
	// Note receives progress for a person ("remembered port … does not
	// answer"); nil drops it.
	Note func(format string, args ...any)

	// probe and answers reach one port; nil means over package at
	// (probePort, answersAT). Only this package's tests set them, to
	// feed choosePort results that no simulated modem gives.
	probe   func(ctx context.Context, path string) (ProbeResult, error)
	answers func(ctx context.Context, path string) error
}

// Discover finds d's PPP port among ports (Host.Ports lists them). A
// cached port is taken when its interface still has a tty and it answers
// AT within one probe timeout; a cached port that does not answer is
// forgotten, and every port is probed again. Ports held by another program
// (UUCP lock with a live PID) are not probed; if the chosen port is held,
// the error is a *PortBusyError naming the holder. A probed choice is
// remembered for the next run.
func (s Discovery) Discover(ctx context.Context, d modeswitch.Device, ports []modeswitch.Port) (Choice, error) {
	ports = append([]modeswitch.Port(nil), ports...)
	sortPorts(ports)
	holders := map[string]*uucplock.BusyError{}
	if s.LockDir != "" {
		locks := uucplock.Dir{Path: s.LockDir, ProcRoot: s.ProcRoot, DevRoot: s.DevRoot}
		for _, p := range ports {
			hd, err := locks.Holder(p.Name) // nil for a free port or a stale lock
			if err != nil {
				return Choice{}, err
			}
			if hd != nil {
				holders[p.Name] = hd
			}
		}
	}
	busy := func(c Choice) (Choice, error) {
		if hd := holders[c.Port.Name]; hd != nil {
			return c, portBusy(d, c.Port.Name, hd)
		}
		return c, nil
	}

	var cache *portCache
	if s.StateDir != "" {
		cache = &portCache{Dir: s.StateDir}
		c, ok, err := s.cached(ctx, cache, d, ports)
		if err != nil {
			return Choice{}, err
		}
		if ok {
			if holders[c.Port.Name] != nil {
				return busy(c)
			}
			err := s.checkAnswers(ctx, c.Port.Path)
			if err == nil {
				return c, nil
			}
			s.note("remembered port %s does not answer (%v); probing again", c.Port.Path, err)
			if err := cache.Forget(d); err != nil {
				return Choice{}, err
			}
		}
	}

	var held, free []modeswitch.Port
	for _, p := range ports {
		if holders[p.Name] != nil {
			held = append(held, p)
			continue
		}
		free = append(free, p)
	}
	c, err := s.choosePort(ctx, free)
	c.Ports = append(c.Ports, held...)
	sortPorts(c.Ports)
	if err != nil {
		for _, p := range held { // the database's PPP port is held: say by whom
			if p.Role == modeswitch.RolePPP {
				return busy(Choice{Port: p, Ports: c.Ports})
			}
		}
		return c, err
	}
	if cache != nil {
		if err := cache.Store(d, c.Port, c.Reason); err != nil {
			return c, err
		}
	}
	return c, nil
}

// cached is the cache's port for d when its interface still has a tty
// that may be probed.
func (s Discovery) cached(ctx context.Context, cache *portCache, d modeswitch.Device, ports []modeswitch.Port) (Choice, bool, error) {
	iface, ok, err := cache.Load(d)
	if err != nil || !ok {
		return Choice{}, false, err
	}
	for _, p := range ports {
		if p.Interface == iface && p.Role.Probeable() {
			return Choice{Port: p, Ports: ports, Reason: "cache", FromCache: true}, true, nil
		}
	}
	return Choice{}, false, nil
}

// checkAnswers checks a remembered port before trusting it: it must open
// and answer AT within one probe timeout.
func (s Discovery) checkAnswers(ctx context.Context, path string) error {
	timeout := s.ProbeTimeout
	if timeout <= 0 {
		timeout = defaultProbeTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if s.answers != nil {
		return s.answers(ctx, path)
	}
	line, err := OpenPort(path, s.DevRoot)
	if err != nil {
		return err
	}
	m := at.New(line, s.ATOptions...)
	defer m.Close()
	return wake(ctx, m)
}

// probePort opens path with OpenPort and probes it over package at. The
// port is closed (and the engine's goroutines gone) when it returns.
func (s Discovery) probePort(ctx context.Context, path string) (ProbeResult, error) {
	line, err := OpenPort(path, s.DevRoot)
	if err != nil {
		return ProbeResult{}, err
	}
	m := at.New(line, s.ATOptions...)
	defer m.Close() // closes line and waits for the engine's goroutines
	r, _, err := probeModem(ctx, m)
	return r, err
}

func (s Discovery) note(format string, args ...any) {
	if s.Note != nil {
		s.Note(format, args...)
	}
}

// PortBusyError names the program holding a tty and how to make it let go.
// It matches uucplock.ErrBusy: the port's UUCP lock names a live process.
type PortBusyError struct {
	Port   string
	Holder *uucplock.BusyError // its lock file, PID and command name
	Hint   string
}

func (e *PortBusyError) Error() string {
	who := strconv.Itoa(e.Holder.PID)
	if e.Holder.Name != "" {
		who = fmt.Sprintf("%s (pid %d)", e.Holder.Name, e.Holder.PID)
	}
	s := fmt.Sprintf("dialer: %s is held by %s, uucp lock %s", e.Port, who, e.Holder.Path)
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// Is makes errors.Is(err, uucplock.ErrBusy) true.
func (e *PortBusyError) Is(target error) bool { return target == uucplock.ErrBusy }

// portBusy builds the error for a held port, with the hint that fits the holder.
func portBusy(d modeswitch.Device, tty string, h *uucplock.BusyError) *PortBusyError {
	hint := fmt.Sprintf("stop it (kill %d) or wait for it to finish", h.PID)
	if strings.Contains(strings.ToLower(h.Name), "modemmanager") {
		hint = modemManagerHint(d)
	}
	return &PortBusyError{Port: tty, Holder: h, Hint: hint}
}

// modemManagerHint is the advice for a port ModemManager holds or probes:
// inhibit it for this run, or keep it away from the device for good.
func modemManagerHint(d modeswitch.Device) string {
	return fmt.Sprintf(`ModemManager may be using %s (%s). Either stop it for this session:
  sudo mmcli --inhibit-device=/sys/bus/usb/devices/%s   (keeps it off until mmcli exits)
or make it ignore the device for good with a udev rule:
  ACTION=="add|change", SUBSYSTEM=="usb", ATTRS{idVendor}=="%04x", ATTRS{idProduct}=="%04x", ENV{ID_MM_DEVICE_IGNORE}="1"
  ACTION=="add|change", SUBSYSTEM=="tty", ATTRS{idVendor}=="%04x", ATTRS{idProduct}=="%04x", ENV{ID_MM_DEVICE_IGNORE}="1"
(zdial udev-rule prints a complete file.)`,
		d.ID, d.Label(), d.Name, d.ID.Vendor, d.ID.Product, d.ID.Vendor, d.ID.Product)
}

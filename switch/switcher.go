package modeswitch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// SwitchResult is a dongle after Switch: in modem mode with its ttys.
type SwitchResult struct {
	Device Device   // the modem-mode device, re-read from sysfs
	Method Method   // how the switch went out; "" when none was sent
	Sent   []string // what was sent, one line per transfer or sysfs write
	Bound  bool     // the option driver was bound through new_id
	// FellBack is why the database's method could not be used (usbdevfs
	// missing or refusing) when Method is DetachStorageOnly in its place;
	// nil otherwise. It wraps the usbdevfs error.
	FellBack error
	// Planned is the database's method for the device, which FellBack
	// says why it was not used.
	Planned Method
	// Already says why nothing was sent: another zdial is switching this
	// device, or it was sent its switch moments ago (inflight.go).
	Already string
}

// usbStorageUnbind is usb-storage's unbind file. Writing one interface name
// ("1-2:1.0") there releases that interface only; every other disk keeps its
// driver. This is the only way zdial takes a device from usb-storage: it
// never unloads the module.
const usbStorageUnbind = "bus/usb/drivers/usb-storage/unbind"

// Switch takes a dongle from storage to modem mode and waits (events, no
// sleeps; h.Wait, default 20 s) until the modem device and its ttys exist:
//
//  1. run the entry's method on this device only (usbdevfs on
//     /dev/bus/usb/BBB/DDD, or usb-storage's unbind for its own interfaces),
//     falling back to the unbind when usbdevfs is missing or refuses;
//  2. wait for the same sysfs device (same port, "1-2") to show a target ID;
//  3. if no serial driver claims it, bind option through new_id;
//  4. wait for its ttys and their device nodes.
//
// A dongle already in modem mode skips 1 and 2, and one that another
// zdial (the udev rule) has just sent its switch skips 1. An unknown
// storage device gets *UnknownDeviceError; a switch that does not take,
// *SwitchError. SwitchNoWait does 1 or 3 and returns, for udev RUN programs.
func (h *Host) Switch(ctx context.Context, g Dongle) (SwitchResult, error) {
	d := g.Device
	if g.Mode == ModeModem {
		return h.finish(ctx, SwitchResult{Device: d}, g.Target)
	}
	// One deadline covers the transfers and the wait. waitFor subscribes and
	// then checks sysfs, so a re-enumeration that finishes before it
	// subscribes is seen by that first check, not missed.
	wctx, cancel := h.waitDeadline(ctx)
	defer cancel()
	res, l, err := h.sendOnce(wctx, g)
	if err != nil {
		return res, err
	}
	method := g.Entry.Switch.Method // sendOnce has refused a device with no entry
	if res.Method != "" {
		method = res.Method
	}

	var now Device
	var target *Target
	err = waitFor(wctx, h.events(), func() (bool, error) {
		nd, err := readDevice(h.sys(), d.Name)
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil // gone, re-enumerating
		}
		if err != nil {
			return false, nil // half-created; the next event tells us more
		}
		now = nd
		t, ok := switched(*g.Entry, d, nd)
		target = t
		return ok, nil
	})
	if err != nil {
		return res, &SwitchError{Device: d.ID, Method: method, Sent: l.sent,
			Observed: observe(d, now, l, h.wait()), Hint: stuckHint(d, res), Err: err}
	}
	h.log().Info("switched", "device", d.Name, "id", d.ID, "now", now.ID)
	res.Device = now
	return h.finish(ctx, res, target)
}

// SwitchNoWait is Switch for a udev RUN program, which must return at once:
// udev handles one event of a device at a time and kills RUN programs that
// take long, and the events Switch would wait for queue behind it. It does
// one step and returns:
//
//   - storage mode: run the entry's switching method (step 1 of Switch),
//     once per plug: when another zdial is sending it, or has just sent it
//     to this enumeration of the device, it sends nothing and res.Already
//     says why. The result's Device is the storage-mode device, which is
//     leaving.
//   - modem mode: bind option through new_id if no serial driver claims the
//     device (step 3). The ttys appear as the driver binds.
//
// The rule from UdevRule runs it at both events of a switch, the storage-mode
// device's and the re-enumerated modem's; see there. ctx bounds the
// transfers (h.Wait at most).
func (h *Host) SwitchNoWait(ctx context.Context, g Dongle) (SwitchResult, error) {
	if g.Mode == ModeModem {
		res := SwitchResult{Device: g.Device}
		bound, err := h.bindSerial(ctx, g.Device)
		res.bound(bound)
		return res, err
	}
	ctx, cancel := h.waitDeadline(ctx)
	defer cancel()
	res, _, err := h.sendOnce(ctx, g)
	return res, err
}

// sendOnce is send under the device's switch lock (claimSwitch): nothing
// goes out when another zdial is sending, or has just sent, the switch.
func (h *Host) sendOnce(ctx context.Context, g Dongle) (SwitchResult, *switchLog, error) {
	if g.Entry == nil || g.Entry.Switch == nil {
		return SwitchResult{}, &switchLog{}, &UnknownDeviceError{Device: g.Device, Snippet: Snippet(g.Device)}
	}
	c, already, err := h.claimSwitch(g.Device)
	if err != nil {
		return SwitchResult{Device: g.Device}, &switchLog{}, err
	}
	if already != "" {
		h.log().Info("not sending the switch again", "device", g.Device.Name, "why", already)
		return SwitchResult{Device: g.Device, Already: already, Planned: g.Entry.Switch.Method}, &switchLog{}, nil
	}
	res, l, err := h.send(ctx, g)
	c.done(g.Device, res.Method, err == nil)
	return res, l, err
}

// send runs g's switching method on g's device only and reports what went
// out. It returns before the device re-enumerates. When the method needs
// usbdevfs and usbdevfs is missing (no /dev/bus/usb) or refuses the
// device, it detaches usb-storage from the device's storage interfaces
// instead (the DetachStorageOnly way: many dongles, the ZTE MF622 among
// them, switch by themselves once nothing holds their CD-ROM) and says so
// in res.FellBack.
func (h *Host) send(ctx context.Context, g Dongle) (SwitchResult, *switchLog, error) {
	d := g.Device
	if g.Entry == nil || g.Entry.Switch == nil {
		return SwitchResult{}, &switchLog{}, &UnknownDeviceError{Device: d, Snippet: Snippet(d)}
	}
	spec := *g.Entry.Switch
	l := &switchLog{}
	res := SwitchResult{Device: d, Method: spec.Method, Planned: spec.Method}
	log := h.log().With("device", d.Name, "id", d.ID, "method", spec.Method)
	log.Info("switching to modem mode")

	if spec.Method == detachStorageOnly {
		if err := h.detachStorage(d, l); err != nil {
			return res, l, err
		}
	} else if err := h.sendUSB(ctx, d, spec, l); err != nil {
		if !usbdevfsUnusable(err) {
			return res, l, err
		}
		log.Info("usbdevfs unusable; detaching usb-storage from the storage interface instead", "why", err)
		res.Method, res.FellBack = detachStorageOnly, err
		if ferr := h.detachStorage(d, l); ferr != nil {
			var pe *PermissionError
			if errors.As(ferr, &pe) {
				return res, l, ferr
			}
			return res, l, &SwitchError{Device: d.ID, Method: spec.Method, Sent: l.sent,
				Observed: fmt.Sprintf("tried %s over usbdevfs: %s; then unbinding usb-storage from its storage interface: %s",
					spec.Method, personText(err), personText(ferr)),
				Hint: usbdevfsHint(d, err), Err: errors.Join(err, ferr)}
		}
	}
	res.Sent = l.sent
	for _, s := range l.sent {
		log.Debug("sent", "what", s)
	}
	return res, l, nil
}

// sendUSB runs a usbdevfs method on d's node under h.Dev.
func (h *Host) sendUSB(ctx context.Context, d Device, spec SwitchSpec, l *switchLog) error {
	path := d.devPath(h.Dev)
	dev, err := h.open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			dir := filepath.Dir(filepath.Dir(path)) // /dev/bus/usb
			if _, serr := os.Stat(dir); serr != nil {
				return &USBDevfsError{Path: path, Missing: dir, Err: err}
			}
		}
		return &USBDevfsError{Path: path, Err: err}
	}
	err = runUSB(ctx, dev, d, spec, l)
	dev.Close()
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrUnsupportedMethod) || errors.Is(err, ErrPermission) || ctx.Err() != nil {
		return err
	}
	return &USBDevfsError{Path: path, Transfer: true, Sent: len(l.sent), Err: err}
}

// usbdevfsUnusable reports a usbdevfs failure the unbind can stand in for:
// the node is missing, or the kernel refused a request. A permission error
// is not one (the unbind needs root as well), nor a method zdial lacks.
func usbdevfsUnusable(err error) bool {
	var ue *USBDevfsError
	return errors.As(err, &ue) && !errors.Is(err, ErrPermission)
}

// detachStorage unbinds usb-storage from d's own storage interfaces, one
// interface name each ("1-2:1.0"): every other disk keeps its driver.
func (h *Host) detachStorage(d Device, l *switchLog) error {
	n := 0
	for _, in := range d.Interfaces {
		if in.Driver != "usb-storage" {
			continue
		}
		l.send("write %q to %s", in.Name, usbStorageUnbind)
		if err := h.writeSysfs(usbStorageUnbind, in.Name); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return &OpError{Op: "detach usb-storage from", Path: d.Name,
			Err: errors.New("no interface of the device is bound to usb-storage")}
	}
	return nil
}

// usbdevfsHint is what to do when neither usbdevfs nor the unbind switched d.
func usbdevfsHint(d Device, err error) string {
	var ue *USBDevfsError
	if errors.As(err, &ue) && ue.Missing != "" {
		return fmt.Sprintf("%s is missing: mount devtmpfs on /dev (mount -t devtmpfs devtmpfs /dev) or start udev, then run zdial switch %s again", ue.Missing, d.Name)
	}
	return fmt.Sprintf("unplug the dongle and plug it in again, then run zdial switch %s; if it keeps failing, run it with -v and report the output", d.Name)
}

// stuckHint is what to do when a sent switch did not take.
func stuckHint(d Device, res SwitchResult) string {
	if res.FellBack != nil {
		return fmt.Sprintf("usb-storage was detached from %s's storage interface instead of sending %s, because usbdevfs %s; "+
			"this dongle does not switch by itself, so it needs usbdevfs: %s",
			d.Name, res.Planned, personText(res.FellBack), usbdevfsHint(d, res.FellBack))
	}
	return fmt.Sprintf("unplug the dongle and plug it in again; if it comes back in storage mode again, run zdial switch %s -v and report the output", d.Name)
}

// switched reports whether nd, read from d's sysfs path, is the modem mode of entry e.
func switched(e Entry, d, nd Device) (*Target, bool) {
	if nd.storageOnly() || !hasModemInterface(nd) {
		return nil, false
	}
	for i := range e.Targets {
		if e.Targets[i].ID == nd.ID {
			return &e.Targets[i], true
		}
	}
	if len(e.Targets) == 0 || (e.Switch != nil && e.Switch.TargetClass != 0 && nd.ID == d.ID) {
		return nil, true // no target list: any modem-class device on that port will do
	}
	return nil, false
}

func observe(d, now Device, l *switchLog, wait fmt.Stringer) string {
	var parts []string
	parts = append(parts, l.observed...)
	switch {
	case now.Name == "":
		parts = append(parts, fmt.Sprintf("%s left the bus and did not come back within %s", d.Name, wait))
	case now.ID == d.ID && now.storageOnly():
		what := "stayed"
		if l.gone || now.Devnum != d.Devnum {
			what = "re-enumerated but came back"
		}
		parts = append(parts, fmt.Sprintf("%s %s in storage mode as %s for %s", d.Name, what, now.ID, wait))
	default:
		parts = append(parts, fmt.Sprintf("%s is now %s, which is not a modem-mode ID of this device", d.Name, now.ID))
	}
	return strings.Join(parts, "; ")
}

func (h *Host) wait() fmt.Stringer {
	if h.Wait > 0 {
		return h.Wait
	}
	return DefaultWait
}

// finish binds a serial driver if needed and waits for the ttys.
func (h *Host) finish(ctx context.Context, res SwitchResult, t *Target) (SwitchResult, error) {
	d := res.Device
	bound, err := h.bindSerial(ctx, d)
	if err != nil {
		return res, err
	}
	res.bound(bound)
	wctx, cancel := h.waitDeadline(ctx)
	defer cancel()
	err = waitFor(wctx, h.events(), func() (bool, error) {
		nd, err := readDevice(h.sys(), d.Name)
		if err != nil {
			return false, nil
		}
		res.Device = nd
		return h.ttysReady(nd, t), nil
	})
	if err != nil {
		return res, &OpError{Op: "wait for serial ports of", Path: d.Name,
			Err: fmt.Errorf("%w: %s (%s) has no tty after %s: %w", ErrNoPort, d.ID, d.Label(), h.wait(), err)}
	}
	return res, nil
}

// bound records a new_id write by bindSerial.
func (res *SwitchResult) bound(bound bool) {
	if !bound {
		return
	}
	d := res.Device
	res.Bound = true
	res.Sent = append(res.Sent, fmt.Sprintf("write %q to %s", fmt.Sprintf("%04x %04x ff", d.ID.Vendor, d.ID.Product), optionNewID))
}

// ttysReady: at least one tty, a tty on every interface the database gives
// a role, and a device node for every tty (when h.Dev is set).
func (h *Host) ttysReady(d Device, t *Target) bool {
	ttys := d.ttys()
	if len(ttys) == 0 {
		return false
	}
	if t != nil {
		for n := range t.Ports {
			if !slices.ContainsFunc(ttys, func(x ttyNode) bool { return x.Interface == n }) {
				return false
			}
		}
	}
	if h.Dev != "" {
		for _, x := range ttys {
			if _, err := os.Stat(filepath.Join(h.Dev, x.Name)); err != nil {
				return false
			}
		}
	}
	return true
}

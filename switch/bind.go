package modeswitch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"
)

// optionNewID is the usb-serial side of the option driver. Writing
// "<vid> <pid> ff" there adds a dynamic ID matching only the device's
// vendor-class (0xff) interfaces, so its storage interface stays with
// usb-storage. This replaces `modprobe usbserial vendor=… product=…`, whose
// parameters newer kernels reject ("Unknown parameter vendor").
const optionNewID = "bus/usb-serial/drivers/option1/new_id"

// Bound reports whether a serial driver already holds one of d's modem
// (vendor-class or CDC) interfaces.
func serialBound(d Device) bool {
	for _, in := range d.Interfaces {
		if (in.Class == classVendor || in.Class == classComm) && slices.Contains(serialDrivers, in.Driver) {
			return true
		}
	}
	return false
}

// bindSerial makes the option driver serve d when no serial driver does:
// it writes d's ID to option's new_id, first running `modprobe option` if
// the driver is not loaded and h.Modprobe exists. It reports whether it
// wrote new_id. It never unloads or reloads a module.
func (h *Host) bindSerial(ctx context.Context, d Device) (bool, error) {
	if serialBound(d) || !hasModemInterface(d) {
		return false, nil
	}
	p := filepath.Join(h.Sysfs, optionNewID)
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		if err := h.modprobeOption(ctx); err != nil {
			return false, err
		}
		if _, err := os.Stat(p); err != nil {
			return false, &OpError{Op: "bind option driver", Path: p,
				Err: fmt.Errorf("option driver not available after modprobe: %w", causeAt(p, err))}
		}
	}
	err := h.writeSysfs(optionNewID, fmt.Sprintf("%04x %04x ff", d.ID.Vendor, d.ID.Product))
	if errors.Is(err, fs.ErrExist) { // the ID is already in option's dynamic list
		return false, nil
	}
	if err != nil {
		return false, err
	}
	h.log().Info("bound option driver by new_id", "device", d.Name, "id", d.ID)
	return true, nil
}

// modprobeTimeout bounds `modprobe option`.
const modprobeTimeout = 30 * time.Second

func (h *Host) modprobeOption(ctx context.Context) error {
	if h.Modprobe == "" {
		return &OpError{Op: "bind option driver", Err: errors.New("the option driver is not loaded and loading modules is disabled")}
	}
	if _, err := os.Stat(h.Modprobe); err != nil {
		return &OpError{Op: "bind option driver", Path: h.Modprobe,
			Err: fmt.Errorf("the option driver is not loaded and modprobe is missing: %w", causeAt(h.Modprobe, err))}
	}
	// modprobe waits on the kernel and on udev's module rules; a wedged one
	// must not hold zdial (or udev's RUN) forever.
	ctx, cancel := context.WithTimeout(ctx, modprobeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, h.Modprobe, "option")
	cmd.WaitDelay = 2 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		if os.Geteuid() != 0 {
			return &PermissionError{Op: "run", Path: h.Modprobe + " option", Need: "root to load the option kernel module", Err: err}
		}
		return &OpError{Op: "run", Path: h.Modprobe + " option", Err: fmt.Errorf("%w: %s", err, out)}
	}
	h.log().Info("loaded option driver", "modprobe", h.Modprobe)
	return nil
}

package modeswitch

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// Host is the machine zdial runs on, as a set of roots and seams. Production
// code fills in the real roots (NewHost); tests point them at testdata trees
// and fakes.
type Host struct {
	Sysfs    string   // sysfs mount, "/sys"
	Dev      string   // device nodes, "/dev"
	Modprobe string   // modprobe binary, "/sbin/modprobe"; "" never loads a module
	Open     OpenFunc // usbdevfs opener; nil means openUSBDevfs
	// WriteAttr writes value to the sysfs attribute at path (under Sysfs);
	// nil means writeAttr, which opens the existing file and writes it.
	// Tests inject kernel refusals (EACCES, EPERM, EEXIST) here, which a
	// read-only file in a temporary tree cannot do when the tests run as root.
	WriteAttr func(path, value string) error
	Events    Events        // uevent source; nil means newEvents()
	Log       *slog.Logger  // nil discards
	Wait      time.Duration // how long to wait for a switched device; 0 means DefaultWait
	// RunDir holds the per-device switch locks and records that make a
	// switch happen once per plug however often zdial is run ("/run/zdial";
	// see inflight.go). "" keeps none: every call sends.
	RunDir string
}

func (h *Host) log() *slog.Logger {
	if h.Log == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return h.Log
}

func (h *Host) events() Events {
	if h.Events == nil {
		return newEvents()
	}
	return h.Events
}

// Privileges a PermissionError names. The udev rule is the alternative to
// sudo because udev runs its RUN programs as root.
const (
	asRoot       = "(run zdial with sudo, or install the udev rule with sudo zdial udev-rule --install: udev runs the switch as root)"
	needSysfs    = "root: sysfs driver files are writable by root only " + asRoot
	needUSBDevfs = "root, or write access to the usbdevfs node " + asRoot
	needUSBIoctl = "root: usbdevfs requests on a device another driver owns " + asRoot
)

// open opens a usbdevfs node through h.Open. A permission failure from any
// opener becomes a *PermissionError naming the privilege needed.
func (h *Host) open(path string) (USBDevice, error) {
	open := h.Open
	if open == nil {
		open = openUSBDevfs
	}
	dev, err := open(path)
	if err == nil {
		return dev, nil
	}
	var pe *PermissionError
	if errors.Is(err, fs.ErrPermission) && !errors.As(err, &pe) {
		return nil, &PermissionError{Op: "open", Path: path, Need: needUSBDevfs, Err: err}
	}
	return nil, err
}

func (h *Host) sys() fs.FS { return os.DirFS(h.Sysfs) }

// devices reads every USB device from sysfs.
func (h *Host) devices() ([]Device, error) { return readDevices(h.sys()) }

// Dongles reads sysfs and returns the dongles, or a *NoDongleError.
func (h *Host) Dongles(db *DB) ([]Dongle, error) {
	devs, err := h.devices()
	if err != nil {
		return nil, err
	}
	return findDongles(db, devs)
}

// writeSysfs writes one value to an existing sysfs attribute through
// h.WriteAttr. It never creates a file: a missing attribute means a missing
// driver, not a place to write. EACCES and EPERM (errors.Is
// fs.ErrPermission) become a *PermissionError naming the privilege needed.
func (h *Host) writeSysfs(rel, value string) error {
	p := filepath.Join(h.Sysfs, rel)
	write := h.WriteAttr
	if write == nil {
		write = writeAttr
	}
	err := write(p, value)
	if err == nil {
		h.log().Debug("sysfs write", "path", p, "value", value)
		return nil
	}
	if errors.Is(err, fs.ErrPermission) {
		return &PermissionError{Op: "write", Path: p, Need: needSysfs, Err: err}
	}
	return &OpError{Op: "write", Path: p, Err: err}
}

// writeAttr writes value to an existing file in one write(2), as sysfs
// attributes expect.
func writeAttr(path, value string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(value)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// waitDuration is h.Wait, or DefaultWait when unset.
func (h *Host) waitDuration() time.Duration {
	if h.Wait > 0 {
		return h.Wait
	}
	return DefaultWait
}

func (h *Host) waitDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	w := h.Wait
	if w <= 0 {
		w = DefaultWait
	}
	return context.WithTimeout(ctx, w)
}

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
	Sysfs    string        // sysfs mount, "/sys"
	Dev      string        // device nodes, "/dev"
	Modprobe string        // modprobe binary, "/sbin/modprobe"; "" never loads a module
	Open     OpenFunc      // usbdevfs opener; nil means OpenUSBDevfs
	Events   Events        // uevent source; nil means NewEvents()
	Log      *slog.Logger  // nil discards
	Wait     time.Duration // how long to wait for a switched device; 0 means DefaultWait
}

// NewHost returns a Host on the real system.
func NewHost() *Host {
	return &Host{Sysfs: "/sys", Dev: "/dev", Modprobe: "/sbin/modprobe"}
}

func (h *Host) log() *slog.Logger {
	if h.Log == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return h.Log
}

func (h *Host) events() Events {
	if h.Events == nil {
		return NewEvents()
	}
	return h.Events
}

func (h *Host) open(path string) (USBDevice, error) {
	if h.Open == nil {
		return OpenUSBDevfs(path)
	}
	return h.Open(path)
}

func (h *Host) sys() fs.FS { return os.DirFS(h.Sysfs) }

// Devices reads every USB device from sysfs.
func (h *Host) Devices() ([]Device, error) { return ReadDevices(h.sys()) }

// Dongles reads sysfs and returns the dongles, or a *NoDongleError.
func (h *Host) Dongles(db *DB) ([]Dongle, error) {
	devs, err := h.Devices()
	if err != nil {
		return nil, err
	}
	return FindDongles(db, devs)
}

// writeSysfs writes one value to an existing sysfs attribute. It never
// creates a file: a missing attribute means a missing driver, not a place
// to write.
func (h *Host) writeSysfs(rel, value string) error {
	p := filepath.Join(h.Sysfs, rel)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_TRUNC, 0)
	if err == nil {
		_, err = f.WriteString(value)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil {
		h.log().Debug("sysfs write", "path", p, "value", value)
		return nil
	}
	if errors.Is(err, fs.ErrPermission) {
		return &PermissionError{Op: "write", Path: p, Need: "root: sysfs driver files are writable by root only (run zdial with sudo, or install the udev rule)", Err: err}
	}
	return &OpError{Op: "write", Path: p, Err: err}
}

func (h *Host) waitDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	w := h.Wait
	if w <= 0 {
		w = DefaultWait
	}
	return context.WithTimeout(ctx, w)
}

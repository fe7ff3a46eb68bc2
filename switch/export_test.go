package modeswitch

import (
	"context"
	"testing"
)

// The tests that use package switchtest's fakes are in package
// modeswitch_test (switchtest imports modeswitch); these are the internals
// and helpers they share with the in-package tests.

var (
	CopyTree    = copyTree
	Snapshot    = snapshot
	DiffTrees   = diffTrees
	SysfsTree   = sysfsTree
	Switched    = switched
	WaitFor     = waitFor
	MustBuiltin = func(t *testing.T) *DB { t.Helper(); return mustBuiltin(t) }
)

const (
	OptionNewID      = optionNewID
	USBStorageUnbind = usbStorageUnbind
	NeedUSBIoctl     = needUSBIoctl
)

// SwitchLog is what runUSB recorded.
type SwitchLog struct {
	Sent, Observed []string
	Gone           bool
}

// RunUSB runs spec's method on dev (runUSB) and returns its log.
func RunUSB(ctx context.Context, dev USBDevice, d Device, spec SwitchSpec) (SwitchLog, error) {
	l := &switchLog{}
	err := runUSB(ctx, dev, d, spec, l)
	return SwitchLog{Sent: l.sent, Observed: l.observed, Gone: l.gone}, err
}

var (
	ParseModeswitchFile = parseModeswitchFile
	ClassifyAll         = classifyAll
	DongleNames         = dongleNames
)

const LabCapture = labCapture

type TTY = ttyNode

func (h *Host) BindSerial(ctx context.Context, d Device) (bool, error) { return h.bindSerial(ctx, d) }
func (d Device) TTYs() []TTY                                           { return d.ttys() }
func (db *DB) LookupStorage(d Device) (Entry, bool)                    { return db.lookupStorage(d) }

var ReadDevice = readDevice

func (h *Host) Devices() ([]Device, error) { return h.devices() }

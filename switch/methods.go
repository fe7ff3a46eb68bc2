package modeswitch

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
)

// Messages usb_modeswitch 2.x sends for its built-in methods (its
// usb_modeswitch.c; the same bytes appear in its documentation's examples).
const (
	// PREVENT ALLOW MEDIUM REMOVAL (0x1e), prevent=0: allow removal.
	ejectAllowRemoval = "5553424387654321000000000000061e000000000000000000000000000000"
	// START STOP UNIT (0x1b) with LoEj=1, Start=0: eject the medium.
	ejectStartStop = "5553424397654321000000000000061b000000020000000000000000000000"
	// Huawei's vendor SCSI opcode 0x11, subcommand 0x06 (switch to modem
	// mode); the CB length field is 0, which the firmware ignores. Older
	// per-device data sent the same command with byte 6 of the CB = 0x00
	// (…11062000000100000000…); usb_modeswitch 2.x sends this one.
	huaweiNewModeCBW = "55534243123456780000000000000011062000000101000100000000000000"
	// Option's vendor command 0x01.
	optionModeCBW = "55534243123456780000000000000601000000000000000000000000000000"
)

// Control requests for the control-transfer methods.
var (
	// HuaweiMode: standard SET_FEATURE (0x03) to the device, wValue 1.
	huaweiModeSetup = Setup{RequestType: 0x00, Request: 0x03, Value: 1, Index: 0}
	// SierraMode: vendor request 0x0b (SWIMS "set mode"), wValue 1 = modem.
	sierraModeSetup = Setup{RequestType: 0x40, Request: 0x0b, Value: 1, Index: 0}
)

// switchLog collects what a switch sent and what the device answered, for
// logs and for SwitchError.
type switchLog struct {
	sent     []string
	observed []string
	gone     bool // the device left the bus during the switch
}

func (l *switchLog) send(format string, a ...any) { l.sent = append(l.sent, fmt.Sprintf(format, a...)) }
func (l *switchLog) observe(format string, a ...any) {
	l.observed = append(l.observed, fmt.Sprintf(format, a...))
}

// messagesFor returns the bulk messages a method sends, in order.
func messagesFor(spec SwitchSpec) ([][]byte, error) {
	var hexes []string
	switch spec.Method {
	case standardEject:
		hexes = append([]string{ejectAllowRemoval, ejectStartStop}, spec.Messages...)
	case huaweiNewMode:
		hexes = []string{huaweiNewModeCBW}
	case optionMode:
		hexes = []string{optionModeCBW}
	case messageContent:
		hexes = spec.Messages
	default:
		return nil, nil
	}
	if len(hexes) == 0 {
		return nil, fmt.Errorf("modeswitch: method %s with no message", spec.Method)
	}
	out := make([][]byte, len(hexes))
	for i, h := range hexes {
		b, err := decodeHex(h)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// runUSB performs a usbdevfs method on dev, the opened device d.
func runUSB(ctx context.Context, dev USBDevice, d Device, spec SwitchSpec, l *switchLog) error {
	switch spec.Method {
	case huaweiMode:
		return control(ctx, dev, huaweiModeSetup, l, false)
	case sierraMode:
		return control(ctx, dev, sierraModeSetup, l, true)
	case methodConfiguration:
		if spec.Configuration <= 0 {
			return fmt.Errorf("%w: Configuration=0 selects the MBIM configuration, and zdial dials over serial ports", ErrUnsupportedMethod)
		}
		l.send("set configuration %d", spec.Configuration)
		err := dev.SetConfiguration(spec.Configuration)
		if err != nil && !errors.Is(err, ErrDeviceGone) {
			for _, in := range d.Interfaces { // busy: let go of the drivers, once
				l.send("detach kernel driver from %s", in.Name)
				if derr := dev.DetachKernelDriver(in.Number); derr != nil {
					return derr
				}
			}
			err = dev.SetConfiguration(spec.Configuration)
		}
		if errors.Is(err, ErrDeviceGone) {
			l.gone = true
			return nil
		}
		return err
	}
	msgs, err := messagesFor(spec)
	if err != nil {
		return err
	}
	if msgs == nil {
		return fmt.Errorf("%w: %s", ErrUnsupportedMethod, spec.Method)
	}
	return bulkMessages(ctx, dev, d, spec, msgs, l)
}

func control(ctx context.Context, dev USBDevice, s Setup, l *switchLog, pipeOK bool) error {
	l.send("control %s", s)
	_, err := dev.Control(ctx, s, nil)
	if errors.Is(err, ErrDeviceGone) || (pipeOK && err != nil) {
		// Sierra firmware stalls the request as it re-enumerates (usb_modeswitch
		// reports "may have switched modes anyway").
		l.gone = errors.Is(err, ErrDeviceGone)
		l.observe("control request answered with %v", err)
		return nil
	}
	return err
}

// bulkMessages sends msgs over bulk-only transport on spec.Interface: take the
// interface from usb-storage (this device only), send each message, and read
// the CSW of each CBW, sending a CBW once more if its status is not 0.
func bulkMessages(ctx context.Context, dev USBDevice, d Device, spec SwitchSpec, msgs [][]byte, l *switchLog) error {
	in, ok := d.Interface(spec.Interface)
	if !ok {
		return fmt.Errorf("modeswitch: %s has no interface %d", d.Name, spec.Interface)
	}
	out, resp := spec.MessageEndpoint, spec.ResponseEndpoint
	for _, ep := range in.endpoints {
		if out == 0 && ep.Bulk() && !ep.In() {
			out = ep.Address
		}
		if resp == 0 && ep.Bulk() && ep.In() {
			resp = ep.Address
		}
	}
	if out == 0 || resp == 0 {
		return fmt.Errorf("modeswitch: interface %s has no bulk endpoint pair", in.Name)
	}
	resp |= 0x80

	l.send("detach kernel driver (%s) from interface %s", orNone(in.Driver), in.Name)
	if err := dev.DetachKernelDriver(in.Number); err != nil {
		return err
	}
	l.send("claim interface %d", in.Number)
	if err := dev.Claim(in.Number); err != nil {
		return err
	}
	_ = dev.ClearHalt(out) // as usb_modeswitch: a stale halt would eat the first message

	for i, m := range msgs {
		for attempt := 0; attempt < 2; attempt++ {
			l.send("bulk out 0x%02x message %d: %s", out, i+1, hex.EncodeToString(m))
			if _, err := dev.Bulk(ctx, out, m); err != nil {
				if errors.Is(err, ErrDeviceGone) {
					l.gone = true
					l.observe("device left the bus after message %d", i+1)
					return nil
				}
				return err
			}
			if !isCBW(m) {
				break
			}
			status, err := readCSW(ctx, dev, resp, l, i+1)
			if errors.Is(err, ErrDeviceGone) {
				l.gone = true
				l.observe("device left the bus after message %d", i+1)
				return nil
			}
			if err != nil || status == 0 {
				break // a missing CSW is common as the firmware switches; go on
			}
		}
	}
	_ = dev.ClearHalt(resp)
	_ = dev.ClearHalt(out)
	if err := dev.Release(in.Number); err != nil && !errors.Is(err, ErrDeviceGone) {
		return err
	}
	return nil
}

func readCSW(ctx context.Context, dev USBDevice, ep uint8, l *switchLog, msg int) (uint8, error) {
	buf := make([]byte, cswLen)
	n, err := dev.Bulk(ctx, ep, buf)
	if err != nil {
		l.observe("no CSW for message %d: %v", msg, err)
		return 0, err
	}
	csw, err := parseCSW(buf[:n])
	if err != nil {
		l.observe("message %d: %v", msg, err)
		return 0, err
	}
	l.observe("message %d: CSW status %d", msg, csw.Status)
	return csw.Status, nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

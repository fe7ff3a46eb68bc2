package modeswitch

import (
	"context"
	"fmt"
	"time"
)

// Event is one kernel or udev uevent.
type Event struct {
	Action    string // "add", "remove", "bind", "change", …
	DevPath   string // "/devices/pci0000:00/0000:00:14.0/usb1/1-2"
	Subsystem string // "usb", "tty", "usb-serial"
	Env       map[string]string
}

// Events is a source of uevents. Watch delivers events until ctx is done,
// then closes the channel; it never blocks its sender on a slow reader
// forever (events are dropped only after ctx is done).
//
// A Host with no Events uses the build's default: a netlink listener in
// pure Go (our own NETLINK_KOBJECT_UEVENT reader, uevent.go), or libudev's monitor when built
// with -tags libudev (github.com/jochenvg/go-udev, cgo). Tests feed
// switchtest.Events by hand.
type Events interface {
	Watch(ctx context.Context) (<-chan Event, error)
}

// DefaultWait bounds the wait for a switched dongle (Host.Wait's default,
// and waitFor's when its ctx has no deadline): long enough for a slow
// dongle to re-enumerate and the option driver to create its ttys.
const DefaultWait = 20 * time.Second

// waitFor returns as soon as check reports true. It subscribes to events
// first and then checks, so a change between the two cannot be missed, and
// checks again after every event: no polling, no sleeps. Without a ctx
// deadline it gives up after DefaultWait with an error wrapping
// context.DeadlineExceeded.
func waitFor(ctx context.Context, ev Events, check func() (bool, error)) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultWait)
		defer cancel()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the watcher before we return
	ch, err := ev.Watch(ctx)
	if err != nil {
		return &OpError{Op: "watch uevents", Err: err}
	}
	for {
		ok, err := check()
		if err != nil || ok {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("modeswitch: waiting for the device: %w", ctx.Err())
		case _, open := <-ch:
			if !open {
				if ctx.Err() != nil {
					return fmt.Errorf("modeswitch: waiting for the device: %w", ctx.Err())
				}
				return &OpError{Op: "watch uevents", Err: fmt.Errorf("event source closed")}
			}
		}
	}
}

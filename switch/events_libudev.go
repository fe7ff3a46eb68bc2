//go:build libudev

package modeswitch

import (
	"context"
	"errors"

	udev "github.com/jochenvg/go-udev"
)

// NewEvents returns libudev's monitor (cgo; build with -tags libudev and
// Debian's libudev-dev). It sees events after udev has processed them, so
// device nodes and symlinks exist when they arrive.
func NewEvents() Events { return libudevEvents{} }

type libudevEvents struct{}

func (libudevEvents) Watch(ctx context.Context) (<-chan Event, error) {
	u := udev.Udev{}
	m := u.NewMonitorFromNetlink("udev")
	if m == nil {
		return nil, &OpError{Op: "open udev monitor", Err: errors.New("udev_monitor_new_from_netlink failed")}
	}
	src, err := m.DeviceChan(ctx)
	if err != nil {
		return nil, &OpError{Op: "open udev monitor", Err: err}
	}
	ch := make(chan Event, 16)
	go func() { // owns ch
		defer close(ch)
		// go-udev's goroutine blocks sending on src until someone reads, and
		// stops only after it sees ctx done: drain src so it can exit.
		defer func() {
			for range src {
			}
		}()
		for {
			select {
			case <-ctx.Done():
				return
			case d, ok := <-src:
				if !ok {
					return
				}
				e := Event{Action: d.Action(), DevPath: d.Devpath(), Subsystem: d.Subsystem(), Env: d.Properties()}
				select {
				case ch <- e:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return ch, nil
}

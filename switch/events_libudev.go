//go:build libudev

package modeswitch

import (
	"context"
	"errors"
	"sync"

	udev "github.com/jochenvg/go-udev"
)

// newEvents returns libudev's monitors (cgo; build with -tags libudev and
// Debian's libudev-dev). It listens to both udev's processed events (device
// nodes exist when they arrive) and the kernel's, so it also works where
// no udevd runs (containers, minimal routers).
func newEvents() Events { return libudevEvents{} }

type libudevEvents struct{}

func (libudevEvents) Watch(ctx context.Context) (<-chan Event, error) {
	u := udev.Udev{}
	var srcs []<-chan *udev.Device
	fail := func(err error) (<-chan Event, error) {
		for _, src := range srcs { // let an opened monitor's goroutine finish once ctx ends
			go func() {
				for range src {
				}
			}()
		}
		return nil, &OpError{Op: "open udev monitor", Err: err}
	}
	for _, group := range []string{"udev", "kernel"} {
		m := u.NewMonitorFromNetlink(group)
		if m == nil {
			return fail(errors.New("udev_monitor_new_from_netlink(" + group + ") failed"))
		}
		src, err := m.DeviceChan(ctx)
		if err != nil {
			return fail(err)
		}
		srcs = append(srcs, src)
	}
	ch := make(chan Event, 16)
	var wg sync.WaitGroup
	for _, src := range srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// go-udev's goroutine blocks sending on src until someone reads and
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
	}
	go func() { wg.Wait(); close(ch) }() // ch is closed once both forwarders are done
	return ch, nil
}

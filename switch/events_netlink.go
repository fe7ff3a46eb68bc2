//go:build !libudev

package modeswitch

import (
	"context"
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// newEvents returns the pure-Go uevent source: a NETLINK_KOBJECT_UEVENT
// socket bound to both the kernel and the udev multicast groups. It needs no
// cgo, so CGO_ENABLED=0 static builds keep working.
func newEvents() Events { return netlinkEvents{} }

type netlinkEvents struct{}

// Watch opens the socket as an *os.File on the runtime poller, so closing it
// when ctx is done wakes the reading goroutine at once; the channel is closed
// after that goroutine has returned.
func (netlinkEvents) Watch(ctx context.Context) (<-chan Event, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, unix.NETLINK_KOBJECT_UEVENT)
	if err != nil {
		return nil, &OpError{Op: "open uevent socket", Err: err}
	}
	// Groups: 1 is the kernel's uevents, 2 udevd's (sent after its rules ran).
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: 1 | 2}); err != nil {
		unix.Close(fd)
		return nil, &OpError{Op: "open uevent socket", Err: err}
	}
	f := os.NewFile(uintptr(fd), "uevent")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, &OpError{Op: "open uevent socket", Err: err}
	}
	ch := make(chan Event, 16)
	done := make(chan struct{})
	go func() { // closes f when ctx is done
		select {
		case <-ctx.Done():
		case <-done:
		}
		f.Close()
	}()
	go func() { // owns ch
		defer close(ch)
		defer close(done)
		buf := make([]byte, 1<<16)
		for {
			var n int
			var rerr error
			err := rc.Read(func(fd uintptr) bool {
				n, _, rerr = unix.Recvfrom(int(fd), buf, 0)
				return !errors.Is(rerr, unix.EAGAIN)
			})
			if err != nil || (rerr != nil && !errors.Is(rerr, unix.ENOBUFS)) {
				return // closed, or the socket failed
			}
			if rerr != nil { // ENOBUFS: we missed events; the caller re-checks state anyway
				continue
			}
			e, perr := parseUEvent(buf[:n])
			if perr != nil {
				continue
			}
			select {
			case ch <- e:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch, nil
}

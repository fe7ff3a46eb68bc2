package modemsim

import (
	"encoding/binary"
	"errors"
	"os"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// clients follows who has a pty slave open, through inotify open and close
// events, to give the pty a DTR line: when the last client closes the
// port, DTR has dropped (AT&D2): the call is hung up and output nobody read
// is discarded; while nobody has it open, URCs are dropped.
type clients struct {
	f     *os.File // inotify descriptor, non-blocking: Close ends follow
	rc    syscall.RawConn
	sim   *Sim
	slave int // our own slave descriptor, for flushing

	mu   sync.Mutex // serialises reading and handling events
	open int        // clients with the slave open; ours, opened earlier, is not counted
}

func watchClients(path string, sim *Sim, slave int) (*clients, error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, err
	}
	if _, err := unix.InotifyAddWatch(fd, path, unix.IN_OPEN|unix.IN_CLOSE_WRITE|unix.IN_CLOSE_NOWRITE); err != nil {
		unix.Close(fd)
		return nil, err
	}
	c := &clients{f: os.NewFile(uintptr(fd), "inotify"), sim: sim, slave: slave}
	if c.rc, err = c.f.SyscallConn(); err != nil {
		c.f.Close()
		return nil, err
	}
	sim.setAttached(false)
	return c, nil
}

// follow handles events as they come, until close.
func (c *clients) follow() {
	for {
		err := c.rc.Read(func(fd uintptr) bool { return c.drain(int(fd)) })
		if err != nil {
			return
		}
	}
}

// sync handles the events already queued. The Sim calls it before it
// handles input, so a close and reopen are seen before the new client's
// bytes, and the flush never eats a reply to them.
func (c *clients) sync() {
	c.rc.Control(func(fd uintptr) { c.drain(int(fd)) })
}

// drain reads and handles every queued event; it reports whether any was read.
func (c *clients) drain(fd int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	buf := make([]byte, 4096)
	read := false
	for {
		n, err := unix.Read(fd, buf)
		if n <= 0 || err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return read
		}
		read = true
		for off := 0; off+unix.SizeofInotifyEvent <= n; {
			mask := binary.NativeEndian.Uint32(buf[off+4:])
			off += unix.SizeofInotifyEvent + int(binary.NativeEndian.Uint32(buf[off+12:]))
			switch {
			case mask&unix.IN_OPEN != 0:
				c.open++
			case mask&(unix.IN_CLOSE_WRITE|unix.IN_CLOSE_NOWRITE) != 0 && c.open > 0:
				if c.open--; c.open == 0 { // per event: a close and a reopen may share a read
					c.sim.dtrDropped()
					unix.IoctlSetInt(c.slave, unix.TCFLSH, unix.TCIFLUSH)
				}
			}
		}
		c.sim.setAttached(c.open > 0)
	}
}

func (c *clients) close() { c.f.Close() }

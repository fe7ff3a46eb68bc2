package modemsim

import (
	"errors"
	"os"
	"strconv"
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

	path string

	mu       sync.Mutex // serialises reading and handling events
	attached bool       // some client had the slave open at the last check
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
	c := &clients{f: os.NewFile(uintptr(fd), "inotify"), sim: sim, slave: slave, path: path}
	if c.rc, err = c.f.SyscallConn(); err != nil {
		c.f.Close()
		return nil, err
	}
	sim.SetDTR(false)
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
		// inotify merges an event with an identical one still queued, so
		// counting opens and closes goes wrong when two clients open the
		// port back to back. The events only say "look again"; who has
		// the port open is read from /proc.
		if open := c.opened(); open != c.attached {
			c.attached = open
			c.sim.SetDTR(open)
			if !open {
				unix.IoctlSetInt(c.slave, unix.TCFLSH, unix.TCIFLUSH)
			}
		}
	}
}

// opened reports whether anything but the simulator's own slave
// descriptor has the slave open, by reading the /proc/PID/fd links. (The
// process serving the simulator may be a client too: tests dial it.)
func (c *clients) opened() bool {
	self, own := os.Getpid(), strconv.Itoa(c.slave)
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil {
			continue
		}
		dir := "/proc/" + p.Name() + "/fd"
		fds, _ := os.ReadDir(dir)
		for _, fd := range fds {
			if pid == self && fd.Name() == own {
				continue
			}
			if target, err := os.Readlink(dir + "/" + fd.Name()); err == nil && target == c.path {
				return true
			}
		}
	}
	return false
}

func (c *clients) close() { c.f.Close() }

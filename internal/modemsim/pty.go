package modemsim

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// PTY is a Sim served on a pseudo-terminal. Path is the slave side, the
// "serial port" a dialer opens; it is already in raw mode.
type PTY struct {
	Path string
	Sim  *Sim

	master  *os.File
	slave   int      // kept open so the master never reads EIO between clients
	clients *clients // who has Path open
	wg      sync.WaitGroup
	once    sync.Once
}

// OpenPTY starts a Sim for p on a new pty. The slave is made raw (no echo,
// no CR/LF translation, 8 bits) before its path is returned, so the first
// byte a client writes reaches the simulator unchanged. It serves until
// ctx is done or Close.
//
// The pty stands in for a USB serial port, which has DTR: when the last
// client closes the port (DTR drops, as with AT&D2) a call is hung up and
// output not yet read is discarded, and while no client has the port open
// URCs are dropped, as a real port's driver drops them. So a second dialer
// run finds the modem in command mode without stale lines.
func OpenPTY(ctx context.Context, p Persona, opts ...Option) (*PTY, error) {
	// Our own open, not creack/pty's: its ioctls call File.Fd, which puts the
	// master in blocking mode, and then Close cannot interrupt a Read.
	mfd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("modemsim: open pty: %w", err)
	}
	path, sfd, err := openSlave(mfd)
	if err != nil {
		unix.Close(mfd)
		return nil, fmt.Errorf("modemsim: open pty: %w", err)
	}
	t := &PTY{Path: path, Sim: New(p, opts...), master: os.NewFile(uintptr(mfd), "/dev/ptmx"), slave: sfd}
	// Without inotify (instance limit reached) the pty simply has no DTR.
	if t.clients, err = watchClients(path, t.Sim, sfd); err == nil {
		t.Sim.beforeInput = t.clients.sync
		t.wg.Go(t.clients.follow)
	}
	ln, _ := t.Sim.begin(t.master) // a new Sim: cannot fail
	go t.Sim.serve(ctx, ln)
	return t, nil
}

// OpenRawPair opens a bare pty with no simulator on it: the master
// (non-blocking, so Close interrupts a Read) and the slave, already raw,
// which the caller should keep open so that the master does not read EIO
// while no client has the slave open. For tests and demos that need a
// second line, such as the network side of a simulated modem.
func OpenRawPair() (master *os.File, path string, slave *os.File, err error) {
	mfd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, "", nil, fmt.Errorf("modemsim: open pty: %w", err)
	}
	path, sfd, err := openSlave(mfd)
	if err != nil {
		unix.Close(mfd)
		return nil, "", nil, fmt.Errorf("modemsim: open pty: %w", err)
	}
	return os.NewFile(uintptr(mfd), "/dev/ptmx"), path, os.NewFile(uintptr(sfd), path), nil
}

// openSlave unlocks the slave of master mfd, opens it and makes it raw.
func openSlave(mfd int) (path string, sfd int, err error) {
	if err := unix.IoctlSetPointerInt(mfd, unix.TIOCSPTLCK, 0); err != nil {
		return "", -1, err
	}
	n, err := unix.IoctlGetUint32(mfd, unix.TIOCGPTN)
	if err != nil {
		return "", -1, err
	}
	path = fmt.Sprintf("/dev/pts/%d", n)
	sfd, err = unix.Open(path, unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return "", -1, err
	}
	if err := makeRaw(sfd); err != nil {
		unix.Close(sfd)
		return "", -1, err
	}
	return path, sfd, nil
}

// makeRaw is cfmakeraw(3): no line editing, echo, signals or CR/LF mapping.
func makeRaw(fd int) error {
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return err
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Cc[unix.VMIN], t.Cc[unix.VTIME] = 1, 0
	return unix.IoctlSetTermios(fd, unix.TCSETS, t)
}

// Close makes the device vanish, waits for the simulator to stop and
// releases the pty. It is idempotent.
func (t *PTY) Close() error {
	var err error
	t.once.Do(func() {
		t.Sim.Vanish()
		<-t.Sim.Done()
		if t.clients != nil {
			t.clients.close()
		}
		t.wg.Wait()
		merr := t.master.Close() // Serve may have closed it already
		if errors.Is(merr, os.ErrClosed) {
			merr = nil
		}
		err = errors.Join(merr, unix.Close(t.slave))
	})
	return err
}

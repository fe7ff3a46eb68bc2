package dialer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zdial/zdial/at"
	"github.com/zdial/zdial/internal/uucplock"
	modeswitch "github.com/zdial/zdial/switch"
)

// `zdial switch --permanent` sends a dongle's vendor command that makes it
// start as a modem from its next power-up (modeswitch.PermanentModemCommand),
// on its secondary AT port, under that port's UUCP lock like every other
// conversation zdial has with a modem:
//
//	lock   /var/lock/LCK..ttyUSB1 (a live holder: *uucplock.BusyError, nothing sent)
//	> AT              < OK
//	> AT+ZCDRUN=8     < OK          ZTE: no ZeroCD CD-ROM from now on

// permanentTimeout bounds the whole exchange.
const permanentTimeout = 10 * time.Second

var (
	// ErrNoAnswer means the port did not answer AT, so the vendor command
	// was not sent.
	ErrNoAnswer = errors.New("dialer: the port does not answer AT")
	// ErrRefused means the modem answered AT but refused the vendor command.
	ErrRefused = errors.New("dialer: the modem refused the command")
)

// CommandPort is the port for a one-off AT command to d: the database's
// secondary AT port, which is free even while a call runs on the PPP port;
// else the port Discover finds.
func (s Discovery) CommandPort(ctx context.Context, d modeswitch.Device, ports []modeswitch.Port) (string, error) {
	for _, p := range ports {
		if p.Role == modeswitch.RoleAT {
			return p.Path, nil
		}
	}
	c, err := s.Discover(ctx, d, ports)
	if err != nil {
		return "", err
	}
	return c.Port.Path, nil
}

// SendPermanent takes port's UUCP lock, opens it, checks that it answers
// AT and sends "AT"+cmd. It notes "sending AT… on …" once the modem has
// answered, and releases the lock and closes the port before it returns.
// s.LockDir "" means /var/lock: this command always locks.
func (s Discovery) SendPermanent(ctx context.Context, port, cmd string) error {
	lockDir := s.LockDir
	if lockDir == "" {
		lockDir = "/var/lock"
	}
	lock, err := uucplock.Dir{Path: lockDir, ProcRoot: s.ProcRoot, DevRoot: s.DevRoot}.AcquireContext(ctx, port)
	if err != nil {
		return err
	}
	defer lock.Release()
	line, err := OpenPort(port, s.DevRoot)
	if err != nil {
		return err
	}
	m := at.New(line, s.ATOptions...)
	defer m.Close()
	ctx, cancel := context.WithTimeout(ctx, permanentTimeout)
	defer cancel()
	if _, err := m.Command(ctx, ""); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrNoAnswer, port, err)
	}
	s.note("sending AT%s on %s", cmd, port)
	if _, err := m.Command(ctx, cmd); err != nil {
		return fmt.Errorf("%w: AT%s on %s: %w", ErrRefused, cmd, port, err)
	}
	return nil
}

package dialer

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/zdial/zdial/at"
	"github.com/zdial/zdial/internal/uucplock"
	modeswitch "github.com/zdial/zdial/switch"
)

// ErrNoControlPort means the dongle has no AT port besides the one that
// carries PPP (the database names none), so while the link is up nothing
// can ask the modem anything.
var ErrNoControlPort = errors.New("dialer: no AT control port besides the PPP port")

// liveSignalTimeout bounds the whole reading: status must stay quick.
const liveSignalTimeout = 2 * time.Second

// LiveSignal reads the signal while a link is up, on the dongle's AT
// control port: the port the device database gives the role "at", on the
// device whose tty pppPort is. It takes that port's UUCP lock without
// waiting (a port another program holds is a *uucplock.BusyError, and
// nothing is sent), and gives up after two seconds. It never touches the
// PPP port.
func (s Discovery) LiveSignal(ctx context.Context, host *modeswitch.Host, db *modeswitch.DB, pppPort string) (at.Signal, string, error) {
	// The record names the port as it was dialed: /dev/ttyUSB2, or a
	// stable link to it (/dev/zdial/…/ppp) whose target is the tty.
	up, err := host.TTYPort(db, filepath.Base(pppPort))
	if err != nil {
		real, rerr := filepath.EvalSymlinks(pppPort)
		if rerr != nil {
			return at.Signal{}, "", err
		}
		if up, err = host.TTYPort(db, filepath.Base(real)); err != nil {
			return at.Signal{}, "", err
		}
	}
	var ctl string
	for _, p := range host.Ports(db, up.Device) {
		if p.Role == modeswitch.RoleAT && p.Name != up.Port.Name {
			ctl = p.Path
			break
		}
	}
	if ctl == "" {
		return at.Signal{}, "", fmt.Errorf("%w: %s", ErrNoControlPort, up.Device.Name)
	}
	lock, err := uucplock.Dir{Path: s.LockDir, ProcRoot: s.ProcRoot, DevRoot: s.DevRoot}.Acquire(ctl)
	if err != nil {
		return at.Signal{}, ctl, err
	}
	defer lock.Release()
	line, err := OpenPort(ctl, s.DevRoot)
	if err != nil {
		return at.Signal{}, ctl, err
	}
	m := at.New(line, s.ATOptions...)
	defer m.Close()
	ctx, cancel := context.WithTimeout(ctx, liveSignalTimeout)
	defer cancel()
	sig, err := at.ReadSignal(ctx, m)
	return sig, ctl, err
}

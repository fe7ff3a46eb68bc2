package dialer

import (
	"context"
	"time"

	"github.com/zdial/zdial/at"
)

// hangup returns the modem to command mode and ends the call, best effort
// and bounded by HangupTimeout: guard time, "+++", guard time, ATH. It
// opens a second descriptor on the port because the dial descriptor was
// pppd's standard input and may have been left in blocking mode; the dial
// descriptor stays open meanwhile, so DTR does not drop before ATH. When
// Connect then closes the dial descriptor, HUPCL drops DTR — the last
// resort for a modem that ignored the escape (&D2 makes DTR hang up).
func (o *Options) hangup(port string) {
	ctx, cancel := context.WithTimeout(context.Background(), o.HangupTimeout)
	defer cancel()
	o.note("hanging up")
	f, err := OpenLine(port, o.DevRoot)
	if err != nil {
		o.Logger.Info("hang-up: cannot reopen port; relying on DTR", "err", err)
		return
	}
	if !sleepCtx(ctx, o.GuardTime) {
		f.Close()
		return
	}
	if _, err := f.Write([]byte("+++")); err != nil {
		f.Close()
		return
	}
	if !sleepCtx(ctx, o.GuardTime) {
		f.Close()
		return
	}
	m := at.New(f, o.atOptions()...)
	defer m.Close()
	// Already in command mode (the network or pppd ended the call), the
	// modem may answer the stray "+++" with ERROR; that is fine.
	m.Command(ctx, "")
	if _, err := m.Command(ctx, "H"); err != nil {
		o.Logger.Info("hang-up: ATH failed; relying on DTR", "err", err)
	}
}

// sleepCtx waits d unless ctx ends first; it reports whether d elapsed.
// The guard time around +++ is silence the modem must see, so this wait is
// part of the protocol, not polling.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

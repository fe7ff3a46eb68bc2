package dialer

import (
	"bytes"
	"context"
	"os"
	"time"

	"github.com/zdial/zdial/at"
)

// hangup returns the modem to command mode and ends the call, best effort
// and bounded by HangupTimeout: guard time, "+++", the modem's OK, ATH. It
// opens a second descriptor on the port because the dial descriptor was
// pppd's standard input and may have been left in blocking mode; the dial
// descriptor stays open meanwhile, so DTR does not drop before ATH. When
// Connect then closes the dial descriptor, HUPCL drops DTR — the last
// resort for a modem that ignored the escape (&D2 makes DTR hang up).
func (o *Dialer) hangup(port string) {
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
	// Wait for the modem's OK to the escape rather than sleeping one guard
	// time: the modem's guard timer starts when "+++" reaches it, so an AT
	// written one guard time after "+++" can land inside it and cancel the
	// escape, and an OK left unread would answer the AT below and make
	// every later reply one command late. A modem whose own guard time
	// (S12) is longer than ours took the first "+++" as data; the silence
	// of the wait for OK is then a guard long enough, so try once more.
	wait := o.GuardTime + escapeSlack
	for try := 0; ; try++ {
		if _, err := f.Write([]byte("+++")); err != nil {
			f.Close()
			return
		}
		escaped, idle := awaitOK(ctx, f, wait)
		if escaped || idle {
			break // in command mode now, or already (NO CARRIER came)
		}
		// A second try only if it leaves time for ATH.
		if dl, _ := ctx.Deadline(); try == 1 || time.Until(dl) < wait+escapeSlack {
			o.Logger.Info("hang-up: no OK to +++ (the call may have ended already)")
			break
		}
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

// escapeSlack is how long after its guard time a modem may take to answer
// "+++". Modems answer within milliseconds; the bound matters only when no
// OK comes because the call had already ended.
const escapeSlack = time.Second

// awaitOK reads f until the modem's "OK" arrives, d passes or ctx's
// deadline does, discarding what comes before it (the tail of the PPP
// data). It reports whether the OK came, and whether a NO CARRIER showed
// the modem back in command mode already. If f cannot take a read
// deadline it falls back to waiting the guard time out in silence.
func awaitOK(ctx context.Context, f *os.File, d time.Duration) (ok, idle bool) {
	deadline := time.Now().Add(d)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	if err := f.SetReadDeadline(deadline); err != nil {
		sleepCtx(ctx, d-escapeSlack)
		return false, false
	}
	defer f.SetReadDeadline(time.Time{})
	var seen []byte
	buf := make([]byte, 512)
	for {
		n, err := f.Read(buf)
		seen = append(seen, buf[:n]...)
		if bytes.Contains(seen, []byte("OK\r")) {
			return true, false
		}
		idle = idle || bytes.Contains(seen, []byte("NO CARRIER"))
		if err != nil {
			return false, idle
		}
		if len(seen) > 16 {
			seen = seen[len(seen)-16:] // enough to find a result split across reads
		}
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

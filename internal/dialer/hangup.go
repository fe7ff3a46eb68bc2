package dialer

import (
	"bytes"
	"context"
	"os"
	"time"

	"github.com/zdial/zdial/at"
	"golang.org/x/sys/unix"
)

// hangup ends the call once pppd has stopped, best effort and bounded by
// HangupTimeout. The fast way first, as chat(8) and pppd leave it to the
// modem: zdial's init sets &D2, so a DTR drop ends the call. DTR is
// dropped on the dial descriptor (TIOCMBIC) for dtrHold and raised again;
// where the driver has no modem lines (a pty: ENOTTY; a gadget that stalls
// the request) the dial descriptor is closed instead, which with HUPCL
// drops DTR as the last close does, and the port reopened. Then one AT
// must be answered OK within confirmTimeout: the modem is in command mode
// and the call is over. Only when that confirmation fails — the modem
// ignores DTR (&D0), or the driver does not pass it on — does the V.250
// escape follow: guard time, "+++", the modem's OK, ATH (escape). line is
// Connect's descriptor; hangup may close it (Connect's own Close then
// fails harmlessly).
func (o *Dialer) hangup(port string, line *os.File) {
	ctx, cancel := context.WithTimeout(context.Background(), o.HangupTimeout)
	defer cancel()
	start := time.Now()
	o.note("hanging up")
	how := "TIOCMBIC"
	if err := pulseDTR(ctx, line); err != nil {
		how = "close; TIOCMBIC: " + err.Error()
		line.Close()
		sleepCtx(ctx, dtrHold)
	}
	f, err := OpenLine(port, o.DevRoot)
	if err != nil {
		o.Logger.Info("hang-up: cannot reopen port; relying on DTR", "err", err)
		return
	}
	defer f.Close()
	quiet := time.Now() // the last byte zdial sent, for the escape's guard time
	if _, err := f.Write([]byte("AT\r")); err == nil {
		if ok, _ := awaitOK(ctx, f, confirmTimeout); ok {
			o.note("hung up: DTR dropped (%s), the modem answers AT (%v)", how, time.Since(start).Round(time.Millisecond))
			return
		}
	}
	o.note("hang-up: no answer to AT after the DTR drop (%s); escaping with +++", how)
	o.escape(ctx, f, quiet)
}

// dtrHold is how long DTR stays low: long enough for a modem (or a USB
// serial function) to see the drop, short next to a person's patience.
const dtrHold = 100 * time.Millisecond

// confirmTimeout bounds the wait for OK to the AT after the DTR drop. A
// modem in command mode answers in milliseconds; one still in data mode
// never does, and the escape must then follow.
const confirmTimeout = 300 * time.Millisecond

// pulseDTR drops DTR on f for dtrHold and raises it again; an error means
// the line has no DTR to drop (ENOTTY on a pty, an error from the driver).
func pulseDTR(ctx context.Context, f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	set := func(req uint) error {
		var ioErr error
		if err := rc.Control(func(fd uintptr) { ioErr = unix.IoctlSetPointerInt(int(fd), req, unix.TIOCM_DTR) }); err != nil {
			return err
		}
		return ioErr
	}
	if err := set(unix.TIOCMBIC); err != nil {
		return err
	}
	sleepCtx(ctx, dtrHold)
	return set(unix.TIOCMBIS)
}

// escape is the hang-up of a modem that ignored the DTR drop: guard time,
// "+++", the modem's OK, AT, ATH, on f. The guard time counts from quiet,
// when zdial last wrote to the line: the unanswered AT's wait is silence
// too.
func (o *Dialer) escape(ctx context.Context, f *os.File, quiet time.Time) {
	if !sleepCtx(ctx, time.Until(quiet.Add(o.GuardTime))) {
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

package pppctl

import (
	"errors"
	"fmt"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// pppd runs in a process group of its own (Setpgid: its group id is its
// pid), and pppctl treats the group as the unit: whatever pppd starts
// and leaves in its group (a plugin's helper, a script that was not
// detached) is stopped with it, so that nothing outlives pppd holding
// the tty, a route or the log pipe. Every signal goes to the group:
//
//	Stop, or Start's ctx ending:  SIGTERM → group
//	after StopGrace:              SIGKILL → group
//	pppd reaped, group not empty: SIGTERM → group, up to StopGrace for
//	                              the log pipe to close, SIGKILL → group
//
// Signalling the group after pppd has been reaped is safe: while any
// member remains the kernel does not hand out its id again, and once none
// does kill returns ESRCH.

// signalGroup sends sig to pppd's process group; a group that is gone
// is no error.
func (p *Process) signalGroup(sig syscall.Signal) error {
	err := unix.Kill(-p.cmd.Process.Pid, sig)
	if errors.Is(err, unix.ESRCH) {
		return nil
	}
	return err
}

// term asks the group to stop and notes when it was first asked.
func (p *Process) term() error {
	p.mu.Lock()
	if p.termAt.IsZero() {
		p.termAt = time.Now()
	}
	p.mu.Unlock()
	if err := p.signalGroup(syscall.SIGTERM); err != nil {
		return fmt.Errorf("pppctl: stop pppd: %w", err)
	}
	return nil
}

// kill ends the group.
func (p *Process) kill() error {
	if err := p.signalGroup(syscall.SIGKILL); err != nil {
		return fmt.Errorf("pppctl: kill pppd: %w", err)
	}
	return nil
}

// cancel is the exec.Cmd's Cancel, run when Start's ctx ends: SIGTERM
// now, SIGKILL to the group after the grace period unless pppd has been
// reaped by then (wait stops the timer). exec's own WaitDelay, a little
// later, is the backstop.
func (p *Process) cancel() error {
	err := p.term()
	p.mu.Lock()
	if !p.reaped {
		p.killTimer = time.AfterFunc(p.grace, func() { p.kill() })
	}
	p.mu.Unlock()
	return err
}

// endGroup runs once pppd has been reaped: it stops the cancel timer
// and ends what is left of pppd's group. Survivors get SIGTERM and up to
// the grace period for the log pipe to reach EOF (they hold its write
// end unless they closed it), then SIGKILL. No survivors, no wait.
func (p *Process) endGroup(readerDone <-chan struct{}) {
	p.mu.Lock()
	p.reaped = true
	if p.killTimer != nil {
		p.killTimer.Stop()
	}
	p.mu.Unlock()
	if unix.Kill(-p.cmd.Process.Pid, 0) != nil {
		return // ESRCH: the group is empty
	}
	p.signalGroup(syscall.SIGTERM)
	t := time.NewTimer(p.grace)
	defer t.Stop()
	select {
	case <-readerDone:
	case <-t.C:
	}
	p.signalGroup(syscall.SIGKILL)
}

// termIgnored is how long pppd had been ignoring SIGTERM when it was
// killed, rounded for people; 0 if it was never sent SIGTERM.
func (p *Process) termIgnored(at time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.termAt.IsZero() {
		return 0
	}
	d := at.Sub(p.termAt)
	switch {
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(time.Millisecond)
	}
	return max(d.Round(time.Microsecond), time.Microsecond) // never 0 once SIGTERM was sent
}

package pppctl

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// DefaultStopGrace is how long pppd gets after SIGTERM before SIGKILL,
// when Config.StopGrace is zero. pppd needs a moment to send LCP
// Terminate-Request and run ip-down.
const DefaultStopGrace = 5 * time.Second

// DefaultEnv is the child's environment when Config.Env is nil: pppd
// builds its own environment for ip-up and friends, and nothing of ours
// (a password in ZDIAL_PASSWORD, say) should reach it.
var DefaultEnv = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}

// Child descriptor numbers: ExtraFiles[i] becomes fd 3+i.
const (
	logFD      = 3
	passwordFD = 4
)

// ErrSecretInEnv means Config.Env holds the password.
var ErrSecretInEnv = errors.New("pppctl: the environment for pppd contains the password")

// Config says how to run pppd.
type Config struct {
	// Binary is pppd's path (from PATH or --pppd; see exec.LookPath).
	Binary string
	// Line is the dialed tty, open read/write (see checkLine). It becomes
	// pppd's stdin, so pppd uses it without reopening, locking or
	// dropping DTR. The caller keeps its own descriptor and closes it
	// after Wait.
	Line    *os.File
	Options Options
	// PluginDir holds passwordfd.so (see PluginDir and Version); empty
	// or without the plugin, the password goes down a pipe pppd reads as
	// an options file.
	PluginDir string
	// TempDir is where zdial before the password pipe made its private
	// options directories (zdial-pppd-*); Start removes any such
	// directory a crashed zdial left behind (see sweepStale). "" means
	// os.TempDir(). Nothing is written there.
	TempDir string
	// Env is pppd's whole environment; nil means DefaultEnv.
	Env []string
	// OnEvent, if set, receives every log event in order, from a single
	// goroutine owned by the Process, never after Wait returns. pppd's
	// log is buffered without bound in between, so a slow OnEvent never
	// stalls pppd; but OnEvent must return, or Wait and Stop will not.
	OnEvent func(Event)
	// StopGrace bounds the wait after SIGTERM (Stop, or the Start
	// context ending) before SIGKILL; 0 means DefaultStopGrace.
	StopGrace time.Duration
}

// Process is a running pppd.
type Process struct {
	cmd     *exec.Cmd
	grace   time.Duration
	secret  string
	onEvent func(Event)
	logR    *os.File // read end of pppd's log pipe; owned by the reader goroutine

	mu        sync.Mutex // guards link, termAt, reaped and killTimer
	link      Link
	termAt    time.Time   // when pppd's group was first sent SIGTERM
	reaped    bool        // pppd has been reaped: no new kill timer
	killTimer *time.Timer // SIGKILL after Start's ctx ended; see cancel

	queue eventQueue

	done chan struct{} // closed when err is final and every goroutine has ended
	err  error         // pppd's outcome; written once, before done closes
}

// Start validates cfg and starts pppd on cfg.Line. Cancelling ctx stops
// pppd as Stop does (SIGTERM, then SIGKILL after StopGrace); Wait still
// reports how it ended.
//
// The child gets: stdin = the line; stdout and stderr = the log pipe;
// fd 3 = the log pipe (`logfd 3`); fd 4 = a pipe holding the password,
// if there is one: the bare password for the passwordfd plugin (`plugin
// …/passwordfd.so passwordfd 4`), otherwise a one-line options file
// (`file /dev/fd/4`). The password never touches a disk. It
// runs in its own process group, so a terminal's Ctrl-C reaches zdial
// only and zdial decides how to stop pppd, and it is sent SIGTERM if
// zdial dies.
func Start(ctx context.Context, cfg Config) (*Process, error) {
	if err := cfg.Options.Validate(); err != nil {
		return nil, err
	}
	if err := checkLine(cfg.Line); err != nil {
		return nil, err
	}
	env := cfg.Env
	if env == nil {
		env = DefaultEnv
	}
	secret := cfg.Options.Password.Reveal()
	if secret != "" && slices.ContainsFunc(env, func(kv string) bool { return strings.Contains(kv, secret) }) {
		return nil, ErrSecretInEnv
	}
	sweepStale(cfg.TempDir)
	deliv, err := newDelivery(cfg.Options.Password, cfg.PluginDir, passwordFD)
	if err != nil {
		return nil, err
	}
	logR, logW, err := os.Pipe()
	if err != nil {
		deliv.closeChild()
		return nil, fmt.Errorf("pppctl: log pipe: %w", err)
	}
	p := &Process{
		grace:   orDefault(cfg.StopGrace, DefaultStopGrace),
		secret:  secret,
		onEvent: cfg.OnEvent,
		logR:    logR,
		done:    make(chan struct{}),
	}
	p.queue.init()
	args := append(Args(cfg.Options), "logfd", fmt.Sprint(logFD))
	args = append(args, deliv.args...)
	cmd := exec.CommandContext(ctx, cfg.Binary, args...)
	cmd.Env = env
	cmd.Stdin = cfg.Line
	cmd.Stdout, cmd.Stderr = logW, logW
	cmd.ExtraFiles = append([]*os.File{logW}, deliv.child...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	cmd.Cancel = p.cancel
	// The backstop behind cancel's group SIGKILL: exec kills pppd itself.
	cmd.WaitDelay = 2 * p.grace
	p.cmd = cmd
	err = cmd.Start()
	// The child has its own copies now (or none, on failure); ours must
	// go so that the log pipe reaches EOF when pppd exits.
	logW.Close()
	deliv.closeChild()
	if err != nil {
		logR.Close()
		return nil, fmt.Errorf("pppctl: start %s: %w", cfg.Binary, err)
	}
	readerDone := make(chan struct{})
	go p.readLog(readerDone)
	deliverDone := make(chan struct{})
	go p.deliver(deliverDone)
	go p.wait(readerDone, deliverDone)
	return p, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// wait reaps pppd, lets the log reader and the event delivery finish,
// and publishes the outcome.
func (p *Process) wait(readerDone, deliverDone chan struct{}) {
	werr := p.cmd.Wait()
	ignored := p.termIgnored(time.Now())
	p.endGroup(readerDone)
	// A process that left pppd's group (setsid) may still hold the log
	// pipe; give it the grace period, then cut the reader off.
	t := time.NewTimer(p.grace)
	select {
	case <-readerDone:
	case <-t.C:
		p.logR.Close()
		<-readerDone
	}
	t.Stop()
	p.queue.close()
	<-deliverDone
	p.err = exitErr(p.cmd.ProcessState, werr, ignored)
	close(p.done)
}

// exitErr turns how the process ended into our error; ignored is how
// long pppd had ignored SIGTERM, if it was sent one.
func exitErr(st *os.ProcessState, werr error, ignored time.Duration) error {
	if st == nil {
		return fmt.Errorf("pppctl: wait for pppd: %w", werr)
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		name := unix.SignalName(ws.Signal())
		if name == "" { // a real-time signal
			name = "signal " + strconv.Itoa(int(ws.Signal()))
		}
		ee := &ExitError{Status: -1, Signal: name, Err: ErrSignaled}
		if ws.Signal() == syscall.SIGKILL {
			ee.IgnoredTerm = ignored
		}
		return ee
	}
	return StatusError(st.ExitCode())
}

// Pid returns pppd's process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Link returns a snapshot of what the log has reported so far.
func (p *Process) Link() Link {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.link
	l.DNS = slices.Clone(l.DNS)
	return l
}

// Done is closed when pppd has exited and Wait would not block.
func (p *Process) Done() <-chan struct{} { return p.done }

// Wait waits for pppd to exit and every event to be delivered, and
// returns nil (exit status 0), an *ExitError wrapping one of the
// exit-status sentinels, or an error about the process itself. If ctx
// ends first Wait returns ctx.Err() and pppd keeps running: ending pppd
// is Stop's job.
func (p *Process) Wait(ctx context.Context) error {
	select {
	case <-p.done:
		return p.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stop sends pppd's process group SIGTERM and waits for pppd to exit;
// if it has not when ctx ends or StopGrace passes, it sends the group
// SIGKILL and waits for that. Whatever pppd left in its group is ended
// too (see endGroup), so Stop returns within three times StopGrace at
// most. It returns what Wait returns; after a clean stop that is an
// error matching ErrUserRequest (pppd's status 5).
func (p *Process) Stop(ctx context.Context) error {
	select {
	case <-p.done:
		return p.err
	default:
	}
	if err := p.term(); err != nil {
		return err
	}
	t := time.NewTimer(p.grace)
	defer t.Stop()
	select {
	case <-p.done:
		return p.err
	case <-ctx.Done():
	case <-t.C:
	}
	if err := p.kill(); err != nil {
		return err
	}
	<-p.done // bounded: SIGKILL cannot be caught, endGroup and the log drain wait at most 2×grace
	return p.err
}

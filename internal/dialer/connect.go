package dialer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"time"

	"github.com/zdial/zdial/at"
	"github.com/zdial/zdial/chat"
	"github.com/zdial/zdial/internal/dialseq"
	"github.com/zdial/zdial/internal/profile"
	"github.com/zdial/zdial/internal/safefile"
	"github.com/zdial/zdial/internal/uucplock"
	"github.com/zdial/zdial/pppctl"
)

// Dialer brings one profile up: the profile, and every setting and path
// root the stages need (Connect and Dial run it). Every path root is here
// so that tests and the lab can point zdial at fake trees.
type Dialer struct {
	Profile profile.Profile
	// Port overrides the profile's port.
	Port string

	DevRoot  string // /dev: lists the ports that exist when Port is missing
	LockDir  string // /var/lock
	ProcRoot string // /proc: names a lock holder
	StateDir string // remembers PINs a SIM rejected, and each dongle's PPP port

	// DetectOptions find the dongle when neither Port nor the profile names one.
	DetectOptions

	// FromSIM, when set, settles the profile once the SIM's IMSI is known
	// (read after the SIM is ready): it returns the profile to dial with and
	// a note for the user saying what was chosen and why. The CLI sets it
	// for a profile with no APN, or a carrier name only the SIM's network
	// can narrow (profile.Resolver.ForSIM). Not used with a profile's own
	// script.
	FromSIM func(imsi string) (profile.Profile, string, error)

	// Owner is whose files zdial may run or read as scripts: pppd and a
	// profile's script must be owned by root or Owner.UID, and nobody else
	// may be able to change them or any directory above them
	// (safefile.Owner.TrustedExecutable, Trusted). Nil means the running
	// user (safefile.Self()): as root, root's files only.
	Owner *safefile.Owner

	// PPPD is pppd's path (--pppd), which wins over the profile's
	// pppd.path; with neither, pppd is looked up in PATH and /usr/sbin.
	PPPD string
	// PPPDLibDir is where pppd's plugin directories are (/usr/lib).
	PPPDLibDir string
	// DryRun stops after CONNECT: the line is hung up and Result.PPPDArgs
	// holds the pppd command that would have run.
	DryRun bool
	// RunDir is where pppctl makes the private (0700) directory for an
	// options file holding the password, when pppd's passwordfd plugin is
	// missing; "" means os.TempDir().
	RunDir string

	// Trace receives the AT transcript, secrets masked; nil for none.
	Trace io.Writer
	// Progress is called for every stage event, from the dialing goroutine
	// and then from pppctl's event goroutine; it must not block.
	Progress func(Event)
	Logger   *slog.Logger

	// GuardTime is the silence around +++ when hanging up (default 1 s,
	// the V.250 default of S12=50).
	GuardTime time.Duration
	// HangupTimeout bounds the whole hang-up (default 5 s).
	HangupTimeout time.Duration

	// modemID names the dialed modem for dialseq's memory (modemid.go);
	// set by Connect and Dial once the port is known.
	modemID string
}

// Event is one progress report: a dial stage or a pppd log event.
type Event struct {
	Dial *dialseq.Event
	PPP  *pppctl.Event
	// Link is pppd's link state after PPP was applied.
	Link pppctl.Link
	// Note is a free-text stage note (port opened, hanging up…).
	Note string
	// PPPD is pppd's PID, in the one event sent when pppd has started
	// (the supervisor records it, so that status can check it is alive).
	PPPD int
	// Port and Device are set in the one event sent when the port is
	// opened: the port dialled (detected, perhaps) and its modem's id
	// ("19d2-0001-SERIAL", as the port cache keys it; "" when sysfs does
	// not know it), for the supervisor's record while the link is up.
	Port, Device string
}

// Result is what Connect learnt; the CLI prints it as JSON with --json.
type Result struct {
	Profile    string      `json:"profile"`
	Port       string      `json:"port"`
	Operator   string      `json:"operator,omitempty"`
	AccessTech string      `json:"access_tech,omitempty"`
	SignalDBm  int         `json:"signal_dbm,omitempty"`
	Roaming    bool        `json:"roaming,omitempty"`
	Rate       string      `json:"connect_rate,omitempty"`
	APN        string      `json:"apn,omitempty"`
	Link       pppctl.Link `json:"link"`
	PPPDArgs   []string    `json:"pppd_args,omitempty"`
}

// ErrNoPPPD means pppd is not installed (or not where --pppd says).
var ErrNoPPPD = errors.New("pppd not found: install it (apt-get install ppp) or name it with --pppd")

// ErrUntrustedPPPD is matched by the error for a pppd binary that the
// user zdial runs as must not trust (see Dialer.Owner).
var ErrUntrustedPPPD = errors.New("pppd binary refused")

// owner is whose files the dialer trusts.
func (o *Dialer) owner() safefile.Owner {
	if o.Owner != nil {
		return *o.Owner
	}
	return safefile.Self()
}

// Connect dials the profile and runs pppd on the line until the link ends
// or ctx is cancelled; cancelling is the normal way to hang up, and then
// Connect returns nil if pppd stopped cleanly.
func Connect(ctx context.Context, o Dialer) (Result, error) {
	o.setDefaults()
	p := o.Profile
	res := Result{Profile: p.Name, Port: o.Port, APN: p.APN}
	if res.Port == "" {
		res.Port = p.Port
	}
	// Everything that can be checked without the modem is checked first
	// (Check makes the same checks): a bad profile must not cost a switch,
	// a dial or a PIN attempt.
	pppOpts, err := o.preflight()
	if err != nil {
		return res, err
	}
	// pppd is found and asked its version now, not after CONNECT: the
	// peer's first LCP frames arrive within a second of CONNECT.
	cfg, err := o.pppdConfig(ctx, pppOpts)
	if err != nil {
		return res, err
	}
	// A profile's own script is read and parsed before any port is locked
	// or opened: a broken script must not cost a dongle switch or a lock.
	script, err := o.loadScript()
	if err != nil {
		return res, err
	}

	if res.Port == "" {
		if res.Port, err = o.detectPort(ctx); err != nil {
			return res, err
		}
	}
	lock, err := uucplock.Dir{Path: o.LockDir, ProcRoot: o.ProcRoot, DevRoot: o.DevRoot}.AcquireContext(ctx, res.Port)
	if err != nil {
		return res, err
	}
	defer lock.Release()
	line, err := OpenLine(res.Port, o.DevRoot)
	if err != nil {
		return res, err
	}
	defer line.Close() // last: closing with HUPCL drops DTR, the final hang-up
	o.modemID = modemID(o.sysfsRoot(), res.Port)
	o.noteEvent(Event{Port: res.Port, Device: o.modemID}, "opened %s", res.Port)

	if err := o.dial(ctx, line, script, &res); err != nil {
		return res, err
	}
	defer o.hangup(res.Port, line)
	if o.FromSIM != nil {
		// The SIM may have settled the username and password too.
		cfg.Options = pppOptions(o.Profile)
		if err := cfg.Options.Validate(); err != nil {
			return res, err
		}
	}
	cfg.Line = line
	if o.DryRun {
		res.PPPDArgs, err = pppctl.DryRun(cfg)
		return res, err
	}
	proc, err := pppctl.Start(ctx, cfg)
	if err != nil {
		return res, err
	}
	o.note("pppd started (pid %d)", proc.Pid())
	o.emit(Event{PPPD: proc.Pid()})
	werr := proc.Wait(context.WithoutCancel(ctx))
	res.Link = proc.Link()
	if ctx.Err() != nil && errors.Is(werr, pppctl.ErrUserRequest) {
		return res, nil // we asked pppd to stop: a clean hang-up
	}
	return res, werr
}

// Dial dials the profile on a line that is already open — pppd's connect
// program is handed its tty — as Connect would: the profile's own script,
// or the default dial sequence, up to CONNECT. It takes no lock (pppd
// holds it) and starts no pppd; the line is left in data mode, open.
func Dial(ctx context.Context, o Dialer, line io.ReadWriter) (Result, error) {
	o.setDefaults()
	p := o.Profile
	res := Result{Profile: p.Name, Port: o.Port, APN: p.APN}
	if err := o.DialParams().Validate(); err != nil {
		return res, &profile.ConfigError{File: "profile " + p.Name, Err: err}
	}
	script, err := o.loadScript()
	if err != nil {
		return res, err
	}
	if res.Port != "" {
		o.modemID = modemID(o.sysfsRoot(), res.Port)
	}
	err = o.dial(ctx, line, script, &res)
	return res, err
}

func (o *Dialer) sysfsRoot() string {
	if o.SysfsRoot == "" {
		return "/sys"
	}
	return o.SysfsRoot
}

// dial runs the profile's script, or the default dial script, up to
// CONNECT, and leaves line in data mode with no reader on it. Bytes the
// modem sent after CONNECT in the same read are dropped: they can only be
// the peer's first LCP frame, which it sends again.
func (o *Dialer) dial(ctx context.Context, line io.ReadWriter, script *chat.Script, res *Result) error {
	if script != nil {
		return o.runScript(ctx, line, script)
	}
	m := at.New(line, o.atOptions()...)
	params := o.DialParams()
	if o.FromSIM != nil {
		params.FromSIM = func(imsi string) (dialseq.Bearer, error) {
			p, note, err := o.FromSIM(imsi)
			if err != nil {
				return dialseq.Bearer{}, err
			}
			o.Profile = p
			res.Profile, res.APN = p.Name, p.APN
			if note != "" {
				o.note("%s", note)
			}
			return dialseq.Bearer{APN: p.APN, PDPType: p.PDPType, Number: p.Number}, nil
		}
	}
	dr, err := dialseq.Dial(ctx, m, params)
	if err != nil {
		m.Close()
		return err
	}
	res.Rate, res.Operator, res.AccessTech = dr.Rate, dr.Operator, dr.AccessTech
	res.SignalDBm, res.Roaming = dr.SignalDBm, dr.Roaming
	if err := m.Release(); err != nil {
		return fmt.Errorf("dialer: handing the line over: %w", err)
	}
	return nil
}

// pppdConfig finds pppd and its plugin directory. In a dry run a missing
// pppd is no error: the command is shown with the bare name.
func (o *Dialer) pppdConfig(ctx context.Context, opts pppctl.Options) (pppctl.Config, error) {
	var link pppctl.Link
	cfg := pppctl.Config{
		Options: opts,
		TempDir: o.RunDir,
		OnEvent: func(ev pppctl.Event) {
			link.Apply(ev) // OnEvent runs on one goroutine: link needs no lock
			o.emit(Event{PPP: &ev, Link: link})
		},
	}
	path, err := findPPPD(o.pppdPath(), o.owner())
	switch {
	case errors.Is(err, ErrNoPPPD) && o.DryRun:
		cfg.Binary = "pppd"
		return cfg, nil
	case err != nil:
		return cfg, err
	}
	cfg.Binary = path
	if v, err := pppctl.Version(ctx, path); err == nil {
		cfg.PluginDir = pppctl.PluginDir(o.PPPDLibDir, v)
	}
	return cfg, nil
}

func (o *Dialer) setDefaults() {
	if o.DevRoot == "" {
		o.DevRoot = "/dev"
	}
	if o.LockDir == "" {
		o.LockDir = "/var/lock"
	}
	if o.PPPDLibDir == "" {
		o.PPPDLibDir = "/usr/lib"
	}
	if o.GuardTime == 0 {
		o.GuardTime = time.Second
	}
	if o.HangupTimeout == 0 {
		o.HangupTimeout = 5 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// FindPPPD finds pppd: path if it is given (--pppd, a profile's pppd.path),
// else pppd in PATH, else /usr/sbin/pppd, and checks that the running user
// may run it (safefile.Self().TrustedExecutable: as root, a binary only
// root can change). The error matches ErrNoPPPD, or ErrUntrustedPPPD with
// the fix.
func FindPPPD(path string) (string, error) {
	return findPPPD(path, safefile.Self())
}

func findPPPD(path string, owner safefile.Owner) (string, error) {
	path, err := lookPPPD(path)
	if err != nil {
		return "", err
	}
	// Run as root, pppd must be root's: whoever can change the binary, or
	// a directory above it, would otherwise run code as root — even in a
	// dry run, which asks it its version.
	if err := owner.TrustedExecutable(path); err != nil {
		return "", fmt.Errorf("%w: %w", ErrUntrustedPPPD, err)
	}
	return path, nil
}

func lookPPPD(path string) (string, error) {
	if path != "" {
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("%w (%w)", ErrNoPPPD, err)
		}
		return path, nil
	}
	if path, err := exec.LookPath("pppd"); err == nil {
		return path, nil
	}
	// /usr/sbin is not in an ordinary user's PATH on Debian.
	if _, err := os.Stat("/usr/sbin/pppd"); err == nil {
		return "/usr/sbin/pppd", nil
	}
	return "", ErrNoPPPD
}

func (o *Dialer) atOptions() []at.Option {
	opts := []at.Option{at.WithLogger(o.Logger)}
	if o.Trace != nil {
		opts = append(opts, at.WithTrace(o.Trace))
	}
	return opts
}

// DialParams are the default dial script's parameters for the profile.
func (o *Dialer) DialParams() dialseq.Params {
	p := o.Profile
	t := p.Timeouts
	return dialseq.Params{
		Init:                    p.Init,
		PIN:                     p.PIN.Reveal(),
		TrustUnknownPINAttempts: p.TrustUnknownPINAttempts,
		StateDir:                o.StateDir,
		ModemID:                 o.modemID,
		CID:                     p.CID,
		PDPType:                 p.PDPType,
		APN:                     p.APN,
		Number:                  p.Number,
		WakeTimeout:             t.Wake,
		RegisterTimeout:         t.Register,
		DialTimeout:             t.Dial,
		Progress:                func(ev dialseq.Event) { o.emit(Event{Dial: &ev}) },
	}
}

func pppOptions(p profile.Profile) pppctl.Options {
	c := p.PPPD
	boolOr := func(b *bool, def bool) bool {
		if b == nil {
			return def
		}
		return *b
	}
	return pppctl.Options{
		Speed:               c.Speed,
		NoAuth:              true, // 3G/4G networks never authenticate themselves to us
		DefaultRoute:        boolOr(c.DefaultRoute, true),
		ReplaceDefaultRoute: c.ReplaceDefaultRoute,
		UsePeerDNS:          boolOr(c.UsePeerDNS, true),
		NoIPDefault:         true,
		NoVJ:                c.NoVJ,
		LCPEchoInterval:     c.LCPEchoInterval,
		LCPEchoFailure:      c.LCPEchoFailure,
		User:                p.Username,
		Password:            p.Password,
		IPParam:             c.IPParam,
		LinkName:            c.LinkName,
		IfName:              c.IfName,
		Extra:               c.Options,
	}
}

func (o *Dialer) emit(ev Event) {
	if o.Progress != nil {
		o.Progress(ev)
	}
}

func (o *Dialer) note(format string, args ...any) {
	o.noteEvent(Event{}, format, args...)
}

// noteEvent is note with more of the event set.
func (o *Dialer) noteEvent(ev Event, format string, args ...any) {
	ev.Note = fmt.Sprintf(format, args...)
	if o.Progress != nil {
		o.emit(ev) // the caller shows it; logging it too would say it twice
		return
	}
	o.Logger.Info(ev.Note)
}

package modemsim

import "time"

// Option configures a Sim.
type Option func(*config)

type config struct {
	logf          func(format string, args ...any)
	exitOnConnect bool
	dataHook      func([]byte)
	callHook      func(up bool)
	guardTime     time.Duration
}

// WithLogf receives one line per line received and reply sent. PINs and
// PUKs in +CPIN commands are masked as ****.
func WithLogf(logf func(format string, args ...any)) Option {
	return func(c *config) { c.logf = logf }
}

// WithExitOnConnect makes Serve return nil right after it writes CONNECT,
// leaving the line open and unread: the mode for pppd's connect program,
// which must exit once the call is up.
func WithExitOnConnect() Option {
	return func(c *config) { c.exitOnConnect = true }
}

// WithDataHook receives the bytes sent in data mode (after CONNECT), from
// the serving goroutine; without it they are dropped. The slice is reused
// after the hook returns.
func WithDataHook(hook func([]byte)) Option {
	return func(c *config) { c.dataHook = hook }
}

// WithCallHook runs hook(true) each time a call is set up — once CONNECT to
// a dial is written (not to ATO, which resumes a call), before any byte of
// the call is handled — and hook(false) each time one ends: ATH, a DTR drop
// (SetDTR), the network's hang-up (DropCarrier); not the +++ escape, which
// keeps the call. It is how the network side of a modem hears a call
// arrive and go. It runs on the goroutine that made the change, without
// the Sim's lock, and must not block.
func WithCallHook(hook func(up bool)) Option {
	return func(c *config) { c.callHook = hook }
}

// WithGuardTime overrides the persona's +++ guard time.
func WithGuardTime(d time.Duration) Option {
	return func(c *config) { c.guardTime = d }
}

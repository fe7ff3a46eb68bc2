package at

import (
	"io"
	"log/slog"
	"time"
)

// Option configures a Modem at New.
type Option func(*config)

type config struct {
	trace    io.Writer
	log      *slog.Logger
	drain    time.Duration
	urcs     []string
	maxLines int // information lines kept per command
	maxBytes int // bytes of information kept per command
}

// Default bounds on what one command's answer may hold. The longest
// answers zdial asks for are a few lines (ATI, +COPS=?); the bounds leave
// room for AT+CLAC (some hundreds of command names) while keeping what a
// misbehaving modem can make the engine hold to a fraction of a megabyte.
const (
	DefaultMaxResponseLines = 1024
	DefaultMaxResponseBytes = 64 << 10
)

// maxURCQueue bounds the unsolicited lines waiting for slow subscribers;
// beyond it the oldest are dropped and counted (Modem.DroppedURCs).
const maxURCQueue = 256

// DefaultDrainWindow is how long a command waits for the late final result
// of an earlier, timed-out command before it sends anyway.
const DefaultDrainWindow = 3 * time.Second

// WithTrace writes a timestamped transcript to w: "> " lines sent, "< "
// lines received, "# " engine notes. Secrets are masked as ****. Writes to w
// are serialised; w should not block.
func WithTrace(w io.Writer) Option { return func(c *config) { c.trace = w } }

// WithLogger logs the same transcript at slog.LevelDebug (and hang-ups,
// drains and protocol errors at Warn) with attributes dir and line.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// withDrainWindow sets how long the next command waits for the late final
// result of a timed-out command (DefaultDrainWindow if not set). See Modem.
func withDrainWindow(d time.Duration) Option { return func(c *config) { c.drain = d } }

// withURCPrefixes adds line prefixes that the modem sends unsolicited, for
// vendors the built-in list does not know.
func withURCPrefixes(p ...string) Option {
	return func(c *config) { c.urcs = append(c.urcs, p...) }
}

// withResponseLimit bounds the information one command may return: more
// than lines lines or bytes bytes of text (line ends not counted) fails the
// command with ErrResponseTooLarge. Values ≤ 0 keep the defaults
// (DefaultMaxResponseLines, DefaultMaxResponseBytes).
func withResponseLimit(lines, bytes int) Option {
	return func(c *config) {
		if lines > 0 {
			c.maxLines = lines
		}
		if bytes > 0 {
			c.maxBytes = bytes
		}
	}
}

// CallOption configures one Command or Dial.
type CallOption func(*call)

// Secret marks the command as carrying a secret: its arguments are masked
// in the transcript, logs and errors (as +CPIN=, +CPWD=, +CLCK= and ^CPIN=
// always are).
func Secret() CallOption { return func(c *call) { c.secret = true } }

// withBody gives text to send after the modem's "> " prompt (AT+CMGS and the
// like); the engine ends it with Ctrl-Z.
func withBody(text string) CallOption { return func(c *call) { c.body = text; c.wantPrompt = true } }

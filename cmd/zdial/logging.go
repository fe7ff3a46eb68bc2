package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/printable"
)

// Log formats for --log-format. A person at a terminal reads lines;
// journald and syslog get one record per line that a program can split:
// logfmt (key=value, slog's text handler) or JSON.
const (
	logText   = "text"
	logLogfmt = "logfmt"
	logJSON   = "json"
)

// logFlags is --log-format, registered with the shared paths so that every
// command that reports progress has it.
type logFlags struct {
	format string // "" until resolved: text on a terminal, logfmt otherwise
}

func (l *logFlags) register(fs *flag.FlagSet) {
	fs.Func("log-format", "progress and errors as text, logfmt or json (default: text on a terminal, logfmt otherwise)", func(s string) error {
		switch s {
		case logText, logLogfmt, logJSON:
			l.format = s
			return nil
		}
		return fmt.Errorf("want text, logfmt or json")
	})
}

// formatFor is the format for output to w: the flag's, or text when w is
// a terminal and logfmt when it is not (a pipe to journald or a file).
func (l logFlags) formatFor(w io.Writer) string {
	if l.format != "" {
		return l.format
	}
	if isTerminal(w) {
		return logText
	}
	return logLogfmt
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// progress reports the dial's stage events to w in the chosen format.
// Everything a modem or pppd said passes through printable.Strip first:
// an operator name is the modem's text, and a terminal must not run it.
func (l logFlags) progress(w io.Writer) func(dialer.Event) {
	if l.formatFor(w) == logText {
		return func(ev dialer.Event) {
			if line := printable.Strip(describe(ev)); line != "" {
				fmt.Fprintln(w, line)
			}
		}
	}
	log := l.logger(w)
	return func(ev dialer.Event) {
		line := printable.Strip(describe(ev))
		if line == "" {
			return
		}
		log.LogAttrs(context.Background(), slog.LevelInfo, line, eventAttrs(ev)...)
	}
}

// logger is a slog.Logger writing logfmt or JSON records to w (text, for
// a person, is the same logfmt: slog has no plainer handler).
func (l logFlags) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if l.formatFor(w) == logJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// eventAttrs are an event's fields for a record: what a program reading
// the log would filter on.
func eventAttrs(ev dialer.Event) []slog.Attr {
	s := func(k, v string) slog.Attr { return slog.String(k, printable.Strip(v)) }
	switch {
	case ev.Dial != nil:
		d := ev.Dial
		a := []slog.Attr{s("event", d.Kind.String())}
		if d.Operator != "" {
			a = append(a, s("operator", d.Operator))
		}
		if d.AccessTech != "" {
			a = append(a, s("tech", d.AccessTech))
		}
		if d.SignalDBm != 0 {
			a = append(a, slog.Int("signal_dbm", d.SignalDBm))
		}
		if d.APN != "" {
			a = append(a, s("apn", d.APN))
		}
		return a
	case ev.PPP != nil:
		a := []slog.Attr{s("event", ev.PPP.Kind.String())}
		if ev.PPP.Addr.IsValid() {
			a = append(a, slog.String("addr", ev.PPP.Addr.String()))
		}
		if ev.Link.Interface != "" {
			a = append(a, s("interface", ev.Link.Interface))
		}
		return a
	}
	return []slog.Attr{slog.String("event", "note")}
}

// reportError says why a command failed, in the chosen format: the one
// line a hook's or cron's log gets when something is wrong.
func (l logFlags) reportError(w io.Writer, prefix string, err error, code int) {
	msg := printable.Strip(err.Error())
	if l.formatFor(w) == logText {
		fmt.Fprintln(w, prefix+":", msg)
		return
	}
	l.logger(w).LogAttrs(context.Background(), slog.LevelError, msg, slog.Int("exit_code", code))
}

// stderr is w for the lines a command writes on its error stream: as they
// are on a terminal or with --log-format text, else each line becomes one
// record in the chosen format (prefix "zdial: " dropped, control bytes
// stripped), so journald and syslog get one parseable record per line.
func (l logFlags) stderr(w io.Writer) io.Writer {
	if l.formatFor(w) == logText {
		return w
	}
	return &recordWriter{log: l.logger(w)}
}

// recordWriter turns written lines into log records. A line longer than
// maxRecordLine is cut, so a caller cannot make it hold more.
type recordWriter struct {
	log *slog.Logger
	buf []byte
}

const maxRecordLine = 4096

func (r *recordWriter) Write(b []byte) (int, error) {
	for _, c := range b {
		if c == '\n' {
			r.flush()
			continue
		}
		if len(r.buf) < maxRecordLine {
			r.buf = append(r.buf, c)
		}
	}
	return len(b), nil
}

func (r *recordWriter) flush() {
	msg := strings.TrimPrefix(printable.Strip(string(r.buf)), "zdial: ")
	r.buf = r.buf[:0]
	if msg != "" {
		r.log.LogAttrs(context.Background(), slog.LevelError, msg)
	}
}

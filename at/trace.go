package at

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// secretCommands take a PIN, PUK or password as an argument. Everything
// after their '=' (up to the next ';') is masked in transcripts and errors.
var secretCommands = []string{"+CPIN=", "+CPWD=", "+CLCK=", "^CPIN=", "+CPIN2=", "+QPINC="}

const mask = "****"

// maskLine hides the arguments of secret commands anywhere in s. all masks
// the arguments of every command in s (for calls made with Secret()).
func maskLine(s string, all bool) string {
	upper := strings.ToUpper(s)
	var b strings.Builder
	i := 0
	for i < len(s) {
		j, plen := -1, 0
		if all {
			if k := strings.IndexByte(s[i:], '='); k >= 0 {
				j, plen = i+k, 1
			}
		} else {
			for _, p := range secretCommands {
				if k := strings.Index(upper[i:], p); k >= 0 && (j < 0 || i+k < j) {
					j, plen = i+k, len(p)
				}
			}
		}
		if j < 0 {
			break
		}
		argStart := j + plen
		end := strings.IndexByte(s[argStart:], ';')
		if end < 0 {
			end = len(s)
		} else {
			end += argStart
		}
		b.WriteString(s[i:argStart])
		b.WriteString(mask)
		i = end
	}
	if i == 0 {
		if all && !strings.Contains(s, "=") && len(s) > 2 {
			// A secret without arguments, e.g. a dial string: keep only "AT".
			return s[:2] + mask
		}
		return s
	}
	b.WriteString(s[i:])
	return b.String()
}

// tracer writes the transcript. Its mutex serialises the reader goroutine
// (received lines) and command goroutines (sent lines).
type tracer struct {
	mu  sync.Mutex
	w   io.Writer
	log *slog.Logger
	buf []byte
}

// line records one line; dir is '>' sent or '<' received. s must already
// be masked.
func (t *tracer) line(dir byte, s string) {
	if t == nil {
		return
	}
	if t.log != nil {
		t.log.Debug("at", "dir", string(dir), "line", s)
	}
	t.write(dir, s)
}

// note records an engine event ("# " in the transcript, Warn in the log).
func (t *tracer) note(msg string) { t.noteAt(slog.LevelWarn, msg) }

// noteAt is note for events that are not anomalies, such as the reader
// stopping after our own Close: in the transcript, but not a warning.
func (t *tracer) noteAt(level slog.Level, msg string) {
	if t == nil {
		return
	}
	if t.log != nil {
		t.log.Log(context.Background(), level, "at: "+msg)
	}
	t.write('#', msg)
}

func (t *tracer) write(dir byte, s string) {
	if t.w == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = time.Now().UTC().AppendFormat(t.buf[:0], "2006-01-02 15:04:05.000")
	t.buf = append(t.buf, ' ', dir, ' ')
	t.buf = append(t.buf, s...)
	t.buf = append(t.buf, '\n')
	t.w.Write(t.buf) // a failing transcript must not fail the modem
}

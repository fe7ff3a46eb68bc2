package at

import (
	"context"
	"fmt"
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
	spans := maskSpans(s, all)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	i := 0
	for _, sp := range spans {
		b.WriteString(s[i:sp[0]])
		b.WriteString(mask)
		i = sp[1]
	}
	b.WriteString(s[i:])
	return b.String()
}

// maskSpans returns the [start, end) ranges of s that maskLine hides: the
// text after a secret command's '=' up to the next ';' (with all, after
// every '='), or, with all and no '=' at all, everything after "AT" (a
// secret dial string).
func maskSpans(s string, all bool) [][2]int {
	upper := strings.ToUpper(s)
	var spans [][2]int
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
		spans = append(spans, [2]int{argStart, end})
		i = end
	}
	if len(spans) == 0 && all && !strings.Contains(s, "=") && len(s) > 2 {
		spans = append(spans, [2]int{2, len(s)})
	}
	return spans
}

// tracer writes the transcript. Its mutex serialises the reader goroutine
// (received lines) and command goroutines (sent lines).
type tracer struct {
	mu  sync.Mutex
	w   io.Writer
	log *slog.Logger
	buf []byte
	// A run of dropped-line notes of one kind (see dropped).
	runKey  string
	runN    int // notes in the run, shown or not
	runLast string
}

// quietAfter is how many dropped-line notes of one kind in a row are shown
// before the rest of the run is only counted.
const quietAfter = 8

// line records one line; dir is '>' sent or '<' received. s must already
// be masked.
func (t *tracer) line(dir byte, s string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.endRunLocked()
	if t.log != nil {
		t.log.Debug("at", "dir", string(dir), "line", s)
	}
	t.writeLocked(dir, s)
}

// note records an engine event ("# " in the transcript, Warn in the log).
func (t *tracer) note(msg string) { t.noteAt(slog.LevelWarn, msg) }

// noteAt is note for events that are not anomalies, such as the reader
// stopping after our own Close: in the transcript, but not a warning.
func (t *tracer) noteAt(level slog.Level, msg string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.endRunLocked()
	t.noteLocked(level, msg)
}

// dropped notes a line the engine dropped: noise, a repeated echo, the
// information of a timed-out command, a URC nobody had room for. kind names
// the run: of a flood of drops of one kind, the first quietAfter are shown
// and the rest counted, the count written when anything else is traced, so
// a flood costs a few transcript lines rather than one per line.
func (t *tracer) dropped(kind, msg string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if kind != t.runKey {
		t.endRunLocked()
		t.runKey = kind
	}
	t.runN++
	t.runLast = msg
	if t.runN <= quietAfter {
		t.noteLocked(slog.LevelWarn, msg)
	}
}

// endRunLocked writes the count of a run's notes that were not shown.
func (t *tracer) endRunLocked() {
	if n := t.runN - quietAfter; n > 0 {
		t.noteLocked(slog.LevelWarn, fmt.Sprintf("%d more like that not shown (%s); the last: %s",
			n, t.runKey, t.runLast))
	}
	t.runKey, t.runN, t.runLast = "", 0, ""
}

func (t *tracer) noteLocked(level slog.Level, msg string) {
	if t.log != nil {
		t.log.Log(context.Background(), level, "at: "+msg)
	}
	t.writeLocked('#', msg)
}

func (t *tracer) writeLocked(dir byte, s string) {
	if t.w == nil {
		return
	}
	t.buf = time.Now().UTC().AppendFormat(t.buf[:0], "2006-01-02 15:04:05.000")
	t.buf = append(t.buf, ' ', dir, ' ')
	t.buf = append(t.buf, s...)
	t.buf = append(t.buf, '\n')
	t.w.Write(t.buf) // a failing transcript must not fail the modem
}

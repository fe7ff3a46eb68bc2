//go:build !linux

package chat

import (
	"io"
	"os"
)

// Chat8TTY is stdin and stdout as one line. Outside Linux it changes no
// terminal settings and reads stdin directly (the Runner then reads with
// its read-ahead goroutine).
type Chat8TTY struct {
	r, w *os.File
}

// OpenChat8TTY returns in and out as one line.
func OpenChat8TTY(in, out *os.File) (*Chat8TTY, error) { return &Chat8TTY{r: in, w: out}, nil }

// Read reads the modem (stdin).
func (t *Chat8TTY) Read(b []byte) (int, error) { return t.r.Read(b) }

// Write writes to the modem (stdout).
func (t *Chat8TTY) Write(b []byte) (int, error) { return t.w.Write(b) }

// Close does nothing: stdin and stdout stay open.
func (t *Chat8TTY) Close() error { return nil }

var _ io.ReadWriteCloser = (*Chat8TTY)(nil)

package pppctl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

var versionRE = regexp.MustCompile(`pppd version (\S+)`)

// VersionTimeout bounds `pppd --version`: pppd answers at once, so a
// binary that takes longer is not pppd or is broken (a wrapper script
// waiting for something, say).
const VersionTimeout = 5 * time.Second

// maxVersionOutput bounds what Version keeps of the binary's output; a
// real pppd prints one short line.
const maxVersionOutput = 1024

// ErrNoAnswer means a program pppctl ran did not finish in time; a
// *NoAnswerError says which.
var ErrNoAnswer = errors.New("pppctl: a program did not answer in time")

// NoAnswerError reports a program that was killed because it did not
// finish within Timeout. It wraps ErrNoAnswer and, when the caller's
// context ran out first, context.DeadlineExceeded.
type NoAnswerError struct {
	Cmd     string // what was asked, "pppd --version"
	Binary  string // the path run
	Timeout time.Duration
	Err     error // the context's error
}

func (e *NoAnswerError) Error() string {
	return fmt.Sprintf("pppctl: %s did not answer within %s: %s; is it a wrapper script?", e.Cmd, e.Timeout, e.Binary)
}

func (e *NoAnswerError) Unwrap() []error { return []error{ErrNoAnswer, e.Err} }

// Version runs `BINARY --version` and returns pppd's version ("2.4.9").
// The passwordfd plugin is built per pppd version, so the plugin
// directory follows from it (see PluginDir).
//
// It waits at most VersionTimeout, or until ctx's deadline if that is
// sooner, then kills the binary and everything it started (it runs in a
// process group of its own) and returns a *NoAnswerError. Its output is
// read up to a small bound.
func Version(ctx context.Context, binary string) (string, error) {
	limit := VersionTimeout
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < limit {
		limit = max(time.Until(dl), 0)
	}
	cctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	cmd := exec.CommandContext(cctx, binary, "--version")
	cmd.Env = []string{}
	var out limitedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out // 2.4 prints on stdout, 2.5 on stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return unix.Kill(-cmd.Process.Pid, unix.SIGKILL) }
	// A grandchild that left the group may hold the output pipe: stop
	// reading after a moment.
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if cmd.Process != nil {
		// Whatever the binary left in its group is not needed; the group
		// id is still ours while any member remains.
		unix.Kill(-cmd.Process.Pid, unix.SIGKILL)
	}
	switch {
	case ctx.Err() == context.Canceled:
		return "", fmt.Errorf("pppctl: %s --version: %w", binary, ctx.Err())
	case cctx.Err() != nil:
		return "", &NoAnswerError{Cmd: "pppd --version", Binary: binary,
			Timeout: limit.Round(time.Millisecond), Err: context.DeadlineExceeded}
	}
	if m := versionRE.FindSubmatch(out.Bytes()); m != nil {
		return string(m[1]), nil
	}
	if err != nil {
		return "", fmt.Errorf("pppctl: %s --version: %w", binary, err)
	}
	shown := bytes.TrimSpace(out.Bytes())
	if len(shown) > 80 {
		shown = append(shown[:80:80], "…"...)
	}
	return "", fmt.Errorf("pppctl: %s --version: no version in %q", binary, shown)
}

// limitedBuffer keeps the first maxVersionOutput bytes written to it and
// discards the rest, so a binary cannot make Version hold much memory.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := maxVersionOutput - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// PluginDir returns where pppd looks for plugins of a version: on Debian
// and most distributions LIBDIR/pppd/VERSION, with LIBDIR /usr/lib.
func PluginDir(libDir, version string) string {
	return filepath.Join(libDir, "pppd", version)
}

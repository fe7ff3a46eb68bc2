package pppctl

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// PasswordFDPlugin is the file name of pppd's passwordfd plugin.
const PasswordFDPlugin = "passwordfd.so"

// delivery is how the password reaches pppd: argv words that say where
// to find it (never the password itself), files the child inherits, and
// what to undo once pppd has exited.
type delivery struct {
	args  []string
	child []*os.File // appended to ExtraFiles, in order
	dir   string     // private options directory to remove, if any
}

// newDelivery prepares the password for pppd. With a passwordfd plugin
// in pluginDir the password goes down a pipe that pppd reads at
// authentication time: it never touches the disk. Otherwise it is
// written to a 0600 options file in a fresh 0700 directory under tempDir
// ("" means os.TempDir()), which pppd reads with `file PATH` and which
// release removes. fd is the descriptor number the child will see for
// the first entry of child.
func newDelivery(pw Secret, pluginDir, tempDir string, fd int) (*delivery, error) {
	if pw == "" {
		return &delivery{}, nil
	}
	if plugin, ok := findPlugin(pluginDir); ok {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, fmt.Errorf("pppctl: password pipe: %w", err)
		}
		// The password is far smaller than a pipe buffer, so the write
		// completes before pppd has even started.
		_, err = w.WriteString(pw.Reveal())
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("pppctl: password pipe: %w", err)
		}
		return &delivery{
			args:  []string{"plugin", plugin, "passwordfd", strconv.Itoa(fd)},
			child: []*os.File{r},
		}, nil
	}
	dir, err := os.MkdirTemp(tempDir, "zdial-pppd-")
	if err != nil {
		return nil, fmt.Errorf("pppctl: options dir: %w", err)
	}
	d := &delivery{dir: dir}
	if err := os.Chmod(dir, 0o700); err != nil {
		d.release()
		return nil, fmt.Errorf("pppctl: options dir: %w", err)
	}
	path := filepath.Join(dir, "options")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		d.release()
		return nil, fmt.Errorf("pppctl: options file: %w", err)
	}
	_, err = f.WriteString("password " + quoteWord(pw.Reveal()) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		d.release()
		return nil, fmt.Errorf("pppctl: options file: %w", err)
	}
	d.args = []string{"file", path}
	return d, nil
}

// closeChild closes our copies of the child's descriptors; call it once
// the child has started (it holds its own) or failed to.
func (d *delivery) closeChild() {
	for _, f := range d.child {
		f.Close()
	}
	d.child = nil
}

// release removes the options directory, if any.
func (d *delivery) release() error {
	d.closeChild()
	if d.dir == "" {
		return nil
	}
	err := os.RemoveAll(d.dir)
	d.dir = ""
	if err != nil {
		return fmt.Errorf("pppctl: removing options file: %w", err)
	}
	return nil
}

// findPlugin returns the passwordfd plugin's path if pluginDir holds it.
func findPlugin(pluginDir string) (string, bool) {
	if pluginDir == "" {
		return "", false
	}
	p := filepath.Join(pluginDir, PasswordFDPlugin)
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return "", false
	}
	return p, true
}

// quoteWord quotes s for a pppd options file (getword in pppd's
// options.c): inside double quotes a backslash escapes the next
// character and \ooo is an octal byte. Control bytes are written as
// octal so that the line stays one line.
func quoteWord(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

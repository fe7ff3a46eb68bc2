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
// to find it (never the password itself) and the pipe the child
// inherits. Neither method puts the password on a disk, so a crash of
// zdial (kill -9) leaves nothing behind.
type delivery struct {
	args  []string
	child []*os.File // appended to ExtraFiles, in order
}

// passwordFile is the options "file" pppd reads the password from when
// there is no passwordfd plugin: fd N, a pipe, as seen by the child.
func passwordFile(fd int) string { return "/dev/fd/" + strconv.Itoa(fd) }

// newDelivery prepares the password for pppd in a pipe that becomes the
// child's descriptor fd. With a passwordfd plugin in pluginDir the pipe
// holds the bare password, which pppd reads at authentication time
// (`plugin …/passwordfd.so passwordfd N`). Otherwise it holds a one-line
// options file, `password "…"`, which pppd reads while it parses its
// options (`file /dev/fd/N`): pppd fopen()s the path, and on Linux
// /dev/fd/N of an inherited pipe opens that pipe. Checked with Debian's
// pppd 2.4.9 as root: a bad option in the pipe makes it exit 2 ("In file
// /dev/fd/4: unrecognized option"), a good one gets it past parsing. (A
// setuid pppd run by a user cannot open its own /dev/fd, but such a
// user cannot give pppd `noauth` either.)
func newDelivery(pw Secret, pluginDir string, fd int) (*delivery, error) {
	if pw == "" {
		return &delivery{}, nil
	}
	content := "password " + quoteWord(pw.Reveal()) + "\n"
	args := []string{"file", passwordFile(fd)}
	if plugin, ok := findPlugin(pluginDir); ok {
		content = pw.Reveal()
		args = []string{"plugin", plugin, "passwordfd", strconv.Itoa(fd)}
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("pppctl: password pipe: %w", err)
	}
	// The content is far smaller than a pipe buffer (pppd's secrets are at
	// most 255 bytes, quoting quadruples that at worst), so the write
	// completes before pppd has even started, and closing our end gives
	// pppd an EOF after it.
	_, err = w.WriteString(content)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("pppctl: password pipe: %w", err)
	}
	return &delivery{args: args, child: []*os.File{r}}, nil
}

// closeChild closes our copies of the child's descriptors; call it once
// the child has started (it holds its own) or failed to.
func (d *delivery) closeChild() {
	for _, f := range d.child {
		f.Close()
	}
	d.child = nil
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

package pppctl

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/creack/pty"
)

// checkLine takes a tty open read/write and nothing else: pppd would try
// to open and lock anything else anew.
func TestCheckLine(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	if err := checkLine(tty); err != nil {
		t.Errorf("checkLine(a pty open read/write) = %v", err)
	}
	wo, err := os.OpenFile(tty.Name(), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer wo.Close()
	plain, err := os.Create(filepath.Join(t.TempDir(), "not-a-tty"))
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	for name, f := range map[string]*os.File{"write-only": wo, "regular file": plain, "none": nil} {
		if err := checkLine(f); !errors.Is(err, ErrBadLine) {
			t.Errorf("checkLine(%s) = %v, want ErrBadLine", name, err)
		}
	}
}

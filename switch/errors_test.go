package modeswitch

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// The report that started issue 13: "modeswitch: open /dev/bus/usb/001/005:
// open /dev/bus/usb/001/005: no such file or directory". The path is named once.
func TestOpErrorNamesThePathOnce(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bus/usb/001/005")
	_, err := openUSBDevfs(p)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want ErrNotExist", err)
	}
	if want := "modeswitch: open " + p + ": no such file or directory"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	// A cause about another path keeps its own.
	other := &OpError{Op: "bind option driver", Path: "/sys/x", Err: &fs.PathError{Op: "stat", Path: "/sys/y", Err: fs.ErrNotExist}}
	if got := other.Error(); !strings.Contains(got, "stat /sys/y") {
		t.Errorf("%q lost the other path", got)
	}
}

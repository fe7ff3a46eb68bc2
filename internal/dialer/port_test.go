package dialer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestOpenLineMissingListsPorts(t *testing.T) {
	dev := t.TempDir()
	for _, n := range []string{"ttyUSB1", "ttyACM0", "null"} {
		os.WriteFile(filepath.Join(dev, n), nil, 0o644)
	}
	_, err := OpenLine(filepath.Join(dev, "ttyUSB0"), dev)
	if !errors.Is(err, ErrNoPort) {
		t.Fatalf("err = %v, want ErrNoPort", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "ttyACM0") || !strings.Contains(msg, "ttyUSB1") || strings.Contains(msg, "null") {
		t.Errorf("message %q should list ttyACM0 and ttyUSB1 only", msg)
	}
	_, err = OpenLine(filepath.Join(dev, "ttyUSB9"), t.TempDir())
	if !strings.Contains(err.Error(), "zdial devices") {
		t.Errorf("with no ports at all, message %q should point at zdial devices", err)
	}
}

func TestOpenLineNotATTY(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plain")
	os.WriteFile(path, nil, 0o644)
	if _, err := OpenLine(path, ""); err == nil || !strings.Contains(err.Error(), "not a serial port") {
		t.Errorf("err = %v, want not a serial port", err)
	}
}

func TestOpenLinePermission(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root opens anything")
	}
	path := filepath.Join(t.TempDir(), "ttyUSB0")
	os.WriteFile(path, nil, 0o000)
	_, err := OpenLine(path, "")
	var pe *PermissionError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "dialout") {
		t.Errorf("err = %v, want a PermissionError naming dialout", err)
	}
}

// Root opens anything, so the permission path is tested on the error an
// ordinary user gets from open(2).
func TestOpenErrorPermissionSaysHow(t *testing.T) {
	err := openError("/dev/ttyUSB0", t.TempDir(), &os.PathError{Op: "open", Path: "/dev/ttyUSB0", Err: syscall.EACCES})
	var pe *PermissionError
	if !errors.As(err, &pe) || !errors.Is(err, os.ErrPermission) {
		t.Fatalf("err = %v, want a *PermissionError wrapping EACCES", err)
	}
	for _, want := range []string{"/dev/ttyUSB0", "dialout", "root"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if Classify(err) != ClassPort {
		t.Errorf("Classify = %v, want ClassPort (exit 3)", Classify(err))
	}
	if err := openError("/dev/ttyUSB0", t.TempDir(), &os.PathError{Op: "open", Path: "/dev/ttyUSB0", Err: syscall.ENXIO}); !errors.Is(err, ErrNoPort) {
		t.Errorf("ENXIO (a vanished USB tty): err = %v, want ErrNoPort", err)
	}
}

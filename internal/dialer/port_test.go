package dialer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
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

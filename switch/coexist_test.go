package modeswitch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindHolder(t *testing.T) {
	lock, proc := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(lock, "LCK..ttyUSB0"), []byte("      1234\n"), 0o644)
	os.WriteFile(filepath.Join(lock, "LCK..ttyUSB1"), []byte{0x39, 0x30, 0, 0}, 0o644) // binary 12345
	os.MkdirAll(filepath.Join(proc, "1234"), 0o755)
	os.WriteFile(filepath.Join(proc, "1234", "comm"), []byte("pppd\n"), 0o644)
	h, err := FindHolder(lock, proc, "/dev/ttyUSB0")
	if err != nil || h == nil || h.PID != 1234 || h.Name != "pppd" {
		t.Errorf("ASCII lock: %+v %v", h, err)
	}
	h, err = FindHolder(lock, proc, "ttyUSB1")
	if err != nil || h == nil || h.PID != 12345 || h.Name != "" || !strings.Contains(h.String(), "stale") {
		t.Errorf("binary lock: %+v %v", h, err)
	}
	if h, err := FindHolder(lock, proc, "ttyUSB9"); h != nil || err != nil {
		t.Errorf("no lock: %+v %v", h, err)
	}
}

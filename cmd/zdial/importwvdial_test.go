package main

import (
	"github.com/zdial/zdial/carriers"
	"github.com/zdial/zdial/internal/profile"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportWvdial(t *testing.T) {
	conf := filepath.Join("..", "..", "internal", "wvdialconf", "testdata", "huawei-e220.conf")
	code, out, stderr := zdial(t, "import-wvdial", conf)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "profiles:") || !strings.Contains(stderr, "profiles: ") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out, stderr)
	}
	if !strings.Contains(stderr, "chmod 600") {
		t.Errorf("the file holds a PIN but stderr does not say to keep it private:\n%s", stderr)
	}
	// The profiles it prints load as a zdial config.
	cfg := filepath.Join(t.TempDir(), "zdial.yaml")
	if code, _, stderr := zdial(t, "import-wvdial", conf, "--write", cfg); code != exitOK {
		t.Fatalf("--write: exit %d: %s", code, stderr)
	}
	if fi, err := os.Stat(cfg); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("written file: %v, %v; want mode 0600", fi, err)
	}
	if code, _, stderr := zdial(t, "import-wvdial", conf, "--write", cfg); code != exitUsage || !strings.Contains(stderr, "--force") {
		t.Errorf("second --write: exit %d, %s; want a refusal naming --force", code, stderr)
	}
	// The written profiles load as a zdial config and resolve, PIN and all.
	loaded, err := profile.LoadConfig([]string{cfg}, true)
	if err != nil {
		t.Fatalf("the converted config does not load: %v", err)
	}
	p, err := profile.Resolve(loaded, carriers.Builtin(), "defaults")
	if err != nil {
		t.Fatalf("resolve defaults: %v", err)
	}
	if p.Port != "/dev/ttyUSB0" || !p.PIN.IsSet() {
		t.Errorf("defaults = port %q, PIN set %v; want /dev/ttyUSB0 and the PIN from Init3", p.Port, p.PIN.IsSet())
	}
	if code, _, _ := zdial(t, "import-wvdial", filepath.Join(t.TempDir(), "missing.conf")); code != exitUsage {
		t.Errorf("missing file: exit %d, want %d", code, exitUsage)
	}
}

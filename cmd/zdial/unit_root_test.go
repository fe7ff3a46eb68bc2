package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// install-unit --root: a package's staging tree names the zdial as it will
// be installed (ROOT/PATH must be an executable file there), never the
// zdial that builds the package.
func TestInstallUnitRoot(t *testing.T) {
	root := t.TempDir()
	exe := filepath.Join(root, "usr", "sbin", "zdial")
	if err := os.MkdirAll(filepath.Dir(exe), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, out, errs := zdial(t, "install-unit", "--root", root, "--zdial", "/usr/sbin/zdial")
	if code != exitOK || !strings.Contains(out, "\nExecStart=/usr/sbin/zdial run %i\n") {
		t.Fatalf("exit %d, %s\n%s", code, errs, out)
	}
	code, _, errs = zdial(t, "install-unit", "--root", root, "--zdial", "/usr/sbin/zdial",
		"--install", "--unit-dir", "/usr/lib/systemd/system", "--systemctl", "/nonexistent/systemctl")
	if code != exitOK {
		t.Fatalf("--install --root: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(filepath.Join(root, "usr/lib/systemd/system/zdial@.service"))
	if err != nil || string(b) != out {
		t.Errorf("the installed unit differs from the printed one (%v)", err)
	}
	for _, tc := range []struct {
		args []string
		why  string
	}{
		{[]string{"--root", root}, "needs --zdial"},
		{[]string{"--root", root, "--zdial", "/usr/bin/zdial"}, "no such file"},
		{[]string{"--root", root, "--zdial", "/tmp/go-build1/exe/zdial"}, "temporary"},
	} {
		code, out, errs := zdial(t, append([]string{"install-unit"}, tc.args...)...)
		if code != exitUsage || out != "" || !strings.Contains(errs, tc.why) {
			t.Errorf("%q: exit %d, out %q, err %q; want exit 2 saying %q", tc.args, code, out, errs, tc.why)
		}
	}
	if err := os.Chmod(exe, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := zdial(t, "install-unit", "--root", root, "--zdial", "/usr/sbin/zdial"); code != exitUsage || !strings.Contains(errs, "not an executable") {
		t.Errorf("a staged zdial that is not executable: exit %d, %q", code, errs)
	}
}

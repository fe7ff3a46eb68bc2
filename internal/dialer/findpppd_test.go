package dialer_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/safefile"
)

func TestFindPPPD(t *testing.T) {
	dir := t.TempDir()
	inPath := filepath.Join(dir, "pppd")
	if err := os.WriteFile(inPath, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	given := filepath.Join(t.TempDir(), "my-pppd")
	if err := os.WriteFile(given, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := dialer.FindPPPD(given); err != nil || got != given {
		t.Errorf("FindPPPD(%q) = %q, %v: a given path wins over PATH", given, got, err)
	}
	if got, err := dialer.FindPPPD(given + "-missing"); !errors.Is(err, dialer.ErrNoPPPD) {
		t.Errorf("FindPPPD(missing) = %q, %v: want ErrNoPPPD, not a fallback", got, err)
	}
	if got, err := dialer.FindPPPD(""); err != nil || got != inPath {
		t.Errorf("FindPPPD(\"\") = %q, %v; want %s from PATH", got, err, inPath)
	}
}

// A pppd that someone other than the running user (or root) can change is
// refused, whether given or found in PATH, and never run.
func TestFindPPPDRefusesUntrusted(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(t.TempDir(), "ran")
	prog := filepath.Join(dir, "pppd")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\ntouch "+marker+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Others may write the directory it is in: they could swap the binary.
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	for _, path := range []string{prog, ""} {
		_, err := dialer.FindPPPD(path)
		var ue *safefile.UntrustedError
		if !errors.Is(err, dialer.ErrUntrustedPPPD) || !errors.As(err, &ue) || ue.Fix != "chmod go-w "+dir {
			t.Errorf("FindPPPD(%q) = %v: want ErrUntrustedPPPD with the fix", path, err)
		}
		if dialer.Classify(err) != dialer.ClassConfig {
			t.Errorf("class %v, want ClassConfig", dialer.Classify(err))
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the untrusted pppd ran")
	}
}

package dialer_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/zdial/zdial/internal/dialer"
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

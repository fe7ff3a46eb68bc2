package fakepppd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Install makes a fake pppd for one test: a symlink named Name to the
// running test binary, in a fresh directory of its own, with spec beside
// it. It returns the path to run as pppd, and record, which returns what
// the fake's last run saw; record fails the test (it must be called from
// the test's goroutine) when no run has finished or the fake met a
// problem. The test binary's TestMain must call Main.
//
// The directory is filepath.Dir(binary); tests may put other per-run
// files there (pppctl's private options directory, say).
func Install(t testing.TB, spec Spec) (binary string, record func() Record) {
	t.Helper()
	dir := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("fakepppd: %v", err)
	}
	binary = filepath.Join(dir, Name)
	if err := os.Symlink(exe, binary); err != nil {
		t.Fatalf("fakepppd: %v", err)
	}
	if spec.Mode == "" {
		spec.Mode = ModeExit
	}
	b, err := json.Marshal(spec)
	if err != nil {
		t.Fatalf("fakepppd: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, specFile), b, 0o600); err != nil {
		t.Fatalf("fakepppd: %v", err)
	}
	return binary, func() Record {
		t.Helper()
		var rec Record
		b, err := os.ReadFile(filepath.Join(dir, recordFile))
		if err == nil {
			err = json.Unmarshal(b, &rec)
		}
		if err != nil {
			t.Fatalf("fakepppd: no record of a run: %v", err)
		}
		if rec.Err != "" {
			t.Fatalf("fakepppd: %s", rec.Err)
		}
		return rec
	}
}

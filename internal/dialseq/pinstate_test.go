package dialseq

import (
	"bytes"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPINMemory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state") // does not exist yet
	const iccid, pin = "8944200000000000001", "4711"
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

	if got, err := pinWasRejected(dir, iccid, pin); err != nil || got {
		t.Fatalf("fresh dir: pinWasRejected = %v, %v; want false, nil", got, err)
	}
	if err := rememberRejectedPIN(dir, iccid, pin, now, rand.Reader); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sim, pin string
		want     bool
	}{
		{iccid, pin, true},
		{iccid, "4712", false},              // the configured PIN changed
		{"8944200000000000002", pin, false}, // another SIM
		{"", pin, false},                    // unidentified SIM
	} {
		got, err := pinWasRejected(dir, tc.sim, tc.pin)
		if err != nil || got != tc.want {
			t.Errorf("pinWasRejected(%q, %q) = %v, %v; want %v", tc.sim, tc.pin, got, err, tc.want)
		}
	}

	path := pinRecordPath(dir, iccid)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("record mode = %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o700 {
		t.Errorf("state dir mode = %v, want 0700", di.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if bytes.Contains(data, []byte(pin)) || bytes.Contains(data, []byte(iccid)) || strings.Contains(path, iccid) {
		t.Errorf("record %s holds the PIN or ICCID in clear: %s", path, data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("state dir holds %d files, want 1 (no temporary left over)", len(entries))
	}

	if err := forgetRejectedPIN(dir, iccid); err != nil {
		t.Fatal(err)
	}
	if got, err := pinWasRejected(dir, iccid, pin); err != nil || got {
		t.Fatalf("after forget: pinWasRejected = %v, %v; want false, nil", got, err)
	}
	if err := forgetRejectedPIN(dir, iccid); err != nil {
		t.Errorf("forgetting twice: %v", err)
	}
}

// The same PIN gets a different digest each time: the salt is per record.
func TestPINMemorySalted(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	now := time.Unix(0, 0)
	if err := rememberRejectedPIN(a, "x", "1234", now, rand.Reader); err != nil {
		t.Fatal(err)
	}
	if err := rememberRejectedPIN(b, "x", "1234", now, rand.Reader); err != nil {
		t.Fatal(err)
	}
	da, _ := os.ReadFile(pinRecordPath(a, "x"))
	db, _ := os.ReadFile(pinRecordPath(b, "x"))
	if bytes.Equal(da, db) {
		t.Errorf("two records of the same PIN are identical: %s", da)
	}
}

// Not knowing must not read as "never rejected".
func TestPINMemoryDamaged(t *testing.T) {
	for name, content := range map[string]string{
		"not json":      "{",
		"wrong version": `{"version":99,"salt":"00","pin_hmac":"00"}`,
		"no digest":     `{"version":1,"salt":"00"}`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(pinRecordPath(dir, "sim"), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := pinWasRejected(dir, "sim", "1234")
			if err == nil || !strings.Contains(err.Error(), "remove") {
				t.Errorf("pinWasRejected on a damaged record = %v; want an error saying to remove it", err)
			}
		})
	}
}

func TestPINMemoryNoDir(t *testing.T) {
	if got, err := pinWasRejected("", "sim", "1234"); got || err != nil {
		t.Errorf("pinWasRejected without a dir = %v, %v", got, err)
	}
	if err := rememberRejectedPIN("", "sim", "1234", time.Unix(0, 0), rand.Reader); err == nil {
		t.Error("rememberRejectedPIN without a dir succeeded")
	}
}

func TestPINSendPolicy(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    pinSendPolicy
		want []error // all must match; nil: send
	}{
		{"three left", pinSendPolicy{pin: "1234", attempts: 3}, nil},
		{"two left", pinSendPolicy{pin: "1234", attempts: 2}, nil},
		{"one left", pinSendPolicy{pin: "1234", attempts: 1}, []error{ErrPINUnsafe, ErrSIM}},
		{"none left", pinSendPolicy{pin: "1234", attempts: 0}, []error{ErrPINUnsafe, ErrPUKRequired}},
		{"unknown", pinSendPolicy{pin: "1234", attempts: pinAttemptsUnknown}, []error{ErrPINUnsafe}},
		{"unknown, trusted", pinSendPolicy{pin: "1234", attempts: pinAttemptsUnknown, trustUnknown: true}, nil},
		{"rejected before", pinSendPolicy{pin: "1234", attempts: 3, rejectedBefore: true, recordPath: "/st/x.json"}, []error{ErrPINUnsafe}},
		{"no pin", pinSendPolicy{attempts: 3}, []error{ErrPINRequired, ErrSIM}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.check()
			if tc.want == nil {
				if err != nil {
					t.Fatalf("check() = %v, want nil (send)", err)
				}
				return
			}
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("check() = %v, want it to match %v", err, w)
				}
			}
			if strings.Contains(err.Error(), "1234") {
				t.Errorf("error text holds the PIN: %v", err)
			}
		})
	}
}

// Issue 9 item 11: whichever writes the state dir first, it ends up 0700:
// a dir an older zdial (or the port cache) made 0755 is tightened when the
// PIN memory writes to it.
func TestRememberRejectedPINMakesStateDirPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	if err := rememberRejectedPIN(dir, "sim", "1234", time.Now(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("state dir mode %v, %v; want 0700", fi.Mode().Perm(), err)
	}
	if rejected, err := pinWasRejected(dir, "sim", "1234"); err != nil || !rejected {
		t.Fatalf("pinWasRejected = %v, %v; want true", rejected, err)
	}
}

package dialer_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/uucplock"
)

// A live process (the test's parent) holds the port's UUCP lock: SendPermanent says who, and
// not one byte reaches the modem.
func TestSendPermanentHonoursLock(t *testing.T) {
	modem := simTTY(t, "zte-mf622")
	locks := t.TempDir()
	lockFile := filepath.Join(locks, uucplock.FileName(modem.Path))
	if err := os.WriteFile(lockFile, []byte(fmt.Sprintf("%10d\n", os.Getppid())), 0o644); err != nil {
		t.Fatal(err)
	}
	disc := dialer.Discovery{DevRoot: "/dev", LockDir: locks, ProcRoot: "/proc"}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := disc.SendPermanent(ctx, modem.Path, "+ZCDRUN=8")
	var be *uucplock.BusyError
	if !errors.Is(err, uucplock.ErrBusy) || !errors.As(err, &be) || be.PID != os.Getppid() {
		t.Fatalf("err = %v, want a *uucplock.BusyError naming pid %d", err, os.Getppid())
	}
	if got := modem.Sim.Received(); len(got) != 0 {
		t.Errorf("the modem received %q although its port is locked", got)
	}
	if c := dialer.Classify(err); c != dialer.ClassBusy {
		t.Errorf("class %v, want ClassBusy", c)
	}
}

// The command goes out while zdial holds the port's lock, and the lock is
// gone when SendPermanent returns.
func TestSendPermanentLocksWhileItTalks(t *testing.T) {
	modem := simTTY(t, "zte-mf622")
	locks := t.TempDir()
	lockFile := filepath.Join(locks, uucplock.FileName(modem.Path))
	var heldBy string // the lock file's PID when the command is about to go out
	disc := dialer.Discovery{DevRoot: "/dev", LockDir: locks, ProcRoot: "/proc",
		Note: func(format string, args ...any) {
			if b, err := os.ReadFile(lockFile); err == nil {
				heldBy = strings.TrimSpace(string(b))
			}
		}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := disc.SendPermanent(ctx, modem.Path, "+ZCDRUN=8"); err != nil {
		t.Fatal(err)
	}
	if heldBy != strconv.Itoa(os.Getpid()) {
		t.Errorf("lock file held %q while the command went out, want our pid %d", heldBy, os.Getpid())
	}
	if _, err := os.Stat(lockFile); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("lock file left behind: %v", err)
	}
	got := modem.Sim.Received()
	if len(got) == 0 || !strings.EqualFold(got[len(got)-1], "AT+ZCDRUN=8") {
		t.Errorf("the modem received %q, want AT+ZCDRUN=8 last", got)
	}
	checkNoEngineGoroutines(t)
}

// A silent port gets no vendor command, and its lock is released.
func TestSendPermanentSilentPort(t *testing.T) {
	silent := simTTY(t, "diag-silent")
	locks := t.TempDir()
	disc := dialer.Discovery{DevRoot: "/dev", LockDir: locks, ProcRoot: "/proc"}
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	err := disc.SendPermanent(ctx, silent.Path, "+ZCDRUN=8")
	if !errors.Is(err, dialer.ErrNoAnswer) {
		t.Fatalf("err = %v, want ErrNoAnswer", err)
	}
	for _, cmd := range silent.Sim.Received() {
		if strings.Contains(strings.ToUpper(cmd), "ZCDRUN") {
			t.Errorf("the silent port was sent %q", cmd)
		}
	}
	if _, err := os.Stat(filepath.Join(locks, uucplock.FileName(silent.Path))); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("lock file left behind: %v", err)
	}
}

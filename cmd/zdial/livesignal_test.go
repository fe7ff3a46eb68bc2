package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/uucplock"
	modeswitch "github.com/zdial/zdial/switch"
)

// While the link is up on ttyUSB2, status reads the signal on the MF622's
// AT port (ttyUSB1), never on the PPP port, and not while another program
// holds the AT port's lock.
func TestLiveSignalOnControlPort(t *testing.T) {
	dev, ptys := simDev(t, "diag-silent", "aux-at", "zte-mf622")
	host := &modeswitch.Host{Sysfs: fakeSysfs("mf622-modem-option"), Dev: dev}
	db, err := modeswitch.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	locks := t.TempDir()
	disc := dialer.Discovery{DevRoot: dev, LockDir: locks}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sig, port, err := disc.LiveSignal(ctx, host, db, filepath.Join(dev, "ttyUSB2"))
	if err != nil || !sig.Known || port != filepath.Join(dev, "ttyUSB1") {
		t.Fatalf("LiveSignal = %+v on %s, %v; want a known signal on ttyUSB1", sig, port, err)
	}
	if got := ptys[1].Sim.Received(); len(got) == 0 || !strings.EqualFold(got[len(got)-1], "AT+CSQ") {
		t.Errorf("the AT port received %q, want AT+CSQ last", got)
	}
	if n := len(ptys[0].Sim.Received()) + len(ptys[2].Sim.Received()); n != 0 {
		t.Errorf("the diag or PPP port received %d commands", n)
	}
	// Another program holds ttyUSB1: nothing is sent, the holder is named.
	lock, err := uucplock.Dir{Path: locks, DevRoot: dev}.LockPath("ttyUSB1")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lock, fmt.Appendf(nil, "%10d\n", os.Getppid()), 0o644); err != nil {
		t.Fatal(err)
	}
	before := len(ptys[1].Sim.Received())
	if _, _, err := disc.LiveSignal(ctx, host, db, filepath.Join(dev, "ttyUSB2")); err == nil || !strings.Contains(err.Error(), fmt.Sprint(os.Getppid())) {
		t.Errorf("LiveSignal with the AT port locked = %v, want a busy error naming pid %d", err, os.Getppid())
	}
	if len(ptys[1].Sim.Received()) != before {
		t.Error("the locked AT port received a command")
	}
}

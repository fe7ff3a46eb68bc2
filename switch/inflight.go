package modeswitch

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/zdial/zdial/internal/safefile"
)

// A switch is sent once per plug, however many times zdial is asked. udev
// runs the rule's `zdial switch --no-wait %k` on both the add and the bind
// event of a hotplugged dongle (and on add alone at coldplug), a person may
// run `zdial switch` while udev does, and a dongle takes a few hundred
// milliseconds to leave the bus after the eject. So each switch of a device
// takes a lock and leaves a record under Host.RunDir:
//
//	/run/zdial/switch/1-2     flock(LOCK_EX|LOCK_NB) while the switch is sent;
//	                          then "19d2:2000 5 1733052000 StandardEject":
//	                          ID, devnum, Unix time, method
//
// A second run that finds the lock held, or a record of the same device
// (same port, ID and devnum: the same enumeration) younger than Host.Wait,
// does nothing and says why. A record of another devnum is an earlier plug
// or a switch that did not take, and is replaced.

// switchDir is the directory of the per-device records under Host.RunDir.
const switchDir = "switch"

// maxRecord bounds what is read from a record file.
const maxRecord = 256

// claim is a held per-device switch lock.
type claim struct {
	f   *os.File
	now time.Time
}

// claimSwitch takes d's switch lock. already is non-empty, and c nil, when
// the switch needs no sending: another zdial holds the lock, or a recent
// record says this enumeration of d was already sent its switch. With
// h.RunDir empty there is neither lock nor record.
func (h *Host) claimSwitch(d Device) (c *claim, already string, err error) {
	if h.RunDir == "" {
		return nil, "", nil
	}
	dir := filepath.Join(h.RunDir, switchDir)
	if err := privateDir(dir); err != nil {
		return nil, "", err
	}
	p := filepath.Join(dir, safeName(d.Name))
	f, err := safefile.OpenLock(p, 0o600)
	if err != nil {
		return nil, "", &OpError{Op: "open switch record", Path: p, Err: causeAt(p, err)}
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Sprintf("another zdial is switching %s right now", d.Name), nil
		}
		return nil, "", &OpError{Op: "lock switch record", Path: p, Err: err}
	}
	now := time.Now()
	b, _ := io.ReadAll(io.LimitReader(f, maxRecord))
	if r, ok := parseRecord(string(b)); ok && r.id == d.ID && r.devnum == d.Devnum {
		if age := now.Sub(r.at); age >= 0 && age < h.waitDuration() {
			f.Close()
			return nil, fmt.Sprintf("%s was sent its switch (%s) %s ago and is re-enumerating",
				d.Name, r.method, age.Round(time.Millisecond)), nil
		}
	}
	return &claim{f: f, now: now}, "", nil
}

// done records that m was sent to d (when sent) and lets go of the lock.
func (c *claim) done(d Device, m Method, sent bool) {
	if c == nil {
		return
	}
	if sent {
		rec := fmt.Sprintf("%s %d %d %s\n", d.ID, d.Devnum, c.now.Unix(), m)
		if err := c.f.Truncate(0); err == nil {
			c.f.WriteAt([]byte(rec), 0)
		}
	}
	c.f.Close() // closing the descriptor releases the flock
}

type record struct {
	id     ID
	devnum int
	at     time.Time
	method Method
}

// parseRecord reads "19d2:2000 5 1733052000 StandardEject".
func parseRecord(s string) (record, bool) {
	f := strings.Fields(s)
	if len(f) != 4 {
		return record{}, false
	}
	id, err := ParseID(f[0])
	if err != nil {
		return record{}, false
	}
	devnum, err1 := strconv.Atoi(f[1])
	sec, err2 := strconv.ParseInt(f[2], 10, 64)
	if err1 != nil || err2 != nil {
		return record{}, false
	}
	return record{id: id, devnum: devnum, at: time.Unix(sec, 0), method: Method(f[3])}, true
}

// privateDir makes dir if missing, in a 0755 parent (the run directory
// that the link records share, /run/zdial), as a 0700 directory of this
// user (safefile.PrivateDir: a link or another user's directory in its
// place is refused): the records steer what root does at the next plug.
func privateDir(dir string) error {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return &OpError{Op: "make", Path: parent, Err: causeAt(parent, err)}
	}
	if err := safefile.PrivateDir(dir); err != nil {
		return &OpError{Op: "make", Path: dir, Err: causeAt(dir, err)}
	}
	return nil
}

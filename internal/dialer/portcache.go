package dialer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/zdial/zdial/internal/safefile"
	modeswitch "github.com/zdial/zdial/switch"
)

// portCache remembers the PPP port per device (VID:PID + serial) as one
// small JSON file per device in Dir, so the next run needs no probe.
// It stores the interface number, not the tty name: ttyUSB numbers change
// with plug order, interface numbers do not.
type portCache struct {
	Dir string // state directory, e.g. /var/lib/zdial or $XDG_STATE_HOME/zdial
}

type cachedPort struct {
	ID        modeswitch.ID `json:"id"`
	Serial    string        `json:"serial,omitempty"`
	Interface int           `json:"interface"`
	TTY       string        `json:"tty"` // as last seen, for people reading the file
	Reason    string        `json:"reason"`
}

// maxCacheFile bounds what Load reads: an entry is a few hundred bytes.
const maxCacheFile = 4096

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// cacheKey names a device's cache file: "19d2-0001-P671A2TMED010000.json".
// Devices without a serial share the entry of their model.
func cacheKey(d modeswitch.Device) string {
	k := fmt.Sprintf("%04x-%04x", d.ID.Vendor, d.ID.Product)
	if d.Serial != "" {
		k += "-" + unsafeName.ReplaceAllString(d.Serial, "_")
	}
	return k + ".json"
}

func (c portCache) path(d modeswitch.Device) string {
	return filepath.Join(c.Dir, "ports", cacheKey(d))
}

// Load returns the cached PPP interface for d, if any.
func (c portCache) Load(d modeswitch.Device) (iface int, ok bool, err error) {
	b, err := safefile.ReadFile(c.path(d), maxCacheFile)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("dialer: read port cache: %w", err)
	}
	var cp cachedPort
	if err := json.Unmarshal(b, &cp); err != nil || cp.ID != d.ID {
		return 0, false, nil // unreadable or foreign: treat as absent; the next Store fixes it
	}
	return cp.Interface, true, nil
}

// Store records p as d's PPP port.
func (c portCache) Store(d modeswitch.Device, p modeswitch.Port, reason string) error {
	b, err := json.MarshalIndent(cachedPort{ID: d.ID, Serial: d.Serial, Interface: p.Interface, TTY: p.Name, Reason: reason}, "", "  ")
	if err != nil {
		return err
	}
	// The state dir is private (0700) whoever writes to it first: it also
	// holds the rejected-PIN records.
	if err := safefile.PrivateDir(c.Dir); err != nil {
		return fmt.Errorf("dialer: write port cache: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(c.path(d)), 0o700); err != nil {
		return fmt.Errorf("dialer: write port cache: %w", err)
	}
	if err := safefile.WriteAtomic(c.path(d), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("dialer: write port cache: %w", err)
	}
	return nil
}

// Forget drops d's entry, after its cached port failed.
func (c portCache) Forget(d modeswitch.Device) error {
	err := os.Remove(c.path(d))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("dialer: forget port cache: %w", err)
	}
	return nil
}

// CachedPPPInterface is the interface number the port cache in stateDir
// remembers as d's PPP port: what `zdial udev-role` names the ppp link
// after when probing found another port than the database's. "" keeps no
// cache: ok is false.
func CachedPPPInterface(stateDir string, d modeswitch.Device) (iface int, ok bool, err error) {
	if stateDir == "" {
		return 0, false, nil
	}
	return portCache{Dir: stateDir}.Load(d)
}

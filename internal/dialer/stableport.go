package dialer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/zdial/zdial/internal/safefile"
)

// ErrNoStablePort is wrapped by StablePort's errors: it cannot name the
// modem's port on its own.
var ErrNoStablePort = errors.New("dialer: no stable name for the modem's port")

// StablePort names the PPP port that discovery chose last (the port cache
// in stateDir) by its udev link under devRoot/serial/by-id, which names
// the device and interface and so survives replugging, where ttyUSB
// numbers follow plug order. It needs exactly one cached device, whose
// port udev linked, and touches no port.
func StablePort(stateDir, devRoot string) (string, error) {
	files, err := filepath.Glob(filepath.Join(stateDir, "ports", "*.json"))
	if err != nil {
		return "", err
	}
	var cached []cachedPort
	for _, f := range files {
		b, err := safefile.ReadFile(f, maxCacheFile)
		if err != nil {
			return "", fmt.Errorf("dialer: read port cache: %w", err)
		}
		var cp cachedPort
		if json.Unmarshal(b, &cp) == nil && cp.TTY != "" {
			cached = append(cached, cp)
		}
	}
	switch len(cached) {
	case 0:
		return "", fmt.Errorf("%w: zdial has not dialed here yet", ErrNoStablePort)
	case 1:
	default:
		return "", fmt.Errorf("%w: %d devices in the port cache", ErrNoStablePort, len(cached))
	}
	cp := cached[0]
	byID := filepath.Join(devRoot, "serial", "by-id")
	entries, err := os.ReadDir(byID)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNoStablePort, err)
	}
	suffix := fmt.Sprintf("-if%02x-", cp.Interface)
	var names []string
	for _, e := range entries {
		link := filepath.Join(byID, e.Name())
		target, err := os.Readlink(link)
		if err != nil || filepath.Base(target) != filepath.Base(cp.TTY) || !strings.Contains(e.Name(), suffix) {
			continue
		}
		names = append(names, link)
	}
	sort.Strings(names)
	if len(names) != 1 {
		return "", fmt.Errorf("%w: %d links in %s for %s (interface %d)", ErrNoStablePort, len(names), byID, filepath.Base(cp.TTY), cp.Interface)
	}
	return names[0], nil
}

package demonet

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/zdial/zdial/internal/safefile"
)

// Checks are what decides whether `zdial demo` can run real pppd
// against the simulated modem. Each is a probe of the host, injected so
// that a test can play every kind of machine.
type Checks struct {
	euid     func() int
	devRoot  string             // /dev: holds ppp, the PPP channel device
	stat     func(string) error // os.Stat's error, nil when the path exists
	findPPPD func() (string, error)
	// isolate tries to leave the host's network and mount namespaces, as
	// the live demo does for both of its pppds (see Isolation).
	isolate func() error
}

// HostChecks probes this machine: findPPPD finds pppd as the dialer would
// (dialer.FindPPPD with --pppd), iso is the isolation the live demo would
// use.
func HostChecks(devRoot string, findPPPD func() (string, error), iso Isolation) Checks {
	return Checks{
		euid:     os.Geteuid,
		devRoot:  devRoot,
		stat:     func(p string) error { _, err := os.Stat(p); return err },
		findPPPD: findPPPD,
		isolate:  iso.Probe,
	}
}

// Decide returns pppd's path when the live demo can run, or the one-line
// reason it cannot. The order matters: without root nothing else can
// succeed, and a kernel without PPP makes an installed pppd useless.
func (c Checks) Decide() (pppd, whyNot string) {
	if c.euid() != 0 {
		return "", "not running as root (pppd needs root to make a PPP interface)"
	}
	devPPP := filepath.Join(c.devRoot, "ppp")
	if err := c.stat(devPPP); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Sprintf("no %s (kernel without PPP support)", devPPP)
		}
		return "", fmt.Sprintf("%s: %v", devPPP, err)
	}
	pppd, err := c.findPPPD()
	switch {
	case errors.Is(err, safefile.ErrUntrusted):
		return "", err.Error() // installed, but not one root may run: it names the fix
	case err != nil:
		return "", "pppd not installed (apt-get install ppp, or name it with --pppd)"
	}
	if err := c.isolate(); err != nil {
		return "", fmt.Sprintf("cannot make a private network namespace for it (%v)", err)
	}
	return pppd, ""
}

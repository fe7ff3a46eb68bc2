package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
)

// liveChecks are what decides whether `zdial demo` can run real pppd
// against the simulated modem. Each is a probe of the host, injected so
// that a test can play every kind of machine.
type liveChecks struct {
	euid     func() int
	devRoot  string             // /dev: holds ppp, the PPP channel device
	stat     func(string) error // os.Stat's error, nil when the path exists
	findPPPD func() (string, error)
	// isolate tries to leave the host's network and mount namespaces, as
	// the live demo does for both of its pppds (see isolation).
	isolate func() error
}

// hostChecks probes this machine: pppdFlag is --pppd, iso the isolation
// the live demo would use.
func hostChecks(devRoot, pppdFlag string, iso isolation) liveChecks {
	return liveChecks{
		euid:    os.Geteuid,
		devRoot: devRoot,
		stat:    func(p string) error { _, err := os.Stat(p); return err },
		findPPPD: func() (string, error) {
			return lookPPPD(pppdFlag, exec.LookPath, func(p string) error { _, err := os.Stat(p); return err })
		},
		isolate: iso.probe,
	}
}

// decide returns pppd's path when the live demo can run, or the one-line
// reason it cannot. The order matters: without root nothing else can
// succeed, and a kernel without PPP makes an installed pppd useless.
func (c liveChecks) decide() (pppd, whyNot string) {
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
	if err != nil {
		return "", "pppd not installed (apt-get install ppp, or name it with --pppd)"
	}
	if err := c.isolate(); err != nil {
		return "", fmt.Sprintf("cannot make a private network namespace for it (%v)", err)
	}
	return pppd, ""
}

// lookPPPD finds pppd as the dialer does: --pppd as given, else PATH,
// else /usr/sbin/pppd (not in an ordinary user's PATH on Debian).
func lookPPPD(flagPath string, lookPath func(string) (string, error), stat func(string) error) (string, error) {
	if flagPath != "" {
		if err := stat(flagPath); err != nil {
			return "", err
		}
		return flagPath, nil
	}
	if p, err := lookPath("pppd"); err == nil {
		return p, nil
	}
	if err := stat("/usr/sbin/pppd"); err != nil {
		return "", err
	}
	return "/usr/sbin/pppd", nil
}

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/zdial/zdial/internal/hooks"
)

// runInstallUnit prints (or installs) zdial@.service, the systemd template
// that runs the supervisor, `zdial run PROFILE`, one instance per profile:
//
//	zdial install-unit                    print it
//	zdial install-unit --install          write /etc/systemd/system/zdial@.service, daemon-reload
//	systemctl enable --now zdial@three
//
// ExecStart names this zdial by its absolute path, which must be installed
// (as for zdial peer). The hardening is explained line by line in the
// unit's text (internal/hooks).
func runInstallUnit(ctx context.Context, args []string, io stdio) int {
	fs := newFlagSet("install-unit", io.err)
	install := fs.Bool("install", false, "write the unit instead of printing it, then run systemctl daemon-reload")
	unitDir := fs.String("unit-dir", "/etc/systemd/system", "systemd's directory for local units")
	self := fs.String("zdial", "", "the zdial systemd runs (default: this one); under --root when that is set")
	root := fs.String("root", "/", "file system root to install under (a package's staging tree); with --root, --zdial is needed")
	watchdog := fs.Duration("watchdog", 2*time.Minute, "WatchdogSec: restart a supervisor that stops answering (0: no watchdog)")
	restart := fs.Duration("restart-sec", 10*time.Second, "RestartSec: the pause before systemd restarts a failed zdial")
	systemctl := fs.String("systemctl", "systemctl", "systemctl to reload with (\"\" skips the reload)")
	fs.Usage = func() {
		fmt.Fprintln(io.err, "usage: zdial install-unit [--install] [--unit-dir DIR] [--zdial PATH [--root DIR]]")
		fs.PrintDefaults()
	}
	if code, ok := parseNone(fs, args); !ok {
		return code
	}
	staging := filepath.Clean(*root) != "/"
	var exe string
	if staging {
		// A package's tree: the zdial is ROOT/PATH, owned by root only
		// once the package is installed (as for udev-rule --root).
		if *self == "" {
			fmt.Fprintln(io.err, "zdial: install-unit --root needs --zdial: the path systemd will run, e.g. --zdial /usr/sbin/zdial")
			return exitUsage
		}
		if err := checkRuleBinary(*root, *self); err != nil {
			fmt.Fprintln(io.err, "zdial:", forPeople(err))
			return exitUsage
		}
		exe = *self
	} else {
		var code int
		if exe, code = installedZdial(*self, "install-unit", io); code != exitOK {
			return code
		}
	}
	text, err := hooks.UnitFile(hooks.Unit{Zdial: exe, Watchdog: *watchdog, RestartSec: *restart})
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitUsage
	}
	if !*install {
		fmt.Fprint(io.out, text)
		return exitOK
	}
	if code := installFile(filepath.Join(*root, *unitDir, hooks.UnitName), text, "install-unit", io); code != exitOK {
		return code
	}
	if staging { // systemd on this machine has nothing to do with ROOT
		return exitOK
	}
	fmt.Fprintln(io.out, "enable a profile with: systemctl enable --now zdial@PROFILE.service")
	return daemonReload(ctx, *systemctl, io)
}

// daemonReload runs `systemctl daemon-reload` when systemctl is there and
// systemd runs; otherwise systemd reads the unit when it next starts.
func daemonReload(ctx context.Context, systemctl string, io stdio) int {
	if systemctl == "" {
		return exitOK
	}
	bin, err := exec.LookPath(systemctl)
	if err != nil || !exists("/run/systemd/system") {
		fmt.Fprintln(io.out, "systemd is not running here: the unit takes effect when it starts")
		return exitOK
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "daemon-reload")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 2 * time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(io.err, "zdial: %s daemon-reload: %v %s\n", bin, err, out)
		return exitOther
	}
	return exitOK
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

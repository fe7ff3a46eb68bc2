package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	modeswitch "github.com/zdial/zdial/switch"
)

// udevRulePath is where --install puts the rule, under --root. 40- runs it
// before ModemManager's 77-mm-*.rules, so ID_MM_DEVICE_IGNORE is set in time.
const udevRulePath = "etc/udev/rules.d/40-zdial.rules"

// runUdevRule prints (or installs) a udev rule that runs `zdial switch
// --no-wait` for exactly the device that generated the event, for every
// storage-mode and modem-mode ID in zdial's own database (the flow is in
// modeswitch.UdevRule's doc):
//
//	zdial udev-rule                 print the rule
//	zdial udev-rule --install       write /etc/udev/rules.d/40-zdial.rules, reload udev
//
// Only zdial's own database goes into the rule, not Debian's
// usb-modeswitch-data: the usb-modeswitch package ships its own rule for
// those IDs, and two rules switching one device would race.
func runUdevRule(ctx context.Context, args []string, io stdio) int {
	flags := newFlagSet("udev-rule", io.err)
	install := flags.Bool("install", false, "write the rule to ROOT/"+udevRulePath+" and reload udev")
	root := flags.String("root", "/", "file system root to install under")
	udevadm := flags.String("udevadm", "udevadm", "udevadm to reload the rules with (looked up in PATH; \"\" skips the reload)")
	flags.Usage = func() {
		fmt.Fprintln(io.err, "usage: zdial udev-rule [--install [--root DIR]]")
		flags.PrintDefaults()
	}
	if code, ok := parseNone(flags, args); !ok {
		return code
	}
	db, err := modeswitch.Builtin()
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", err)
		return exitOther
	}
	self, err := zdialPath()
	if err != nil {
		fmt.Fprintln(io.err, "zdial: cannot tell where this zdial is installed:", err)
		return exitOther
	}
	rule := modeswitch.UdevRule(db, self)
	if !*install {
		fmt.Fprint(io.out, rule)
		return exitOK
	}
	path := filepath.Join(*root, udevRulePath)
	if err := writeFileAtomic(path, []byte(rule), 0o644); err != nil {
		if errors.Is(err, fs.ErrPermission) {
			fmt.Fprintf(io.err, "zdial: %v: installing a udev rule needs root (sudo %s udev-rule --install)\n", err, self)
		} else {
			fmt.Fprintln(io.err, "zdial:", err)
		}
		return exitOther
	}
	fmt.Fprintln(io.out, "wrote", path)
	return reloadUdev(ctx, *udevadm, io)
}

// zdialPath is this executable's absolute path with symlinks resolved:
// udev runs RUN programs with an almost empty PATH.
func zdialPath() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	if p, err := filepath.EvalSymlinks(exe); err == nil {
		exe = p
	}
	return filepath.Abs(exe)
}

// writeFileAtomic writes through a temporary file and a rename, so udev
// never reads half a rules file.
func writeFileAtomic(path string, data []byte, perm fs.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".zdial-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), perm)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// reloadUdev runs `udevadm control --reload` if udevadm is there. Without
// it the rule still takes effect when udev next starts.
func reloadUdev(ctx context.Context, udevadm string, io stdio) int {
	if udevadm == "" {
		return exitOK
	}
	bin, err := exec.LookPath(udevadm)
	if err != nil {
		fmt.Fprintln(io.out, "udevadm not found: the rule takes effect when udev next starts (or run udevadm control --reload)")
		return exitOK
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "control", "--reload")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 2 * time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(io.err, "zdial: %s control --reload: %v %s\n", bin, err, out)
		return exitOther
	}
	fmt.Fprintln(io.out, "reloaded udev rules")
	return exitOK
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/safefile"
	modeswitch "github.com/zdial/zdial/switch"
)

// udevRulePath is where --install puts the rule, under --root. 40- runs it
// before ModemManager's 77-mm-*.rules, so ID_MM_DEVICE_IGNORE is set in time.
const udevRulePath = "etc/udev/rules.d/40-zdial.rules"

// installHint is what to run instead of installing a rule for a zdial that
// udev must not run (a go run binary, a path with blanks, a user's file).
const installHint = "install zdial first: go build -o zdial ./cmd/zdial && sudo install -o root -g root -m 0755 zdial /usr/local/sbin/zdial && sudo /usr/local/sbin/zdial udev-rule --install"

// runUdevRule prints (or installs) the udev rule that switches dongles as
// they are plugged in or found at boot, gives their ports group dialout
// and stable links, and keeps ModemManager off them (modeswitch.UdevRule
// has the flow):
//
//	zdial udev-rule                       print the rule
//	zdial udev-rule --install             write /etc/udev/rules.d/40-zdial.rules, reload udev
//	zdial udev-rule --online PROFILE      a plugged-in dongle also starts zdial@PROFILE.service
//	zdial udev-rule --binary /usr/sbin/zdial   name the zdial udev runs (default: this one)
//
// udev runs the named binary as root at every plug, so it must be a file
// only root can change, at a path that stays: --install refuses a binary
// in a temporary directory (go run), anywhere a user could write, owned by
// anyone but root, or whose path udev would not read as one path.
//
// Only zdial's own database goes into the rule, not Debian's
// usb-modeswitch-data: the usb-modeswitch package ships its own rule for
// those IDs, and two rules switching one device would race.
func runUdevRule(ctx context.Context, args []string, io stdio) int {
	flags := newFlagSet("udev-rule", io.err)
	install := flags.Bool("install", false, "write the rule to ROOT/"+udevRulePath+" and reload udev")
	root := flags.String("root", "/", "file system root to install under (a package's staging tree)")
	udevadm := flags.String("udevadm", "udevadm", "udevadm to reload the rules with (looked up in PATH; \"\" skips the reload)")
	binary := flags.String("binary", "", "absolute path of the zdial udev runs (default: this executable); under --root when that is set")
	online := flags.String("online", "", "also start zdial@PROFILE.service when a dongle's PPP port appears")
	flags.Usage = func() {
		fmt.Fprintln(io.err, "usage: zdial udev-rule [--install [--root DIR]] [--binary PATH] [--online PROFILE]")
		flags.PrintDefaults()
	}
	if code, ok := parseNone(flags, args); !ok {
		return code
	}
	db, err := modeswitch.Builtin()
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitOther
	}
	bin := *binary
	if bin == "" {
		if bin, err = zdialPath(); err != nil {
			fmt.Fprintln(io.err, "zdial: cannot tell where this zdial is installed:", err)
			return exitOther
		}
	}
	rule, err := modeswitch.UdevRule(db, modeswitch.RuleOptions{Binary: bin, Online: *online})
	if err != nil {
		fmt.Fprintf(io.err, "zdial: %s\n%s\n", forPeople(err), installHint)
		return exitUsage
	}
	berr := checkRuleBinary(*root, bin)
	if !*install {
		fmt.Fprint(io.out, rule)
		if berr != nil {
			fmt.Fprintf(io.err, "zdial: note: do not install this rule as it is: %v\n%s\n", berr, installHint)
		}
		return exitOK
	}
	if berr != nil {
		fmt.Fprintf(io.err, "zdial: will not install a udev rule that runs %s as root at every plug: %v\n%s\n", bin, berr, installHint)
		return exitUsage
	}
	path := filepath.Join(*root, udevRulePath)
	err = os.MkdirAll(filepath.Dir(path), 0o755)
	if err == nil {
		err = safefile.WriteAtomic(path, []byte(rule), 0o644)
	}
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			fmt.Fprintf(io.err, "zdial: %v: installing a udev rule needs root (sudo %s udev-rule --install)\n", err, bin)
		} else {
			fmt.Fprintln(io.err, "zdial:", forPeople(err))
		}
		return exitOther
	}
	fmt.Fprintln(io.out, "wrote", path)
	return reloadUdev(ctx, *udevadm, io)
}

// checkRuleBinary says why bin must not be written into a udev rule, a
// systemd unit or a pppd peers file, which root runs later without
// checking, or nil; it is the one rule for all three. bin is the path as
// they will see it; under a --root other than "/" (a package's staging
// tree, where the package manager sets the owner later) the file is
// ROOT/bin and only its place is checked, not its owner.
//
// Such a binary must stay where it is and be changeable by root alone: not
// in a temporary directory (go run builds in /tmp/go-build…, deletes it on
// exit, and any user can then recreate that path), owned by root, not
// writable by group or others, and below no directory others can write, a
// sticky one included (safefile.TrustedForLater).
func checkRuleBinary(root, bin string) error {
	if unstablePath(bin) {
		return fmt.Errorf("%s is in a temporary build directory, which is deleted when it exits and which any user can then recreate", bin)
	}
	if filepath.Clean(root) != "/" {
		file := filepath.Join(root, bin)
		fi, err := os.Stat(file)
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
			return fmt.Errorf("%s is not an executable file", file)
		}
		return nil
	}
	return (safefile.Owner{UID: 0}).TrustedForLater(bin)
}

// unstablePath reports a path inside a temporary directory: the system's
// (os.TempDir, /tmp, /var/tmp, /dev/shm) or Go's build cache (go-build…).
func unstablePath(p string) bool {
	for _, tmp := range []string{os.TempDir(), "/tmp", "/var/tmp", "/dev/shm"} {
		if tmp = filepath.Clean(tmp); p == tmp || strings.HasPrefix(p, tmp+"/") {
			return true
		}
	}
	for _, el := range strings.Split(p, "/") {
		if strings.HasPrefix(el, "go-build") {
			return true
		}
	}
	return false
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
	fmt.Fprintln(io.out, "a dongle plugged in already: udevadm trigger --action=add --subsystem-match=usb")
	return exitOK
}

// runUdevRole is the rule's IMPORT{program}: for one tty (udev's %k), the
// link name of its device and the port's role, from the device database and
// the port cache, as udev environment lines:
//
//	$ zdial udev-role ttyUSB2
//	ZDIAL_DEVICE=19d2-0001-MF622LAB0001
//	ZDIAL_ROLE=ppp
//
// It reads sysfs and files only, never the tty: udev waits for it. A tty
// zdial does not know, or a port with no role, prints nothing and exits 0.
func runUdevRole(_ context.Context, args []string, io stdio) int {
	flags := newFlagSet("udev-role", io.err)
	sysRoot := flags.String("sysfs", "/sys", "sysfs root")
	stateDir := flags.String("state-dir", defaultStateDir(), "zdial's state directory (the port cache is STATE/ports)")
	flags.Usage = func() {
		fmt.Fprintln(io.err, "usage: zdial udev-role [--sysfs DIR] [--state-dir DIR] TTY")
		flags.PrintDefaults()
	}
	pos, code, ok := parseArgs(flags, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		flags.Usage()
		return exitUsage
	}
	db, err := modeswitch.Builtin() // the rule lists the built-in IDs only
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitOther
	}
	h := &modeswitch.Host{Sysfs: *sysRoot}
	u, err := h.TTYPort(db, filepath.Base(pos[0]))
	if errors.Is(err, modeswitch.ErrNoPort) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitOther
	}
	iface, cached, err := dialer.CachedPPPInterface(*stateDir, u.Device)
	if err != nil { // an unreadable cache: the database's roles still hold
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		cached = false
	}
	role := modeswitch.LinkRole(u.Port, iface, cached)
	if role == modeswitch.RoleNone {
		return exitOK
	}
	fmt.Fprintf(io.out, "ZDIAL_DEVICE=%s\nZDIAL_ROLE=%s\n", u.Device.LinkName(), role)
	return exitOK
}

package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"

	"github.com/zdial/zdial/carriers"
	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/profile"
	modeswitch "github.com/zdial/zdial/switch"
)

// parseArgs parses flags that may come before or after positional
// arguments (zdial three --port /dev/ttyUSB2 as well as zdial --port …
// three). When ok is false the command should return code at once: 0
// after -h, 2 after a bad flag (the flag package has said why).
func parseArgs(fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, exitOK, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("zdial "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if r, ok := stderr.(*helpRecorder); ok { // documenting the commands (helpdoc.go)
		r.record(fs)
	}
	return fs
}

// paths are the roots zdial touches on the host. Every one is a flag so
// tests and the lab can point zdial at fake trees.
type paths struct {
	config string
	// systemConfig is the system-wide config, read first; providerInfo is
	// mobile-broadband-provider-info's database ("" for none).
	systemConfig string
	providerInfo string
	lockDir      string
	stateDir     string
	runDir       string
	devRoot      string
	sysRoot      string
	procRoot     string
	// Mode switching (zdial PROFILE without --port, devices, switch, probe).
	modprobe      string
	modeswitchDir string
	modeswitchEtc string
	log           logFlags // --log-format (logging.go)
}

func (p *paths) register(fs *flag.FlagSet) {
	fs.StringVar(&p.config, "config", "", "config file read last, over /etc/zdial/zdial.yaml and (not as root) ~/.config/zdial/zdial.yaml")
	fs.StringVar(&p.systemConfig, "system-config", defaultSystemConfig, "system-wide config file, read first")
	fs.StringVar(&p.providerInfo, "provider-info", "/"+carriers.ProviderInfoPath, "mobile-broadband-provider-info database, read if installed (\"\" for none)")
	fs.StringVar(&p.lockDir, "lock-dir", "/var/lock", "directory for UUCP lock files (LCK..ttyUSB0)")
	fs.StringVar(&p.stateDir, "state-dir", defaultStateDir(), "directory for zdial's state (rejected PINs, port cache)")
	fs.StringVar(&p.devRoot, "dev", "/dev", "device directory")
	fs.StringVar(&p.sysRoot, "sysfs", "/sys", "sysfs root")
	fs.StringVar(&p.modprobe, "modprobe", "/sbin/modprobe", "modprobe, run only to load the option driver when it is missing")
	fs.StringVar(&p.modeswitchDir, "modeswitch-data", modeswitch.DataDir, "Debian usb-modeswitch-data directory (optional)")
	fs.StringVar(&p.modeswitchEtc, "modeswitch-etc", modeswitch.ConfigDir, "local usb_modeswitch configurations (optional)")
	p.log.register(fs)
	p.procRoot = "/proc"
}

// registerRunDir adds --run-dir for the commands that keep link records
// (run, up, down, status, ensure). `zdial switch` has its own --run-dir
// for its per-device locks, whose default depends on --sysfs.
func (p *paths) registerRunDir(fs *flag.FlagSet) {
	fs.StringVar(&p.runDir, "run-dir", "/run/zdial", "directory for link records and dial locks")
}

// detectOptions are the roots for finding and switching the dongle.
func (p *paths) detectOptions() dialer.DetectOptions {
	return dialer.DetectOptions{SysfsRoot: p.sysRoot, Modprobe: p.modprobe,
		ModeswitchDataDir: p.modeswitchDir, ModeswitchEtcDir: p.modeswitchEtc}
}

// configFiles returns the config files to read, in order: the
// system-wide file, the user's own (never as root: root reads only root's
// files, whatever $HOME or $XDG_CONFIG_HOME say, since sudo -E keeps
// them), then --config, which must exist.
func (p *paths) configFiles() []profile.File {
	system := p.systemConfig
	if system == "" { // paths made without register
		system = defaultSystemConfig
	}
	files := []profile.File{{Path: system}}
	if os.Geteuid() != 0 {
		if dir, err := os.UserConfigDir(); err == nil {
			files = append(files, profile.File{Path: filepath.Join(dir, "zdial", "zdial.yaml")})
		}
	}
	if p.config != "" {
		files = append(files, profile.File{Path: p.config, Required: true})
	}
	return files
}

// defaultSystemConfig is the system-wide config file.
const defaultSystemConfig = "/etc/zdial/zdial.yaml"

func defaultStateDir() string {
	if os.Geteuid() == 0 {
		return "/var/lib/zdial"
	}
	if dir := os.Getenv("XDG_STATE_HOME"); dir != "" {
		return filepath.Join(dir, "zdial")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "zdial")
	}
	return ""
}

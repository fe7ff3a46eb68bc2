package pppctl

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// DryRun returns the command line Start would run for cfg, program name
// first, for `zdial --dry-run`. It starts nothing and writes nothing: the
// options file path, when that method would be used, is shown as a
// pattern. The password cannot appear (Start never puts it in argv);
// should any word contain it anyway, the word is masked.
func DryRun(cfg Config) ([]string, error) {
	if err := cfg.Options.Validate(); err != nil {
		return nil, err
	}
	argv := append([]string{cfg.Binary}, Args(cfg.Options)...)
	argv = append(argv, "logfd", fmt.Sprint(logFD))
	if cfg.Options.Password != "" {
		if plugin, ok := findPlugin(cfg.PluginDir); ok {
			argv = append(argv, "plugin", plugin, "passwordfd", fmt.Sprint(passwordFD))
		} else {
			dir := cfg.TempDir
			if dir == "" {
				dir = os.TempDir()
			}
			argv = append(argv, "file", filepath.Join(dir, "zdial-pppd-*", "options"))
		}
	}
	if s := cfg.Options.Password.Reveal(); s != "" {
		for i, w := range argv {
			if strings.Contains(w, s) {
				argv[i] = Mask
			}
		}
	}
	return argv, nil
}

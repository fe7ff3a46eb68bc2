package pppctl

import (
	"fmt"
	"strings"
)

// DryRun returns the command line Start would run for cfg, program name
// first, for `zdial --dry-run`. It starts nothing and writes nothing.
// The password cannot appear (Start never puts it in argv);
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
			argv = append(argv, "file", passwordFile(passwordFD))
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

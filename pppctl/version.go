package pppctl

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
)

var versionRE = regexp.MustCompile(`pppd version (\S+)`)

// Version runs `BINARY --version` and returns pppd's version ("2.4.9").
// The passwordfd plugin is built per pppd version, so the plugin
// directory follows from it (see PluginDir).
func Version(ctx context.Context, binary string) (string, error) {
	cmd := exec.CommandContext(ctx, binary, "--version")
	cmd.Env = []string{}
	out, err := cmd.CombinedOutput() // 2.4 prints on stdout, 2.5 on stderr
	if m := versionRE.FindSubmatch(out); m != nil {
		return string(m[1]), nil
	}
	if err != nil {
		return "", fmt.Errorf("pppctl: %s --version: %w", binary, err)
	}
	return "", fmt.Errorf("pppctl: %s --version: no version in %q", binary, bytes.TrimSpace(out))
}

// PluginDir returns where pppd looks for plugins of a version: on Debian
// and most distributions LIBDIR/pppd/VERSION, with LIBDIR /usr/lib.
func PluginDir(libDir, version string) string {
	return filepath.Join(libDir, "pppd", version)
}

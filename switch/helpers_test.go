package modeswitch

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/zdial/zdial/internal/sysfstest"
)

// sysfsTree is a scenario under testdata/sysfs.
func sysfsTree(name string) string { return filepath.Join("..", "testdata", "sysfs", name) }

// copyTree copies a scenario (symlinks as symlinks) into a temp dir, so a
// test can let zdial write to it.
func copyTree(t *testing.T, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "sys")
	sysfstest.Copy(t, sysfsTree(name), dst)
	return dst
}

// snapshot maps every regular file and symlink under root to its content
// or "-> target", to diff a tree before and after an operation.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			m[rel] = "-> " + target
		case d.Type()&fs.ModeNamedPipe != 0:
			m[rel] = "(fifo)"
		case !d.IsDir():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			m[rel] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// diffTrees lists "path: before → after" for every changed, added or removed entry.
func diffTrees(a, b map[string]string) []string {
	var out []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			out = append(out, k+": removed")
		} else if v != w {
			out = append(out, k+": "+strings.TrimSpace(v)+" → "+strings.TrimSpace(w))
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k+": added")
		}
	}
	sort.Strings(out)
	return out
}

func mustBuiltin(t *testing.T) *DB {
	t.Helper()
	db, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// hostFor is a Host on a testdata tree and its first dongle.
func hostFor(t *testing.T, tree string) (*Host, Device) {
	t.Helper()
	h := &Host{Sysfs: sysfsTree(tree), Dev: "/dev"}
	gs, err := h.Dongles(mustBuiltin(t))
	if err != nil {
		t.Fatal(err)
	}
	return h, gs[0].Device
}

package sysfstest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"testing"
)

// Roots are a materialised snapshot's sysfs and /dev, for modeswitch.Host
// and the dialer's options.
type Roots struct {
	Sys string
	Dev string
}

// driverAttrs are the files the kernel gives a driver directory that zdial
// writes to; the capture lists driver directories, not their files.
// usb-serial's new_id is where BindSerial adds a device's ID to option.
var driverAttrs = map[string][]string{
	"bus/usb/drivers":        {"bind", "unbind"},
	"bus/usb-serial/drivers": {"new_id"},
}

// Materialise writes s as real files, directories and symlinks under
// sysRoot, and its device nodes as empty regular files under devRoot (""
// skips /dev). Both are created if missing. The order matters: entry links
// first, each with its target directory, because the capture lists an
// entry's contents through its link, as a reader of the real /sys sees them.
func (s *Snapshot) Materialise(sysRoot, devRoot string) error {
	if err := s.materialise(sysRoot, devRoot); err != nil {
		return fmt.Errorf("sysfstest: snapshot %s: %w", s.Name, err)
	}
	return nil
}

func (s *Snapshot) materialise(sysRoot, devRoot string) error {
	if err := os.MkdirAll(sysRoot, 0o755); err != nil {
		return err
	}
	for _, n := range s.Sys {
		if n.Type == Symlink && path.Dir(n.Path) == usbDevices {
			target := filepath.Join(sysRoot, filepath.FromSlash(path.Join(usbDevices, n.Data)))
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Join(sysRoot, usbDevices), 0o755); err != nil {
				return err
			}
			if err := symlink(n.Data, filepath.Join(sysRoot, filepath.FromSlash(n.Path))); err != nil {
				return err
			}
		}
	}
	for _, t := range []NodeType{Dir, File, Symlink} {
		for _, n := range s.Sys {
			if n.Type != t || (t == Symlink && path.Dir(n.Path) == usbDevices) {
				continue
			}
			if err := write(sysRoot, n); err != nil {
				return fmt.Errorf("line %d: %w", n.Line, err)
			}
		}
	}
	for _, n := range s.Sys {
		if n.Type != Dir {
			continue
		}
		for _, a := range driverAttrs[path.Dir(n.Path)] {
			// 0644, not the kernel's 0200, so a test can read back what was written.
			p := filepath.Join(sysRoot, filepath.FromSlash(n.Path), a)
			if err := os.WriteFile(p, nil, 0o644); err != nil {
				return err
			}
		}
	}
	if devRoot == "" {
		return nil
	}
	if err := os.MkdirAll(devRoot, 0o755); err != nil {
		return err
	}
	for _, n := range s.Dev {
		if err := write(devRoot, n); err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
	}
	return nil
}

// write creates one node under root, parents included. Parents are made
// with MkdirAll, which follows the entry links already in place.
func write(root string, n Node) error {
	p := filepath.Join(root, filepath.FromSlash(n.Path))
	if n.Type == Dir {
		return os.MkdirAll(p, 0o755)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	switch n.Type {
	case File:
		return os.WriteFile(p, []byte(n.Data), 0o644)
	case Symlink:
		return symlink(n.Data, p)
	case CharDev, BlockDev:
		// Not a device node: tests check that the node exists, never open
		// it, and mknod would need root.
		return os.WriteFile(p, nil, 0o600)
	}
	return fmt.Errorf("node type %d", n.Type)
}

// symlink makes link point at target; an identical link already there (a
// capture may list the same link twice) is fine.
func symlink(target, link string) error {
	err := os.Symlink(target, link)
	if errors.Is(err, fs.ErrExist) {
		if got, rerr := os.Readlink(link); rerr == nil && got == target {
			return nil
		}
	}
	return err
}

// Tree materialises snapshot name of the capture in file under a fresh
// t.TempDir() and returns its roots; any failure ends the test.
func Tree(t testing.TB, file, name string) Roots {
	t.Helper()
	snaps, err := ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Find(snaps, name)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r := Roots{Sys: filepath.Join(dir, "sys"), Dev: filepath.Join(dir, "dev")}
	if err := s.Materialise(r.Sys, r.Dev); err != nil {
		t.Fatal(err)
	}
	return r
}

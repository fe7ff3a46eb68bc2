package safefile

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// done runs f with a deadline, so that a regression that blocks (a FIFO
// opened without O_NONBLOCK) fails the test instead of hanging it.
func done(t *testing.T, f func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	finished := make(chan struct{})
	go func() { defer close(finished); f() }()
	select {
	case <-finished:
	case <-ctx.Done():
		t.Fatal("blocked: the open did not return")
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, []byte("root-only content"), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o666); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(secret, link); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, bytes.Repeat([]byte("x"), 129), 0o644); err != nil {
		t.Fatal(err)
	}
	exact := filepath.Join(dir, "exact")
	if err := os.WriteFile(exact, bytes.Repeat([]byte("y"), 128), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		path string
		want error
	}{
		{"fifo", fifo, ErrNotRegular},
		{"symlink to a file", link, ErrNotRegular},
		{"symlink to /dev/zero", zero, ErrNotRegular},
		{"directory", dir, ErrNotRegular},
		{"device", "/dev/null", ErrNotRegular},
		{"too large", big, ErrTooLarge},
		{"missing", filepath.Join(dir, "nope"), os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			done(t, func() { _, err = ReadFile(tt.path, 128) })
			if !errors.Is(err, tt.want) {
				t.Fatalf("ReadFile(%s) = %v, want %v", tt.path, err, tt.want)
			}
			if strings.Contains(err.Error(), "root-only") {
				t.Errorf("error shows the content of the file behind the link: %v", err)
			}
		})
	}
	b, err := ReadFile(exact, 128)
	if err != nil || len(b) != 128 {
		t.Fatalf("ReadFile(exact) = %d bytes, %v; want 128, nil", len(b), err)
	}
}

func TestTrusted(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to chown")
	}
	root := t.TempDir() // 0700 root, inside sticky /tmp
	etc := filepath.Join(root, "etc")
	if err := os.Mkdir(etc, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, mode os.FileMode, uid int) string {
		p := filepath.Join(etc, name)
		if err := os.WriteFile(p, []byte("x"), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(p, uid, 0); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.yaml", 0o600, 0)
	worldw := write("worldw.yaml", 0o646, 0)
	groupw := write("groupw.yaml", 0o664, 0)
	users := write("user.yaml", 0o644, 1000)
	linkToUsers := filepath.Join(etc, "link.yaml")
	if err := os.Symlink(users, linkToUsers); err != nil {
		t.Fatal(err)
	}
	open := filepath.Join(root, "open")
	if err := os.Mkdir(open, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(open, 0o777)
	inOpen := filepath.Join(open, "a.yaml")
	if err := os.WriteFile(inOpen, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}

	rootOnly := Owner{UID: 0}
	user := Owner{UID: 1000}
	tests := []struct {
		name  string
		owner Owner
		path  string
		ok    bool
		at    string // the path the error blames
	}{
		{"root's file for root", rootOnly, good, true, ""},
		{"root's file for a user", user, good, true, ""},
		{"world-writable", rootOnly, worldw, false, worldw},
		{"group-writable", rootOnly, groupw, false, groupw},
		{"a user's file for root", rootOnly, users, false, users},
		{"a user's file for that user", user, users, true, ""},
		{"a link to a user's file", rootOnly, linkToUsers, false, users},
		{"in a world-writable directory", rootOnly, inOpen, false, open},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.owner.Trusted(tt.path)
			if tt.ok {
				if err != nil {
					t.Fatalf("Trusted(%s) = %v, want nil", tt.path, err)
				}
				return
			}
			var ue *UntrustedError
			if !errors.As(err, &ue) || !errors.Is(err, ErrUntrusted) {
				t.Fatalf("Trusted(%s) = %v, want an *UntrustedError", tt.path, err)
			}
			if ue.Path != tt.at {
				t.Errorf("blames %s, want %s", ue.Path, tt.at)
			}
			if !strings.Contains(err.Error(), "fix: ch") {
				t.Errorf("error gives no fix: %v", err)
			}
		})
	}

	exe := write("prog", 0o755, 0)
	if err := rootOnly.TrustedExecutable(exe); err != nil {
		t.Errorf("TrustedExecutable(root's 0755 file) = %v", err)
	}
	if err := rootOnly.TrustedExecutable(good); err == nil {
		t.Error("TrustedExecutable(a 0600 file) = nil, want an error")
	}

	// A program in a sticky directory others can write to: fine to run now,
	// not to write down for later (whoever creates the path once it is gone
	// has root run it). The innermost such directory is blamed.
	sticky := filepath.Join(root, "sticky")
	if err := os.Mkdir(sticky, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(sticky, os.ModeSticky|0o777)
	prog := filepath.Join(sticky, "prog")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := rootOnly.TrustedExecutable(prog); err != nil {
		t.Errorf("TrustedExecutable(root's program in a sticky directory) = %v", err)
	}
	var ue *UntrustedError
	if err := rootOnly.TrustedForLater(prog); !errors.As(err, &ue) || ue.Path != sticky || !strings.Contains(err.Error(), "/usr/local/sbin") {
		t.Errorf("TrustedForLater(program in %s) = %v, want an *UntrustedError blaming it, with a fix", sticky, err)
	}
	if err := rootOnly.TrustedForLater(worldw); !errors.As(err, &ue) || ue.Path != worldw {
		t.Errorf("TrustedForLater(a world-writable file) = %v, want it blamed", err)
	}
}

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "state.json")
	if err := WriteAtomic(p, []byte("one"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(p, []byte("two"), 0o640); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil || string(b) != "two" {
		t.Fatalf("read back %q, %v", b, err)
	}
	fi, _ := os.Stat(p)
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", fi.Mode().Perm())
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
}

func TestPrivateDir(t *testing.T) {
	base := t.TempDir()
	state := filepath.Join(base, "var", "lib", "zdial")
	if err := PrivateDir(state); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(state)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("state dir mode %v, %v; want 0700", fi.Mode().Perm(), err)
	}
	// Made 0755 by an older zdial: tightened.
	if err := os.Chmod(state, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := PrivateDir(state); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(state); fi.Mode().Perm() != 0o700 {
		t.Errorf("0755 dir left at %v, want 0700", fi.Mode().Perm())
	}
	// A link planted where the directory should be: refused, not followed.
	elsewhere := t.TempDir()
	link := filepath.Join(base, "planted")
	if err := os.Symlink(elsewhere, link); err != nil {
		t.Fatal(err)
	}
	if err := PrivateDir(link); !errors.Is(err, ErrNotRegular) {
		t.Errorf("PrivateDir(symlink) = %v, want ErrNotRegular", err)
	}
	if os.Geteuid() == 0 {
		foreign := filepath.Join(base, "foreign")
		if err := os.Mkdir(foreign, 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(foreign, 1000, 1000); err != nil {
			t.Fatal(err)
		}
		if err := PrivateDir(foreign); !errors.Is(err, ErrUntrusted) {
			t.Errorf("PrivateDir(another user's dir) = %v, want ErrUntrusted", err)
		}
	}
}

func TestOpenLock(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.lock")
	f, err := OpenLock(p, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	fifo := filepath.Join(dir, "fifo.lock")
	syscall.Mkfifo(fifo, 0o600)
	link := filepath.Join(dir, "link.lock")
	os.Symlink(p, link)
	for _, bad := range []string{fifo, link, dir} {
		var err error
		done(t, func() { _, err = OpenLock(bad, 0o600) })
		if !errors.Is(err, ErrNotRegular) {
			t.Errorf("OpenLock(%s) = %v, want ErrNotRegular", bad, err)
		}
	}
}

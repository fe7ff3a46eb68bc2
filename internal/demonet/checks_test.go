package demonet

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/zdial/zdial/internal/safefile"
)

func TestLiveDecision(t *testing.T) {
	errNS := errors.New("unshare: operation not permitted")
	for _, tc := range []struct {
		name     string
		euid     int
		devPPP   error
		pppd     error
		isolate  error
		wantPPPD string
		why      string // a substring of the one-line reason; "" when usable
	}{
		{name: "usable", wantPPPD: "/usr/sbin/pppd"},
		{name: "not root", euid: 1000, why: "not running as root"},
		{name: "not root wins over everything", euid: 1000, devPPP: fs.ErrNotExist, pppd: fs.ErrNotExist, isolate: errNS, why: "not running as root"},
		{name: "kernel without PPP", devPPP: fs.ErrNotExist, why: "no /fake/dev/ppp (kernel without PPP support)"},
		{name: "/dev/ppp unreadable", devPPP: fs.ErrPermission, why: "/fake/dev/ppp: permission denied"},
		{name: "no PPP before no pppd", devPPP: fs.ErrNotExist, pppd: fs.ErrNotExist, why: "kernel without PPP"},
		{name: "pppd not installed", pppd: fs.ErrNotExist, why: "pppd not installed"},
		{name: "pppd not root's", pppd: fmt.Errorf("pppd binary refused: %w", &safefile.UntrustedError{File: "/opt/pppd", Path: "/opt/pppd", Reason: "owned by uid 1000", Fix: "chown root /opt/pppd"}),
			why: "pppd binary refused: /opt/pppd is owned by uid 1000"},
		{name: "no namespaces", isolate: errNS, why: "cannot make a private network namespace for it (unshare: operation not permitted)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var asked []string
			c := Checks{
				euid:    func() int { return tc.euid },
				devRoot: "/fake/dev",
				stat: func(p string) error {
					asked = append(asked, p)
					return tc.devPPP
				},
				findPPPD: func() (string, error) {
					if tc.pppd != nil {
						return "", tc.pppd
					}
					return "/usr/sbin/pppd", nil
				},
				isolate: func() error { return tc.isolate },
			}
			pppd, why := c.Decide()
			if pppd != tc.wantPPPD {
				t.Errorf("pppd = %q, want %q", pppd, tc.wantPPPD)
			}
			if tc.why == "" && why != "" || !strings.Contains(why, tc.why) {
				t.Errorf("why = %q, want %q", why, tc.why)
			}
			if strings.Contains(why, "\n") {
				t.Errorf("reason is not one line: %q", why)
			}
			if tc.euid == 0 && (len(asked) != 1 || asked[0] != "/fake/dev/ppp") {
				t.Errorf("stat asked %q, want the dev root's ppp", asked)
			}
		})
	}
}

// TestIsolation runs a child process from the isolated thread and checks
// that it is in another network namespace and sees the private directory
// empty, while the host keeps its own; skipped where namespaces cannot
// be made (not root, or a container that forbids them).
func TestIsolation(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/options", []byte("host\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	iso := Isolation{Private: []string{dir, dir + "/../" + lastElem(dir), "/nonexistent-zdial-demo"}}
	if err := iso.Probe(); err != nil {
		t.Skipf("no namespaces here: %v", err)
	}
	hostNS, err := os.Readlink("/proc/self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	var childNS, childLs string
	err = iso.Run(t.Context(), func(ctx context.Context) error {
		out, err := exec.CommandContext(ctx, "/bin/sh", "-c", "readlink /proc/self/ns/net; ls -A "+dir).Output()
		if err != nil {
			return err
		}
		childNS, childLs, _ = strings.Cut(strings.TrimSpace(string(out))+"\n", "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if childNS == "" || childNS == hostNS {
		t.Errorf("child's network namespace %q, host's %q: want a different one", childNS, hostNS)
	}
	if strings.TrimSpace(childLs) != "" {
		t.Errorf("private dir not empty in the isolation: %q", childLs)
	}
	if b, err := os.ReadFile(dir + "/options"); err != nil || string(b) != "host\n" {
		t.Errorf("host's view of the private dir changed: %q, %v", b, err)
	}
	if ns, _ := os.Readlink("/proc/self/ns/net"); ns != hostNS {
		t.Errorf("this process's namespace changed to %q", ns)
	}
}

func lastElem(p string) string { return p[strings.LastIndex(p, "/")+1:] }

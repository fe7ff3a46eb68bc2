package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/hooks"
	"github.com/zdial/zdial/internal/safefile"
)

// runPeer prints (or installs) the pppd peers file through which pppd's
// own tools dial a profile with zdial:
//
//	zdial peer three                  print /etc/ppp/peers/three
//	zdial peer --install three        write it (atomically, 0644)
//
// then `pon three`, `pppd call three`, or in /etc/network/interfaces
// `iface ppp0 inet ppp` with `provider three`. The file names the modem's
// port (from --port, the profile, or the /dev/serial/by-id name of the
// port zdial dialed on last) and runs `zdial chat PROFILE` as
// pppd's connect program, by the absolute path of this zdial, which must
// be installed: root-owned, in a directory only root can write, not a
// temporary build. No secret goes into the file (hooks.PeerFile).
func runPeer(_ context.Context, args []string, io stdio) int {
	fs := newFlagSet("peer", io.err)
	var p paths
	p.register(fs)
	port := fs.String("port", "", "the modem's port (default: the profile's); a stable name from /dev/serial/by-id survives replugging")
	install := fs.Bool("install", false, "write the file instead of printing it")
	peersDir := fs.String("peers-dir", "/etc/ppp/peers", "pppd's peers directory")
	self := fs.String("zdial", "", "the zdial pppd runs (default: this one)")
	fs.Usage = func() {
		fmt.Fprintln(io.err, "usage: zdial peer [--install] [--port PORT] [--config FILE] PROFILE")
		fs.PrintDefaults()
	}
	pos, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	name := pos[0]
	if err := hooks.ValidProfileName(name); err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitUsage
	}
	prof, code := loadProfile(&p, name, io)
	if code != exitOK {
		return code
	}
	peer := hooks.Peer{Profile: name, Port: *port, Options: dialer.PPPOptions(prof)}
	if peer.Port == "" {
		peer.Port = prof.Port
	}
	if peer.Port == "" {
		// The port discovery chose last, by its udev name.
		stable, err := dialer.StablePort(p.stateDir, p.devRoot)
		if err != nil {
			fmt.Fprintf(io.err, "zdial: profile %s names no port and %v: give --port, e.g. a name under /dev/serial/by-id (zdial devices lists the ports)\n", name, err)
			return exitUsage
		}
		peer.Port = stable
	}
	if p.config != "" {
		abs, err := filepath.Abs(p.config)
		if err != nil {
			fmt.Fprintln(io.err, "zdial:", forPeople(err))
			return exitUsage
		}
		peer.Config = abs
	}
	exe, code := installedZdial(*self, "peer", io)
	if code != exitOK {
		return code
	}
	peer.Zdial = exe
	text, err := hooks.PeerFile(peer)
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitUsage
	}
	if prof.Password != "" {
		fmt.Fprintf(io.err, "zdial: profile %s has a password; it is not in the peers file: put it in /etc/ppp/pap-secrets (or chap-secrets), mode 0600, as: %q * \"PASSWORD\"\n", name, prof.Username)
	}
	if !*install {
		fmt.Fprint(io.out, text)
		return exitOK
	}
	return installFile(filepath.Join(*peersDir, name), text, "peer "+name, io)
}

// installedZdial is the zdial a hook will run as root: path, or this
// executable. It must be an installed program, as checkRuleBinary says:
// root-owned, in directories only root can write, and not under the
// temporary directory, where `go run` and `go test` leave binaries that
// vanish.
func installedZdial(path, cmd string, io stdio) (string, int) {
	if path == "" {
		exe, err := zdialPath()
		if err != nil {
			fmt.Fprintln(io.err, "zdial: cannot tell where this zdial is installed:", err)
			return "", exitOther
		}
		path = exe
	}
	if err := checkRuleBinary("/", path); err != nil { // the error names the path
		fmt.Fprintf(io.err, "zdial: %v; a hook runs zdial as root, so it must be installed: install -o root -m 0755 %s /usr/local/bin/zdial && /usr/local/bin/zdial %s ...\n",
			err, path, cmd)
		return "", exitUsage
	}
	return path, exitOK
}

// installFile writes text to path atomically, mode 0644, creating the
// directory, and says so: an install is run by a person.
func installFile(path, text, what string, io stdio) int {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitOther
	}
	if err := safefile.WriteAtomic(path, []byte(text), 0o644); err != nil {
		if errors.Is(err, fs.ErrPermission) {
			fmt.Fprintf(io.err, "zdial: %v: installing needs root (sudo zdial %s --install)\n", err, what)
		} else {
			fmt.Fprintln(io.err, "zdial:", forPeople(err))
		}
		return exitOther
	}
	fmt.Fprintln(io.out, "wrote", path)
	return exitOK
}

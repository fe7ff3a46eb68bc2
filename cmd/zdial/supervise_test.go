package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zdial/zdial/internal/fakepppd"
	"github.com/zdial/zdial/internal/linkstate"
	"golang.org/x/sys/unix"
)

// The supervisor's commands through the CLI, against a simulated modem on
// a pty and the fake pppd; `zdial up` re-executes this test binary as
// `zdial run` (TestMain, cliEnv).

// loLog is pppd's log for a link on the loopback interface: ensure's
// health check (the interface is up and holds the link's address) then
// passes on any machine, with no PPP in the kernel.
var loLog = []string{
	"Using interface lo",
	"Connect: lo <--> {tty}",
	"local  IP address 127.0.0.1",
	"remote IP address 10.64.64.64",
	"primary   DNS address 127.0.0.53",
}

// supervised sets up one test's world: a simulated MF622, a fake pppd
// that stays up until SIGTERM, a run directory, and a `zdial down` at the
// end so no supervisor outlives the test.
type supervised struct {
	dir, runDir, port, pppd string
	record                  func() fakepppd.Record
}

func newSupervised(t *testing.T, persona string, spec fakepppd.Spec) *supervised {
	t.Helper()
	t.Setenv(cliEnv, "1")
	s := &supervised{dir: t.TempDir()}
	s.runDir = filepath.Join(s.dir, "run")
	if persona != "" {
		_, s.port = simPort(t, persona, nil)
	}
	spec.TTY = s.port
	if spec.Log == nil {
		spec.Log = loLog
	}
	s.pppd, s.record = fakepppd.Install(t, spec)
	t.Cleanup(func() { zdial(t, "down", "--run-dir", s.runDir, "three") })
	return s
}

// args are the flags that up, run and ensure share, then the command's own.
func (s *supervised) args(t *testing.T, cmd string, more ...string) []string {
	a := append([]string{cmd}, baseArgs(t, s.dir)...)
	a = append(a, "--run-dir", s.runDir, "--port", s.port, "--pppd", s.pppd)
	return append(a, more...)
}

func (s *supervised) linkDir() linkstate.Dir { return linkstate.Dir{Path: s.runDir, ProcRoot: "/proc"} }

func (s *supervised) read(t *testing.T, name string) linkstate.Record {
	t.Helper()
	r, err := s.linkDir().Read(name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (s *supervised) alive(p linkstate.Process) bool {
	ok, _ := s.linkDir().Alive(p)
	return ok
}

func TestUpStatusDown(t *testing.T) {
	s := newSupervised(t, "zte-mf622", fakepppd.Spec{Mode: fakepppd.ModeTerm})
	code, stdout, stderr := zdial(t, s.args(t, "up", "three")...)
	if code != exitOK {
		t.Fatalf("up: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if stdout != "" || stderr != "" {
		t.Errorf("up is not quiet on success:\n%s%s", stdout, stderr)
	}
	rec := s.read(t, "three")
	if rec.State != linkstate.StateUp || rec.IP.String() != "127.0.0.1" || rec.Interface != "lo" ||
		rec.Port != s.port || rec.Operator == "" || !s.alive(rec.Supervisor) || !s.alive(rec.PPPD) {
		t.Fatalf("record after up: %+v", rec)
	}
	if rec.Supervisor.PID == os.Getpid() {
		t.Fatal("the supervisor is the test process, not a detached child")
	}
	if log, err := os.ReadFile(filepath.Join(s.runDir, "three.log")); err != nil || !strings.Contains(string(log), "link up: lo 127.0.0.1") {
		t.Errorf("supervisor log (%v):\n%s", err, log)
	}

	code, stdout, stderr = zdial(t, "status", "--run-dir", s.runDir, "--json")
	if code != exitOK {
		t.Fatalf("status: exit %d: %s", code, stderr)
	}
	var st []linkStatus
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, stdout)
	}
	if len(st) != 1 || st[0].Stale || !st[0].PPPDAlive || st[0].State != linkstate.StateUp ||
		st[0].Supervisor != rec.Supervisor || st[0].PPPD != rec.PPPD || st[0].IP != rec.IP || st[0].RxBytes == nil {
		t.Errorf("status --json = %s\nrecord %+v", stdout, rec)
	}
	code, stdout, _ = zdial(t, "status", "--run-dir", s.runDir, "three")
	if code != exitOK || !strings.Contains(stdout, "three: up for") || !strings.Contains(stdout, "lo 127.0.0.1") {
		t.Errorf("status three: exit %d\n%s", code, stdout)
	}

	code, stdout, stderr = zdial(t, "down", "--run-dir", s.runDir, "three")
	if code != exitOK || stdout != "" || stderr != "" {
		t.Fatalf("down: exit %d\n%s%s", code, stdout, stderr)
	}
	if s.alive(rec.Supervisor) || s.alive(rec.PPPD) {
		t.Errorf("after down: supervisor alive %v, pppd alive %v", s.alive(rec.Supervisor), s.alive(rec.PPPD))
	}
	if after := s.read(t, "three"); after.State != linkstate.StateStopped {
		t.Errorf("record after down: %+v", after)
	}
	code, _, stderr = zdial(t, "down", "--run-dir", s.runDir, "three")
	if code != exitOK || !strings.Contains(stderr, "not running") {
		t.Errorf("down twice: exit %d, %q", code, stderr)
	}
	code, stdout, _ = zdial(t, "status", "--run-dir", s.runDir, "three")
	if code != exitOK || !strings.Contains(stdout, "stopped (stale") {
		t.Errorf("status after down: exit %d\n%s", code, stdout)
	}
}

// kill -9 of the supervisor leaves a record that status marks stale and
// that neither blocks nor confuses the next ensure; kill -9 of pppd makes
// the supervisor redial.
func TestKill9LeavesNoStaleState(t *testing.T) {
	s := newSupervised(t, "zte-mf622", fakepppd.Spec{Mode: fakepppd.ModeTerm})
	if code, _, stderr := zdial(t, s.args(t, "up", "three")...); code != exitOK {
		t.Fatalf("up: exit %d: %s", code, stderr)
	}
	first := s.read(t, "three")

	kill9(t, first.PPPD.PID)
	// The supervisor notices at once (pppd's exit) and redials after ~1 s;
	// ensure waits for that outcome rather than dialling itself.
	code, _, stderr := zdial(t, s.args(t, "ensure", "three")...)
	if code != exitOK {
		t.Fatalf("ensure after kill -9 of pppd: exit %d: %s", code, stderr)
	}
	second := s.read(t, "three")
	if second.Supervisor != first.Supervisor || second.PPPD == first.PPPD || second.Reconnects != 1 || !s.alive(second.PPPD) {
		t.Fatalf("after kill -9 of pppd:\nbefore %+v\nafter  %+v", first, second)
	}

	kill9(t, second.Supervisor.PID)
	code, stdout, _ := zdial(t, "status", "--run-dir", s.runDir, "--json")
	var st []linkStatus
	json.Unmarshal([]byte(stdout), &st)
	if code != exitOK || len(st) != 1 || !st[0].Stale {
		t.Fatalf("status after kill -9 of the supervisor: exit %d\n%s", code, stdout)
	}
	code, _, stderr = zdial(t, s.args(t, "ensure", "three")...)
	if code != exitOK {
		t.Fatalf("ensure after kill -9 of the supervisor: exit %d: %s", code, stderr)
	}
	third := s.read(t, "three")
	if third.Supervisor == second.Supervisor || !s.alive(third.Supervisor) || s.alive(second.PPPD) {
		t.Errorf("after kill -9 of the supervisor and ensure:\nbefore %+v\nafter  %+v", second, third)
	}
}

// kill9 sends pid SIGKILL and waits until it has died.
func kill9(t *testing.T, pid int) {
	t.Helper()
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if err := unix.PidfdSendSignal(fd, unix.SIGKILL, nil, 0); err != nil {
		t.Fatal(err)
	}
	if err := waitExit(t.Context(), fd); err != nil {
		t.Fatal(err)
	}
}

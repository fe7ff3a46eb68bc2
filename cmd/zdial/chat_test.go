package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zdial/zdial/internal/modemsim"
)

// TestHelperZdial is not a test: re-executed by zdialOnTTY with
// ZDIAL_HELPER=1, it is the zdial binary, with its real stdin and stdout.
func TestHelperZdial(t *testing.T) {
	if os.Getenv("ZDIAL_HELPER") != "1" {
		t.Skip("helper process")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(run(context.Background(), args, stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}))
}

// zdialOnTTY runs zdial as pppd would run its connect program: the tty on
// stdin and stdout.
// Its working directory holds files named like the profiles, which must
// change nothing.
func zdialOnTTY(t *testing.T, tty string, env []string, args ...string) (int, string) {
	t.Helper()
	f, err := os.OpenFile(tty, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], append([]string{"-test.run=^TestHelperZdial$", "--", "chat"}, args...)...)
	cmd.Env = append(append(os.Environ(), "ZDIAL_HELPER=1"), env...)
	cmd.Stdin, cmd.Stdout = f, f
	cmd.Dir = t.TempDir()
	for _, name := range []string{"three", "home", "work3"} {
		if err := os.WriteFile(filepath.Join(cmd.Dir, name), []byte("'' NEVER\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stderr := readAll(out)
	cmd.Wait()
	if ctx.Err() != nil {
		t.Fatalf("zdial %q hit the watchdog; stderr:\n%s", args, stderr)
	}
	return cmd.ProcessState.ExitCode(), stderr
}

func readAll(r interface{ Read([]byte) (int, error) }) string {
	var b []byte
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		b = append(b, buf[:n]...)
		if err != nil {
			return string(b)
		}
	}
}

func TestChatAsConnectProgram(t *testing.T) {
	noCarrier := func(p *modemsim.Persona) { p.Dial.Result = modemsim.Result("NO CARRIER") }
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".config", "zdial"), 0o700)
	// zdial chat PROFILE dials as zdial PROFILE does: cid 3 dials context 3.
	config := "profiles:\n  work3: {apn: internet, cid: 3}\n"
	if err := os.WriteFile(filepath.Join(home, ".config", "zdial", "zdial.yaml"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	// A config named with --config, holding a profile "home".
	other := filepath.Join(t.TempDir(), "vans.yaml")
	if err := os.WriteFile(other, []byte("profiles:\n  home: {inherits: three, cid: 2}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	minimal, err := filepath.Abs("../../chat/testdata/scripts/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_STATE_HOME=" + filepath.Join(home, "state")}
	for _, tc := range []struct {
		name   string
		edit   func(*modemsim.Persona)
		args   []string
		want   int
		inCall bool
		dialed string // the modem's ATD command, if checked
	}{
		{"chat(8) script", nil, []string{"-t", "5", "", "AT", "OK", "ATD*99#", "CONNECT"}, 0, true, ""},
		{"chat(8) second ABORT", noCarrier, []string{"-t", "5", "ABORT", "BUSY", "ABORT", "NO\\sCARRIER", "", "ATD*99#", "CONNECT"}, 5, false, ""},
		{"chat(8) timeout", nil, []string{"-t", "1", "", "AT", "NEVER"}, 3, false, ""},
		{"chat(8) inline '' AT OK", nil, []string{"", "AT", "OK"}, 0, false, ""},
		{"chat(8) one word after --", nil, []string{"-t", "1", "--", "NEVER"}, 3, false, ""},
		{"YAML script", nil, []string{minimal}, 0, true, ""},
		{"profile", nil, []string{"three"}, 0, true, "ATD*99#"},
		{"profile after -v", nil, []string{"-v", "three"}, 0, true, "ATD*99#"},
		{"profile with --config and -v", nil, []string{"--config", other, "-v", "home"}, 0, true, "ATD*99***2#"},
		{"explicit --profile", nil, []string{"--profile", "work3"}, 0, true, "ATD*99***3#"},
		{"profile not in --config", nil, []string{"--config", other, "work3"}, 1, false, ""},
		{"profile with cid 3", nil, []string{"work3"}, 0, true, "ATD*99***3#"},
		{"unknown profile", nil, []string{"thre"}, 1, false, ""},
		{"profile, NO CARRIER", noCarrier, []string{"three"}, 4, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if os.Geteuid() == 0 && tc.want == 0 && slices.Contains(args, "work3") {
				// As root zdial reads no per-user config, whatever HOME
				// says (issue 9 item 1): name the file.
				args = append([]string{"--config", filepath.Join(home, ".config", "zdial", "zdial.yaml")}, args...)
			}
			pty, _ := simPort(t, "zte-mf622", tc.edit)
			// As pppd does, keep the line open after the connect program
			// exits: the simulator hangs up when the last holder closes it.
			hold, err := os.OpenFile(pty.Path, os.O_RDWR|syscall.O_NOCTTY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer hold.Close()
			code, stderr := zdialOnTTY(t, pty.Path, env, args...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.want, stderr)
			}
			if pty.Sim.InCall() != tc.inCall {
				t.Errorf("simulator in call = %v, want %v", pty.Sim.InCall(), tc.inCall)
			}
			if tc.name == "unknown profile" && !strings.Contains(stderr, "zdial chat -- thre") {
				t.Errorf("no hint for a one-word chat(8) script:\n%s", stderr)
			}
			if rx := pty.Sim.Received(); tc.dialed != "" && !slices.Contains(rx, tc.dialed) {
				t.Errorf("the modem received %q, want %s among them", rx, tc.dialed)
			}
		})
	}
}

// TestChatProfileQuietUnlessFailing: as pppd's connect program, a
// profile's dial writes nothing on success, and on failure one record in
// the chosen format.
func TestChatProfileQuietUnlessFailing(t *testing.T) {
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_STATE_HOME=" + filepath.Join(home, "state")}
	for _, tc := range []struct {
		name string
		edit func(*modemsim.Persona)
		want int
	}{
		{"connects", nil, 0},
		{"NO CARRIER", func(p *modemsim.Persona) { p.Dial.Result = modemsim.Result("NO CARRIER") }, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pty, _ := simPort(t, "zte-mf622", tc.edit)
			hold, err := os.OpenFile(pty.Path, os.O_RDWR|syscall.O_NOCTTY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer hold.Close()
			code, stderr := zdialOnTTY(t, pty.Path, env, "--log-format", "json", "three")
			if code != tc.want {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.want, stderr)
			}
			if tc.want == 0 {
				if stderr != "" {
					t.Errorf("a successful dial wrote %q", stderr)
				}
				return
			}
			var rec struct {
				Level string `json:"level"`
				Msg   string `json:"msg"`
				Exit  int    `json:"exit_code"`
			}
			if err := json.Unmarshal([]byte(stderr), &rec); err != nil || rec.Level != "ERROR" || rec.Exit != tc.want || !strings.Contains(rec.Msg, "NO CARRIER") {
				t.Errorf("stderr is not one JSON error record (%v): %q", err, stderr)
			}
		})
	}
}

// pppd runs its connect program as root: a script file named on zdial
// chat's command line is read as a profile's script is — a FIFO does not
// hang it, another user's file is refused, a root-owned one runs.
func TestChatScriptFileIsReadSafely(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to chown")
	}
	_, port := simPort(t, "zte-mf622", nil)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.chat")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	users := filepath.Join(dir, "user.chat")
	os.WriteFile(users, []byte("'' AT OK\n"), 0o644)
	os.Chown(users, 1000, 1000)
	usersYAML := filepath.Join(dir, "user.yaml")
	os.WriteFile(usersYAML, []byte("steps:\n  - send: AT\n    expect: OK\n"), 0o644)
	os.Chown(usersYAML, 1000, 1000)
	good := filepath.Join(dir, "good.chat")
	os.WriteFile(good, []byte("'' AT OK\n"), 0o644)

	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"FIFO", []string{"-f", fifo}, 1, "not a regular file"},
		{"another user's chat(8) script", []string{"-f", users}, 1, "owned by uid 1000"},
		{"another user's YAML script", []string{usersYAML}, 1, "owned by uid 1000"},
		{"root's script", []string{"-f", good}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stderr := zdialOnTTY(t, port, nil, append([]string{"-s"}, tc.args...)...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.want)
			}
		})
	}
}

package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// bashComplete sources the generated script in bash and returns the
// words it offers for the command line words (the last is the word being
// completed).
type bashComplete struct {
	bash, script string
}

func newBashComplete(t *testing.T) bashComplete {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	code, out, errs := zdial(t, "completion", "bash")
	if code != exitOK {
		t.Fatalf("zdial completion bash: exit %d: %s", code, errs)
	}
	script := filepath.Join(t.TempDir(), "zdial")
	if err := os.WriteFile(script, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return bashComplete{bash, script}
}

// complete runs _zdial for each command line in lines and returns the
// offered words per line. One bash runs them all.
func (b bashComplete) complete(t *testing.T, lines ...[]string) [][]string {
	t.Helper()
	var prog strings.Builder
	prog.WriteString("set -u\nsource \"$1\"\n")
	for _, words := range lines {
		prog.WriteString("COMP_WORDS=(" + shellQuote(words) + ")\nCOMP_CWORD=" + strconv.Itoa(len(words)-1) + "\n_zdial\n")
		prog.WriteString("printf '%s ' \"${COMPREPLY[@]}\"; echo\n")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.bash, "--norc", "--noprofile", "-c", prog.String(), "bash", b.script)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("bash: %v\n%s", err, stderr.String())
	}
	out := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	if len(out) != len(lines) {
		t.Fatalf("bash printed %d lines for %d command lines:\n%s", len(out), len(lines), stdout.String())
	}
	got := make([][]string, len(out))
	for i, l := range out {
		got[i] = strings.Fields(l)
	}
	return got
}

// Every command completes from its prefix, and every flag a command's
// --help lists completes after that command (read from --help's text,
// not from the generator's own tables).
func TestCompletionHasEveryCommandAndFlag(t *testing.T) {
	b := newBashComplete(t)
	var lines [][]string
	var want []string
	for _, c := range commands() {
		lines = append(lines, []string{"zdial", c.name[:2]})
		want = append(want, c.name)
		for _, f := range helpFlags(t, c.name) {
			lines = append(lines, []string{"zdial", c.name, f[:len(f)-1]})
			want = append(want, f)
		}
	}
	got := b.complete(t, lines...)
	for i, w := range want {
		if !slices.Contains(got[i], w) {
			t.Errorf("%q: offers %q, not %s", lines[i], got[i], w)
		}
	}
}

func TestCompletion(t *testing.T) {
	b := newBashComplete(t)
	cases := []struct {
		words []string
		want  []string // exactly these, in bash's order
	}{
		{[]string{"zdial", "dev"}, []string{"devices"}},
		{[]string{"zdial", "devices", "--j"}, []string{"--json"}},
		{[]string{"zdial", "udev-rule", "--in"}, []string{"--install"}},
		// After a flag that takes a value bash completes files (-o default).
		{[]string{"zdial", "udev-rule", "--root", ""}, nil},
		{[]string{"zdial", "switch", "-sysfs", ""}, nil},
		{[]string{"zdial", "completion", ""}, []string{"bash"}},
		// Subcommands from the usage lines: zdial config check | show PROFILE.
		{[]string{"zdial", "config", ""}, []string{"check", "show"}},
		{[]string{"zdial", "config", "sh"}, []string{"show"}},
		{[]string{"zdial", "config", "--config", "f.yaml", ""}, []string{"check", "show"}},
		{[]string{"zdial", "config", "show", ""}, nil},
		{[]string{"zdial", "help", "switch", ""}, nil},
		// A placeholder is not a word to type: zdial peer … PROFILE.
		{[]string{"zdial", "peer", ""}, nil},
		{[]string{"zdial", "help", "inst"}, []string{"install-unit"}},
		// No command word: connect's flags (zdial --port … three).
		{[]string{"zdial", "--po"}, []string{"--port"}},
		{[]string{"zdial", "--port", "/dev/ttyUSB2", "--dr"}, []string{"--dry-run"}},
		// A flag of another command is not offered.
		{[]string{"zdial", "devices", "--bin"}, nil},
	}
	var lines [][]string
	for _, c := range cases {
		lines = append(lines, c.words)
	}
	got := b.complete(t, lines...)
	for i, c := range cases {
		if !slices.Equal(got[i], c.want) {
			t.Errorf("%q: offers %q, want %q", c.words, got[i], c.want)
		}
	}
}

func TestCompletionUsage(t *testing.T) {
	for _, args := range [][]string{{"completion"}, {"completion", "fish"}, {"completion", "bash", "zsh"}} {
		if code, out, _ := zdial(t, args...); code != exitUsage || out != "" {
			t.Errorf("zdial %q: exit %d, %q", args, code, out)
		}
	}
}

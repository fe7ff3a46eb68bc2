package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"reflect"
	"strings"
)

// The manual page (zdial help --man) and the shell completion (zdial
// completion bash) are generated from what --help prints, so the three
// cannot drift: each command in commands() is run with --help against a
// helpRecorder, which keeps the text the command prints and, through
// newFlagSet, the flag sets it registered.

// helpRecorder stands in for a command's stdout and stderr while it
// prints its --help. newFlagSet hands it every flag set it creates;
// PrintDefaults output goes to a side buffer, because the flags are read
// from the flag sets themselves.
type helpRecorder struct {
	text     bytes.Buffer // what the command printed itself: usage lines, notes
	defaults bytes.Buffer // flag.PrintDefaults output, not used
	sets     []*flag.FlagSet
}

func (r *helpRecorder) Write(p []byte) (int, error) { return r.text.Write(p) }

// record is called by newFlagSet for each flag set a command creates.
func (r *helpRecorder) record(fs *flag.FlagSet) {
	fs.SetOutput(&r.defaults)
	r.sets = append(r.sets, fs)
}

// cmdHelp is one command's --help, taken apart.
type cmdHelp struct {
	name, summary string
	// usage is what the command printed before its flags: the usage
	// line(s) and any notes ("usage: zdial devices [--json] ..."). A
	// command whose flag set has no Usage of its own prints nothing
	// here; synopsis then makes one up from its name.
	usage string
	flags []*flag.Flag // sorted by name, each once
}

// synopsis is the command's usage lines without "usage: ", or
// "zdial NAME [flags]".
func (h cmdHelp) synopsis() []string {
	var lines []string
	for _, l := range strings.Split(h.usage, "\n") {
		l = strings.TrimSpace(l)
		if rest, ok := strings.CutPrefix(l, "usage: "); ok {
			lines = append(lines, strings.TrimSpace(rest))
		} else if strings.HasPrefix(l, "zdial ") && len(lines) > 0 {
			lines = append(lines, l) // a continuation: another form
		}
	}
	for i, l := range lines { // drop the right-hand notes: "SCRIPT...   a chat(8) script"
		if before, _, ok := strings.Cut(l, "   "); ok {
			lines[i] = strings.TrimSpace(before)
		}
	}
	if len(lines) == 0 {
		flags := ""
		if len(h.flags) > 0 {
			flags = " [flags]"
		}
		lines = []string{"zdial " + h.name + flags}
	}
	return lines
}

// notes is what the usage text says besides the usage lines.
func (h cmdHelp) notes() string {
	var keep []string
	cont := false
	for _, l := range strings.Split(strings.TrimRight(h.usage, "\n"), "\n") {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "usage: "):
			cont = true
			continue
		case cont && strings.HasPrefix(t, "zdial "):
			continue
		}
		cont = false
		if t != "" {
			keep = append(keep, t)
		}
	}
	return strings.Join(keep, "\n")
}

// commandHelps runs every command's --help and returns them in the
// order of commands(). A command whose --help fails is an error: the
// manual would be missing it.
func commandHelps(ctx context.Context) ([]cmdHelp, error) {
	var out []cmdHelp
	for _, c := range commands() {
		h, err := commandHelp(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

func commandHelp(ctx context.Context, c command) (cmdHelp, error) {
	rec := &helpRecorder{}
	if code := c.run(ctx, []string{"--help"}, stdio{in: strings.NewReader(""), out: rec, err: rec}); code != exitOK {
		return cmdHelp{}, fmt.Errorf("zdial %s --help: exit %d: %s", c.name, code, strings.TrimSpace(rec.text.String()))
	}
	h := cmdHelp{name: c.name, summary: c.summary, usage: rec.text.String()}
	seen := map[string]bool{}
	for _, fs := range rec.sets {
		fs.VisitAll(func(f *flag.Flag) {
			if !seen[f.Name] {
				seen[f.Name] = true
				h.flags = append(h.flags, f)
			}
		})
	}
	return h, nil
}

// flagWord is how the docs and the completion write a flag: -v for a
// one-letter flag, --name otherwise (the flag package takes both).
func flagWord(f *flag.Flag) string {
	if len(f.Name) == 1 {
		return "-" + f.Name
	}
	return "--" + f.Name
}

// takesValue reports whether the flag needs an argument (not a bool).
func takesValue(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

// envDefaults are the defaults that depend on who runs zdial, which the
// manual states as a rule instead of the generating user's value.
var envDefaults = map[string]string{
	"state-dir": "/var/lib/zdial as root; otherwise $XDG_STATE_HOME/zdial or ~/.local/state/zdial",
}

// flagDefault is the default --help shows for f, or "" where it shows
// none (the type's zero value).
func flagDefault(f *flag.Flag) string {
	if d, ok := envDefaults[f.Name]; ok && f.DefValue == defaultStateDir() {
		return d
	}
	if isZeroDefault(f) {
		return ""
	}
	if kind, _ := flag.UnquoteUsage(f); kind == "string" {
		return fmt.Sprintf("%q", f.DefValue)
	}
	return f.DefValue
}

// isZeroDefault reports whether f's default is its type's zero value, as
// the flag package decides when it leaves "(default …)" out.
func isZeroDefault(f *flag.Flag) (zero bool) {
	if f.DefValue == "" {
		return true
	}
	t := reflect.TypeOf(f.Value)
	var z reflect.Value
	if t.Kind() == reflect.Pointer {
		z = reflect.New(t.Elem())
	} else {
		z = reflect.Zero(t)
	}
	v, ok := z.Interface().(flag.Value)
	if !ok {
		return false
	}
	defer func() { // a Value whose String needs its fields set
		if recover() != nil {
			zero = false
		}
	}()
	return f.DefValue == v.String()
}

// Command bench measures zdial against chat(8), wvdial and comgt on the
// simulated ZTE MF622, and writes the results to docs/bench.md and
// docs/faults.md. Run it as root from the repository's root:
//
//	go run ./bench              everything (speed, probing, resources, faults)
//	go run ./bench -quick       the same, shorter (N=3, 5 s idle sample)
//	go run ./bench speed        docs/bench.md only
//	go run ./bench faults       docs/faults.md only
//
// It installs the Debian packages of the other dialers when they are
// missing, builds zdial statically once, and drives every dialer through
// its real command line on a pty the simulator serves in this process.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are the command line.
type options struct {
	n          int
	quick      bool
	hold       time.Duration
	limit      time.Duration
	latencies  []time.Duration
	docs       string
	src        string
	zdial      string
	noInstall  bool
	what       string // all, speed, faults
	commandArg []string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := realMain(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseOptions(args []string, stderr io.Writer) (options, error) {
	o := options{commandArg: args}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.n, "n", 10, "runs per dialer and latency (interleaved)")
	fs.BoolVar(&o.quick, "quick", false, "short mode: -n 3, a 5 s idle sample, a 30 s hard limit per fault run (each unless given)")
	fs.DurationVar(&o.limit, "limit", 90*time.Second, "hard limit per run: then the dialer is killed and counted as hung")
	fs.DurationVar(&o.hold, "hold", 60*time.Second, "how long to sample zdial's CPU and wake-ups with the link up")
	lat := fs.String("latency", "0ms,20ms,50ms", "reply latencies, comma-separated")
	fs.StringVar(&o.docs, "docs", "docs", "where to write bench.md and faults.md")
	fs.StringVar(&o.src, "src", ".", "the zdial module to build")
	fs.StringVar(&o.zdial, "zdial", "", "use this zdial binary instead of building one")
	fs.BoolVar(&o.noInstall, "no-install", false, "do not apt-get missing dialers")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./bench [flags] [all|speed|faults]")
		fs.PrintDefaults()
	}
	set := map[string]bool{}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if o.quick {
		if !set["n"] {
			o.n = 3
		}
		if !set["hold"] {
			o.hold = 5 * time.Second
		}
		if !set["limit"] {
			o.limit = 30 * time.Second
		}
	}
	var err error
	if o.latencies, err = parseLatencies(*lat); err != nil {
		return o, err
	}
	switch rest := fs.Args(); len(rest) {
	case 0:
		o.what = "all"
	case 1:
		o.what = rest[0]
	default:
		return o, fmt.Errorf("one of all, speed, faults; got %q", rest)
	}
	if o.what != "all" && o.what != "speed" && o.what != "faults" {
		return o, fmt.Errorf("unknown part %q (all, speed, faults)", o.what)
	}
	if o.n < 1 {
		return o, fmt.Errorf("-n %d: want at least 1", o.n)
	}
	return o, nil
}

// parseLatencies reads "0ms,20ms,50ms"; a bare number is milliseconds.
func parseLatencies(s string) ([]time.Duration, error) {
	var out []time.Duration
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if _, err := strconv.Atoi(f); err == nil {
			f += "ms"
		}
		d, err := time.ParseDuration(f)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("-latency: bad latency %q", f)
		}
		out = append(out, d)
	}
	return out, nil
}

func realMain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, stderr)
	if err != nil {
		return err
	}
	if os.Geteuid() != 0 {
		fmt.Fprintln(stderr, "bench: not root: installing packages and wvdialconf's private /dev will fail")
	}
	if !o.noInstall {
		if err := ensureTools(ctx, stderr); err != nil {
			return err
		}
	}
	dir, err := os.MkdirTemp("", "zdial-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	m := machineInfo(ctx, o)
	bin := o.zdial
	if bin == "" {
		fmt.Fprintln(stderr, "building zdial (CGO_ENABLED=0)")
		if bin, m.size, m.strippedSize, err = buildZdial(ctx, o.src, dir); err != nil {
			return err
		}
	} else if st, err := os.Stat(bin); err == nil {
		m.size = st.Size()
	}
	e, err := newEnv(dir, bin, standardJob())
	if err != nil {
		return err
	}
	e.timeout = o.limit
	if err := os.MkdirAll(o.docs, 0o755); err != nil {
		return err
	}
	if o.what == "all" || o.what == "speed" {
		doc, err := benchDoc(ctx, e, o, m, stdout)
		if err != nil {
			return err
		}
		if err := writeDoc(filepath.Join(o.docs, "bench.md"), doc, stdout); err != nil {
			return err
		}
	}
	if o.what == "all" || o.what == "faults" {
		doc, err := faultsDoc(ctx, e, o, m, stdout)
		if err != nil {
			return err
		}
		if err := writeDoc(filepath.Join(o.docs, "faults.md"), doc, stdout); err != nil {
			return err
		}
	}
	return nil
}

func writeDoc(path, doc string, stdout io.Writer) error {
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwrote %s\n", path)
	return nil
}

// buildZdial builds the static zdial under test into dir, and a stripped
// one only to report its size.
func buildZdial(ctx context.Context, src, dir string) (bin string, size, stripped int64, err error) {
	bin = filepath.Join(dir, "zdial")
	small := filepath.Join(dir, "zdial-stripped")
	for _, b := range []struct {
		out   string
		extra []string
	}{{bin, nil}, {small, []string{"-ldflags=-s -w"}}} {
		args := append([]string{"build", "-trimpath", "-o", b.out}, b.extra...)
		cmd := exec.CommandContext(ctx, "go", append(args, "./cmd/zdial")...)
		cmd.Dir = src
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", 0, 0, fmt.Errorf("go build: %w\n%s", err, out)
		}
	}
	st, err := os.Stat(bin)
	if err != nil {
		return "", 0, 0, err
	}
	st2, err := os.Stat(small)
	if err != nil {
		return "", 0, 0, err
	}
	return bin, st.Size(), st2.Size(), nil
}

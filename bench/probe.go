package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// probePorts are the three simulated ports of the probing race, in order:
// a diagnostics port that never answers, a secondary AT port that cannot
// carry a call, and the modem port.
var probePorts = []struct{ persona, role string }{
	{"diag-silent", "silent"},
	{"aux-at", "AT, not PPP"},
	{"zte-mf622", "modem"},
}

// probeRow is one prober over its runs.
type probeRow struct {
	name, how string
	times     []time.Duration
	exit      int
	found     string // what it chose or reported, by role
	maxRSS    int64
	skipped   string // why it was not run
}

// nsScript runs wvdialconf in a private mount namespace whose /dev holds
// only the given ports as ttyUSB0…, the few nodes it needs and /dev/pts:
// wvdialconf scans /dev itself and cannot be pointed at other paths. The
// host's /dev is untouched (unshare -m, private propagation).
const nsScript = `set -e
d=$1; out=$2; shift 2
i=0
for p in "$@"; do : > "$d/ttyUSB$i"; mount --bind "$p" "$d/ttyUSB$i"; i=$((i+1)); done
for n in null zero tty urandom random; do : > "$d/$n"; mount --bind "/dev/$n" "$d/$n"; done
mkdir -p "$d/pts"; mount --rbind /dev/pts "$d/pts"
mount --rbind "$d" /dev
exec wvdialconf "$out"
`

// runProbe times `zdial probe P1 P2 P3` and wvdialconf on the same three
// fresh ports, n times each, interleaved.
func runProbe(ctx context.Context, e *env, n int, log io.Writer) ([]*probeRow, error) {
	zr := &probeRow{name: "zdial probe", how: "`zdial probe --json P1 P2 P3` (default --timeout 5s)"}
	wr := &probeRow{name: "wvdialconf", how: "`wvdialconf OUT` with the ports as /dev/ttyUSB0…2 in a private mount namespace"}
	if os.Geteuid() != 0 {
		wr.skipped = "needs root (a private mount namespace with its own /dev)"
	}
	for i := range n {
		for _, r := range []*probeRow{zr, wr} {
			if r.skipped != "" {
				continue
			}
			d, o, found, err := probeOnce(ctx, e, r == zr)
			if err != nil {
				return nil, err
			}
			r.times = append(r.times, d)
			r.exit, r.found = o.exit, found
			r.maxRSS = max(r.maxRSS, o.maxRSS)
			if r == wr && o.exit != 0 && strings.Contains(o.output, "unshare") {
				r.skipped = "unshare failed: " + lastLine(o.output)
			}
			fmt.Fprintf(log, "  run %d  %-12s %s  exit %d  %s\n", i+1, r.name, secs(d), o.exit, found)
		}
	}
	return []*probeRow{zr, wr}, nil
}

func probeOnce(ctx context.Context, e *env, zdial bool) (time.Duration, outcome, string, error) {
	var paths []string
	for _, pp := range probePorts {
		p, err := persona(pp.persona, 0)
		if err != nil {
			return 0, outcome{}, "", err
		}
		sim, err := startSim(ctx, p)
		if err != nil {
			return 0, outcome{}, "", err
		}
		defer sim.Close()
		paths = append(paths, sim.Path)
	}
	dir, err := e.runDir()
	if err != nil {
		return 0, outcome{}, "", err
	}
	defer os.RemoveAll(dir)
	var c child
	if zdial {
		c = child{argv: append([]string{e.zdial, "probe", "--json"}, paths...), timeout: e.timeout}
	} else {
		devDir := filepath.Join(dir, "dev")
		if err := os.Mkdir(devDir, 0o755); err != nil {
			return 0, outcome{}, "", err
		}
		argv := append([]string{"unshare", "-m", "--propagation", "private", "sh", "-c", nsScript, "sh", devDir, filepath.Join(dir, "wvdial.conf")}, paths...)
		c = child{argv: argv, timeout: e.timeout}
	}
	o, err := run(ctx, c, nil)
	if err != nil {
		return 0, o, "", err
	}
	if zdial {
		return o.elapsed(), o, zdialFound(o.output, paths), nil
	}
	return o.elapsed(), o, wvdialconfFound(o.output), nil
}

// zdialFound summarises zdial probe --json: each port's role as zdial saw it.
func zdialFound(out string, paths []string) string {
	var ports []struct {
		Port     string `json:"port"`
		AT       bool   `json:"at"`
		DataPort bool   `json:"data_port"`
	}
	if i := strings.Index(out, "["); i >= 0 {
		out = out[i:]
	}
	if err := json.Unmarshal([]byte(out), &ports); err != nil {
		return "unreadable JSON: " + lastLine(out)
	}
	var parts []string
	for _, p := range ports {
		role := "no answer"
		switch {
		case p.DataPort:
			role = "modem (data port)"
		case p.AT:
			role = "AT only"
		}
		parts = append(parts, fmt.Sprintf("%s → %s", roleOf(p.Port, paths), role))
	}
	return strings.Join(parts, "; ")
}

func roleOf(port string, paths []string) string {
	for i, p := range paths {
		if p == port {
			return probePorts[i].role
		}
	}
	return port
}

var wvFound = regexp.MustCompile(`Found an? (?:modem|[A-Za-z ]+) on /dev/ttyUSB(\d)`)
var wvInfo = regexp.MustCompile(`ttyUSB(\d)<Info>`)

// wvdialconfFound summarises wvdialconf's output: the ports it thought
// were modems and the one it wrote to its config.
func wvdialconfFound(out string) string {
	var modems []string
	for _, m := range wvInfo.FindAllStringSubmatch(out, -1) {
		modems = append(modems, probePorts[m[1][0]-'0'].role)
	}
	chosen := "none"
	if m := wvFound.FindStringSubmatch(out); m != nil {
		chosen = probePorts[m[1][0]-'0'].role
	}
	if len(modems) == 0 {
		return "no modem found; " + lastLine(out)
	}
	return fmt.Sprintf("modems: %s; configured: %s", strings.Join(modems, ", "), chosen)
}

func probeSection(rows []*probeRow) string {
	var b strings.Builder
	b.WriteString("\n## Port probing\n\n")
	b.WriteString("Three fresh simulated ports: a silent diagnostics port (persona diag-silent), a secondary\n")
	b.WriteString("AT port that cannot carry a call (aux-at) and the modem (zte-mf622). Wall time from\n")
	b.WriteString("process start to exit.\n\n")
	t := table{header: []string{"prober", "how", "runs", "median", "min–max (IQR), s", "exit", "found"},
		right: []bool{false, false, true, true, false, true, false}}
	var z time.Duration
	for _, r := range rows {
		if r.skipped != "" {
			t.add(r.name, r.how, "0", "–", "–", "–", "not run: "+r.skipped)
			continue
		}
		s := summarize(r.times)
		if z == 0 {
			z = s.Median
		}
		t.add(r.name, r.how, fmt.Sprint(s.N), secs(s.Median), spread(s), fmt.Sprint(r.exit), r.found)
	}
	b.WriteString(t.markdown())
	if len(rows) == 2 && rows[1].skipped == "" {
		fmt.Fprintf(&b, "\nzdial probe ÷ wvdialconf: %s.\n", ratio(z, summarize(rows[1].times).Median))
	}
	b.WriteString(`
zdial probes the ports in parallel and reports on all of them, so its time
is the silent port's deadline (--timeout); wvdialconf probes one port after
the other, trying three speeds on a silent one, and then re-tests the speed
of every port that answered. "found" is what each concluded: zdial tells the
data port from the AT-only one (ATO answers NO CARRIER only where a call can
be carried); wvdialconf configures the first port that answers AT.
`)
	return b.String()
}

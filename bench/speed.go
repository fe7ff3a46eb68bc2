package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// speedRow is one dialer at one latency.
type speedRow struct {
	d         dialer
	times     []time.Duration // process start → the simulator's CONNECT
	exchanges int             // command lines up to the dial (last run)
	failures  []string        // runs that did not reach CONNECT
	maxRSS    int64           // peak RSS over the runs, KiB
}

// speedResult is every dialer at one latency.
type speedResult struct {
	latency time.Duration
	rows    []*speedRow
}

// runSpeed runs each dialer n times per latency, interleaved (A B C A B C…),
// each run on a fresh simulated MF622, and times process start → CONNECT.
func runSpeed(ctx context.Context, e *env, dialers []dialer, latencies []time.Duration, n int, log io.Writer) ([]speedResult, error) {
	var results []speedResult
	for _, lat := range latencies {
		res := speedResult{latency: lat}
		for _, d := range dialers {
			res.rows = append(res.rows, &speedRow{d: d})
		}
		for i := range n {
			for _, row := range res.rows {
				if err := ctx.Err(); err != nil {
					return results, err
				}
				t, ex, o, err := timeConnect(ctx, e, row.d, lat)
				if err != nil {
					return results, fmt.Errorf("%s: %w", row.d.name, err)
				}
				row.exchanges = ex
				row.maxRSS = max(row.maxRSS, o.maxRSS)
				if t <= 0 {
					row.failures = append(row.failures, fmt.Sprintf("exit %d: %s", o.exit, lastLine(o.output)))
					fmt.Fprintf(log, "  %3d ms  run %d  %-13s no CONNECT (exit %d: %s)\n", lat.Milliseconds(), i+1, row.d.name, o.exit, lastLine(o.output))
					continue
				}
				row.times = append(row.times, t)
				fmt.Fprintf(log, "  %3d ms  run %d  %-13s %s  (%d exchanges, exit %d)\n", lat.Milliseconds(), i+1, row.d.name, secs(t), ex, o.exit)
			}
		}
		results = append(results, res)
	}
	return results, nil
}

// timeConnect runs d once against a fresh MF622 with reply latency lat.
func timeConnect(ctx context.Context, e *env, d dialer, lat time.Duration) (time.Duration, int, outcome, error) {
	p, err := persona("zte-mf622", lat)
	if err != nil {
		return 0, 0, outcome{}, err
	}
	sim, err := startSim(ctx, p)
	if err != nil {
		return 0, 0, outcome{}, err
	}
	defer sim.Close()
	dir, err := e.runDir()
	if err != nil {
		return 0, 0, outcome{}, err
	}
	defer os.RemoveAll(dir)
	c, err := d.child(e, sim.Path, dir)
	if err != nil {
		return 0, 0, outcome{}, err
	}
	o, err := run(ctx, c, nil)
	clearLock(filepath.Join("/var/lock", "LCK.."+filepath.Base(sim.Path)), false) // wvdial aborts without removing it
	if err != nil {
		return 0, 0, o, err
	}
	ex := exchanges(sim.Sim.Received())
	at := sim.connected()
	if at.IsZero() {
		return 0, ex, o, nil
	}
	return at.Sub(o.start), ex, o, nil
}

// speedTables renders one table per latency: median and spread per dialer,
// and zdial's ratio to each (below 1: zdial is faster).
func speedTables(results []speedResult) string {
	var b strings.Builder
	for _, res := range results {
		var zJob, zFull time.Duration
		for _, r := range res.rows {
			switch r.d.name {
			case zdialJob.name:
				zJob = summarize(r.times).Median
			case zdialFull.name:
				zFull = summarize(r.times).Median
			}
		}
		fmt.Fprintf(&b, "\n### %d ms reply latency\n\n", res.latency.Milliseconds())
		t := table{
			header: []string{"dialer", "job", "exchanges", "runs", "median", "min–max (IQR), s", "zdial job ÷ this", "zdial full ÷ this", "peak RSS"},
			right:  []bool{false, false, true, true, true, false, true, true, true},
		}
		for _, r := range res.rows {
			s := summarize(r.times)
			runs := fmt.Sprintf("%d", s.N)
			if len(r.failures) > 0 {
				runs = fmt.Sprintf("%d (%d failed)", s.N, len(r.failures))
			}
			med := "–"
			if s.N > 0 {
				med = secs(s.Median)
			}
			t.add(r.d.name, r.d.what, fmt.Sprintf("%d", r.exchanges), runs, med, spread(s), ratio(zJob, s.Median), ratio(zFull, s.Median), kib(r.maxRSS))
		}
		b.WriteString(t.markdown())
		for _, r := range res.rows {
			if len(r.failures) > 0 {
				fmt.Fprintf(&b, "\n%s failed %d runs; first: %s\n", r.d.name, len(r.failures), r.failures[0])
			}
		}
	}
	return b.String()
}

// lastLine is the last non-empty line of a dialer's output, printable and
// short, for a table cell.
func lastLine(out string) string {
	lines := strings.FieldsFunc(out, func(r rune) bool { return r == '\n' || r == '\r' })
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(printable(lines[i]))
		if l != "" {
			if len([]rune(l)) > 90 {
				l = string([]rune(l)[:87]) + "…"
			}
			return l
		}
	}
	return "(no output)"
}

// printable replaces control characters and invalid UTF-8 with '.'.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return '.'
		}
		return r
	}, s)
}

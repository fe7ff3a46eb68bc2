package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// usage is a process's CPU time and context switches (all its threads)
// at one moment, from /proc.
type usage struct {
	at               time.Time
	cpuTicks         int64 // utime + stime, in clock ticks
	voluntary, invol int64
}

// clockTicks is USER_HZ, which is 100 on every Linux architecture Go runs on.
const clockTicks = 100

// readUsage reads /proc/PID/stat and every thread's status.
func readUsage(proc string, pid int) (usage, error) {
	u := usage{at: time.Now()}
	b, err := os.ReadFile(filepath.Join(proc, strconv.Itoa(pid), "stat"))
	if err != nil {
		return u, err
	}
	if u.cpuTicks, err = statCPU(string(b)); err != nil {
		return u, err
	}
	tasks, err := os.ReadDir(filepath.Join(proc, strconv.Itoa(pid), "task"))
	if err != nil {
		return u, err
	}
	for _, t := range tasks {
		s, err := os.ReadFile(filepath.Join(proc, strconv.Itoa(pid), "task", t.Name(), "status"))
		if err != nil {
			continue // the thread ended
		}
		v, n := ctxSwitches(string(s))
		u.voluntary += v
		u.invol += n
	}
	return u, nil
}

// statCPU returns utime + stime (fields 14 and 15) of a /proc/PID/stat
// line; the command name in parentheses may hold spaces.
func statCPU(stat string) (int64, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("bad stat line %q", stat)
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, fmt.Errorf("short stat line %q", stat)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bad stat line %q", stat)
	}
	return ut + st, nil
}

// ctxSwitches reads voluntary_ctxt_switches and nonvoluntary_ctxt_switches
// from a /proc status file.
func ctxSwitches(status string) (vol, invol int64) {
	for _, l := range strings.Split(status, "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			continue
		}
		switch k {
		case "voluntary_ctxt_switches":
			vol = n
		case "nonvoluntary_ctxt_switches":
			invol = n
		}
	}
	return vol, invol
}

// idleResult is zdial holding a link for the sample window.
type idleResult struct {
	window    time.Duration
	cpu       time.Duration
	wakeups   int64 // voluntary context switches: the process went to sleep and woke
	preempted int64
	threads   int
	maxRSS    int64
	exit      int
	err       string // why there is no sample
}

// runResources dials the MF622 with zdial for real (not --dry-run), with a
// stand-in pppd that logs a link coming up and then waits, and samples
// zdial's CPU time and wake-ups over hold once it reports the link up.
// There is no PPP in this kernel, so "link up" is zdial's post-CONNECT
// supervision state with that stand-in, not a real ppp0.
func runResources(ctx context.Context, e *env, hold time.Duration, log io.Writer) (idleResult, error) {
	r := idleResult{window: hold}
	p, err := persona("zte-mf622", 0)
	if err != nil {
		return r, err
	}
	sim, err := startSim(ctx, p)
	if err != nil {
		return r, err
	}
	defer sim.Close()
	dir, err := e.runDir()
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	c := child{argv: zdialConnectArgv(e, e.config, sim.Path, dir, "--pppd", e.idle), timeout: hold + 60*time.Second}
	o, err := run(ctx, c, func(wrapper int, out *lockedBuffer) {
		pid := wrapper
		defer func() { unix.Kill(pid, unix.SIGTERM) }()
		up := time.Now().Add(30 * time.Second)
		for !strings.Contains(out.String(), "ppp0 up") {
			if time.Now().After(up) || unix.Kill(pid, 0) != nil {
				r.err = "zdial did not report the link up: " + lastLine(out.String())
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(time.Second) // let start-up settle
		pid = dialerPID(wrapper)
		a, err := readUsage("/proc", pid)
		if err != nil {
			r.err = err.Error()
			return
		}
		select {
		case <-time.After(hold):
		case <-ctx.Done():
			return
		}
		b, err := readUsage("/proc", pid)
		if err != nil {
			r.err = "zdial ended during the sample: " + err.Error()
			return
		}
		r.window = b.at.Sub(a.at)
		r.cpu = time.Duration(b.cpuTicks-a.cpuTicks) * time.Second / clockTicks
		r.wakeups = b.voluntary - a.voluntary
		r.preempted = b.invol - a.invol
		if ts, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid)); err == nil {
			r.threads = len(ts)
		}
	})
	if err != nil {
		return r, err
	}
	r.exit = o.exit
	r.maxRSS = o.maxRSS
	fmt.Fprintf(log, "  held %s: cpu %s, %d wake-ups, exit %d %s\n", r.window.Round(time.Millisecond), r.cpu, r.wakeups, o.exit, r.err)
	return r, nil
}

func resourcesSection(idle idleResult, speed []speedResult, probe []*probeRow, m machine) string {
	var b strings.Builder
	b.WriteString("\n## Resources\n\n")
	var dialRSS, jobRSS int64
	for _, res := range speed {
		for _, r := range res.rows {
			switch r.d.name {
			case zdialFull.name:
				dialRSS = max(dialRSS, r.maxRSS)
			case zdialJob.name:
				jobRSS = max(jobRSS, r.maxRSS)
			}
		}
	}
	t := table{header: []string{"measure", "value", "how"}, right: []bool{false, true, false}}
	t.add("static binary", mib(m.size), "`CGO_ENABLED=0 go build -trimpath ./cmd/zdial`")
	t.add("static binary, stripped", mib(m.strippedSize), "the same with `-ldflags='-s -w'`")
	t.add("peak RSS, full dial (--dry-run)", kib(dialRSS), "GNU time's %M (ru_maxrss of a real fork), highest over the speed runs")
	t.add("peak RSS, YAML job (zdial chat)", kib(jobRSS), "the same")
	for _, p := range probe {
		if p.name == "zdial probe" {
			t.add("peak RSS, probe of 3 ports", kib(p.maxRSS), "the same, over the probe runs")
		}
	}
	t.add("peak RSS, dial + holding the link", kib(idle.maxRSS), "the same, for the run below")
	if idle.err != "" {
		t.add("CPU and wake-ups with the link up", "not measured", idle.err)
	} else {
		sec := idle.window.Seconds()
		t.add(fmt.Sprintf("CPU over %.0f s with the link up", sec), fmt.Sprintf("%s (%.3f%%)", idle.cpu, 100*idle.cpu.Seconds()/sec),
			"utime+stime from /proc/PID/stat, 10 ms resolution")
		t.add(fmt.Sprintf("wake-ups over %.0f s", sec), fmt.Sprintf("%d (%.2f/s)", idle.wakeups, float64(idle.wakeups)/sec),
			fmt.Sprintf("voluntary context switches summed over zdial's %d threads; %d involuntary", idle.threads, idle.preempted))
	}
	b.WriteString(t.markdown())
	b.WriteString(`
"With the link up" here is zdial dialing the simulated MF622 for real (not
--dry-run) with a stand-in pppd (a shell script that logs "local IP
address…" on its logfd as pppd does and then waits): this kernel has no PPP,
so there is no ppp0, and the sample is zdial's supervision while pppd runs —
its own timers, pppd's log pipe and the port. A real link adds pppd's
traffic on the pty, which zdial does not read; the lab (lab/run) is where to
repeat it with a real ppp0.
`)
	return b.String()
}

func mib(n int64) string {
	if n <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f MiB (%d bytes)", float64(n)/(1<<20), n)
}

func kib(n int64) string {
	if n <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/1024)
}

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// machine is what the docs say about where and how they were measured.
type machine struct {
	date         time.Time
	nproc        int
	kernel       string
	cpu          string
	versions     map[string]string
	commit       string
	command      string
	load         string // /proc/loadavg at the start: other work on the machine
	size         int64  // static zdial binary, bytes
	strippedSize int64  // the same built with -ldflags=-s -w
}

func machineInfo(ctx context.Context, o options) machine {
	m := machine{date: time.Now().UTC(), nproc: runtime.NumCPU(), versions: versions(ctx)}
	var u unix.Utsname
	if unix.Uname(&u) == nil {
		m.kernel = unix.ByteSliceToString(u.Sysname[:]) + " " + unix.ByteSliceToString(u.Release[:]) + " " + unix.ByteSliceToString(u.Machine[:])
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.load = strings.Join(f[:3], " ")
		}
	}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if out, err := exec.CommandContext(ctx, "git", "-C", o.src, "describe", "--always", "--dirty").Output(); err == nil {
		m.commit = strings.TrimSpace(string(out))
	}
	m.command = strings.TrimSpace("go run ./bench " + strings.Join(o.commandArg, " "))
	return m
}

// header is the top of both documents.
func (m machine) header(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", title)
	b.WriteString("Written by `bench/` (see bench/README.md); do not edit by hand, re-run it.\n\n")
	fmt.Fprintf(&b, "- date: %s\n", m.date.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "- machine: %d CPUs (nproc), %s, %s; load average %s at the start (other work shares it, hence medians)\n",
		m.nproc, m.cpu, m.kernel, orDash(m.load))
	fmt.Fprintf(&b, "- command: `%s` (as root, from the repository's root)\n", m.command)
	fmt.Fprintf(&b, "- zdial: %s, static build (CGO_ENABLED=0); chat: ppp %s; wvdial %s; comgt %s\n",
		orDash(m.commit), m.versions["ppp"], m.versions["wvdial"], m.versions["comgt"])
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// benchDoc runs the speed, probing and resource measurements and returns
// docs/bench.md. Progress goes to log as it happens.
func benchDoc(ctx context.Context, e *env, o options, m machine, log io.Writer) (string, error) {
	var b strings.Builder
	b.WriteString(m.header("zdial bench: time to CONNECT, port probing, resources"))
	b.WriteString(`
Every run gets a fresh simulated ZTE MF622 (internal/modemsim, persona
zte-mf622: echo on, SIM ready, registered) on a pty served by the bench
process. The time is from just before the dialer's process starts to the
moment the simulator writes CONNECT (its own clock, taken from its log hook
just before the write), so a dialer's own reporting and exit do not count.
The dialers run interleaved (A B C D E A B C D E …) at each reply latency
(the simulator's delay before every reply). "exchanges" is the number of
command lines the modem received up to and including ATD.

The job: ` + "`ATZ`, `ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0`, `AT+CGDCONT=1,\"IP\",\"three.co.uk\"`, `ATD*99#`" + ` to
CONNECT. zdial runs it as a YAML script; "zdial (full)" is zdial's own
default dial with every check (SIM, registration, signal, operator, APN),
run as ` + "`zdial --dry-run --port PTY bench`" + ` (a profile inheriting three).
Ratios below 1 mean zdial is faster.
`)
	fmt.Fprintf(log, "speed: %d runs per dialer at %v\n", o.n, o.latencies)
	dialers := []dialer{zdialJob, zdialFull, chatDialer, wvdialDialer, comgtDialer}
	results, err := runSpeed(ctx, e, dialers, o.latencies, o.n, log)
	if err != nil {
		return "", err
	}
	b.WriteString("\n## Time to CONNECT\n")
	sp := speedTables(results)
	b.WriteString(sp)
	fmt.Fprint(log, sp)
	b.WriteString(`
Notes. chat(8) writes one byte at a time and pauses after each (strace -c on
this job: 79 write calls, 79 clock_nanosleep calls), so its time grows with
the length of what it sends rather than with the reply latency. comgt, with
senddelay 0, also writes one byte per call (78 writes) but does not pause.
"zdial (full)" sends more command lines than the job (every check
zdial makes before dialing), so at a high reply latency the count of
exchanges dominates; that is issue 11's item 1.
`)

	probeN := max(1, o.n/2)
	fmt.Fprintf(log, "\nprobe: %d runs each\n", probeN)
	pr, err := runProbe(ctx, e, probeN, log)
	if err != nil {
		return "", err
	}
	ps := probeSection(pr)
	b.WriteString(ps)
	fmt.Fprint(log, ps)

	fmt.Fprintf(log, "\nresources: %v with the link up\n", o.hold)
	rs, err := runResources(ctx, e, o.hold, log)
	if err != nil {
		return "", err
	}
	res := resourcesSection(rs, results, pr, m)
	b.WriteString(res)
	fmt.Fprint(log, res)
	return b.String(), nil
}

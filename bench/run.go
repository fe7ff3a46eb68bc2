package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// child is one dialer process to run against a port.
type child struct {
	argv    []string
	onPort  bool          // stdin and stdout are the port (chat, zdial chat)
	port    string        // the port, when onPort
	timeout time.Duration // hard limit: then the process group is killed
}

// outcome is what one run did.
type outcome struct {
	start, end time.Time
	exit       int  // exit status; 128+n for signal n
	killed     bool // hit the hard timeout
	output     string
	maxRSS     int64 // peak RSS in KiB, from GNU time; 0 when unknown
	pid        int   // the process started: GNU time when it wraps the dialer
}

// elapsed is the run's wall time from start to exit.
func (o outcome) elapsed() time.Duration { return o.end.Sub(o.start) }

// lockedBuffer is an io.Writer for a child's output, read while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// run starts c under GNU time (when installed) for its peak RSS: Go starts
// children with vfork, and Linux counts the parent's memory in the
// ru_maxrss of a child that execs from a vfork, so the bench's own
// getrusage would report its own size. GNU time forks for real.
//
// run starts c and waits for it, at most c.timeout. The child leads its
// own process group, so a dialer's own children (wvdial's pppd stub) are
// ended with it. started, when set, runs on its own goroutine right after
// the start, with the child's pid and output (the resources sampler); run
// waits for it too.
func run(ctx context.Context, c child, started func(pid int, out *lockedBuffer)) (outcome, error) {
	argv := c.argv
	rss := ""
	if timeBin, err := exec.LookPath("time"); err == nil {
		f, err := os.CreateTemp("", "bench-rss-")
		if err != nil {
			return outcome{}, err
		}
		rss = f.Name()
		f.Close()
		defer os.Remove(rss)
		argv = append([]string{timeBin, "-o", rss, "-f", "%M"}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out lockedBuffer
	cmd.Stderr = &out
	cmd.Stdout = &out
	if c.onPort {
		f, err := os.OpenFile(c.port, os.O_RDWR|unix.O_NOCTTY, 0)
		if err != nil {
			return outcome{}, err
		}
		defer f.Close()
		cmd.Stdin, cmd.Stdout = f, f
	}
	o := outcome{start: time.Now()}
	if err := cmd.Start(); err != nil {
		return outcome{}, err
	}
	o.pid = cmd.Process.Pid
	if c.onPort {
		cmd.Stdin.(*os.File).Close() // the child has its own copy: its close is the port's close
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var wg sync.WaitGroup
	defer wg.Wait()
	if started != nil {
		wg.Go(func() { started(o.pid, &out) })
	}
	limit := time.NewTimer(c.timeout)
	defer limit.Stop()
	var err error
wait:
	for {
		select {
		case err = <-done:
			break wait
		case <-limit.C:
			o.killed = true
			unix.Kill(-o.pid, unix.SIGKILL)
		case <-ctx.Done():
			unix.Kill(-o.pid, unix.SIGKILL)
		}
	}
	o.end = time.Now()
	unix.Kill(-o.pid, unix.SIGKILL) // whatever the dialer left behind in its group
	o.output = out.String()
	if rss != "" {
		o.maxRSS = readMaxRSS(rss)
	}
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	switch {
	case ws.Signaled():
		o.exit = 128 + int(ws.Signal())
	default:
		o.exit = ws.ExitStatus()
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return o, err
	}
	return o, ctx.Err()
}

// readMaxRSS reads GNU time's "%M" output: the last line is the peak RSS
// in KiB (a line before it may say the command was killed by a signal).
func readMaxRSS(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return parseMaxRSS(string(b))
}

func parseMaxRSS(s string) int64 {
	lines := strings.Fields(strings.TrimSpace(s))
	if len(lines) == 0 {
		return 0
	}
	n, err := strconv.ParseInt(lines[len(lines)-1], 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// dialerPID is the dialer's own PID when run wrapped it in GNU time (its
// one child), else pid itself.
func dialerPID(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err != nil {
		return pid
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return pid
	}
	if c, err := strconv.Atoi(f[0]); err == nil {
		return c
	}
	return pid
}

package linkstate

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// childEnv selects a child mode when the test binary re-executes itself.
const childEnv = "ZDIAL_LINKSTATE_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(child(mode))
	}
	os.Exit(m.Run())
}

func TestTryLock(t *testing.T) {
	d := newDir(t)
	a, err := d.TryLock("home")
	must(t, err)
	if _, err := d.TryLock("home"); !errors.Is(err, ErrBusy) {
		t.Fatalf("second TryLock: %v, want ErrBusy", err)
	}
	other, err := d.TryLock("van") // profiles do not share a lock
	must(t, err)
	must(t, other.Unlock())
	if _, err := d.LockShared(canceled(t), "home"); !errors.Is(err, context.Canceled) {
		t.Errorf("LockShared while held exclusively: %v, want context.Canceled", err)
	}
	must(t, a.Unlock())
	must(t, a.Unlock()) // idempotent
	b, err := d.TryLock("home")
	must(t, err)
	b.Unlock()
	fi, err := os.Stat(filepath.Join(d.Path, "home.lock"))
	must(t, err)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("lock file mode %v, want 0600", fi.Mode().Perm())
	}
	if _, err := d.TryLock("../home"); !errors.Is(err, ErrBadProfile) {
		t.Errorf("bad profile: %v", err)
	}
}

func canceled(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	return ctx
}

func TestSharedLocksCoexistAndExclude(t *testing.T) {
	d := newDir(t)
	s1, err := d.LockShared(t.Context(), "home")
	must(t, err)
	s2, err := d.LockShared(t.Context(), "home")
	must(t, err)
	if _, err := d.TryLock("home"); !errors.Is(err, ErrBusy) {
		t.Errorf("TryLock under readers: %v, want ErrBusy", err)
	}
	s1.Unlock()
	s2.Unlock()
	l, err := d.TryLock("home")
	must(t, err)
	l.Unlock()
}

func TestLockFileRefusesSymlink(t *testing.T) {
	d := newDir(t)
	must(t, os.MkdirAll(d.Path, 0o755))
	target := filepath.Join(t.TempDir(), "victim")
	must(t, os.WriteFile(target, nil, 0o644))
	must(t, os.Symlink(target, filepath.Join(d.Path, "home.lock")))
	if _, err := d.TryLock("home"); !errors.Is(err, ErrUnsafe) {
		t.Errorf("TryLock through a symlink: %v, want ErrUnsafe", err)
	}
}

// TestLockWaitsWithDeadline: on synctest's clock, a waiter gives up at its
// deadline, and a waiter whose holder lets go gets the lock shortly after.
func TestLockWaitsWithDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newDir(t)
		held, err := d.TryLock("home")
		must(t, err)
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		start := time.Now()
		if _, err := d.Lock(ctx, "home"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Lock = %v, want DeadlineExceeded", err)
		}
		if got := time.Since(start); got != 30*time.Second {
			t.Errorf("gave up after %v, want at the 30s deadline", got)
		}
		go func() {
			time.Sleep(10 * time.Second)
			held.Unlock()
		}()
		start = time.Now()
		l, err := d.Lock(t.Context(), "home")
		must(t, err)
		defer l.Unlock()
		if waited := time.Since(start); waited < 10*time.Second || waited > 10*time.Second+lockPoll.Max {
			t.Errorf("got the lock after %v, want within one poll (%v) of the release at 10s", waited, lockPoll.Max)
		}
	})
}

// TestFiftyGoroutines: 50 contenders in one process (each its own open file
// description) take the lock one at a time; each holds it for 100 ms of
// fake time and bumps the record's counter, so a lost update shows.
func TestFiftyGoroutines(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newDir(t)
		must(t, d.Write(Record{Profile: "home", State: StateDown, Supervisor: Process{PID: 1}}))
		var inside, most atomic.Int32
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				l, err := d.Lock(t.Context(), "home")
				if err != nil {
					t.Error(err)
					return
				}
				n := inside.Add(1)
				if n > most.Load() {
					most.Store(n)
				}
				r, err := d.Read("home")
				if err != nil {
					t.Error(err)
				}
				time.Sleep(100 * time.Millisecond) // fake clock: the others poll meanwhile
				r.Reconnects++
				if err := d.Write(r); err != nil {
					t.Error(err)
				}
				inside.Add(-1)
				l.Unlock()
			})
		}
		wg.Wait()
		if most.Load() != 1 {
			t.Errorf("%d holders at once", most.Load())
		}
		r, err := d.Read("home")
		must(t, err)
		if r.Reconnects != 50 {
			t.Errorf("counter = %d after 50 locked increments", r.Reconnects)
		}
	})
}

// TestWaiterSeesWinnersOutcome: the ensure pattern in one process. The
// winner dials (fake time), the others wait shared and read its record.
func TestWaiterSeesWinnersOutcome(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newDir(t)
		var dials atomic.Int32
		outcomes := make(chan string, 50)
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				outcome, dialed, err := ensure(t.Context(), d, "home", func() { time.Sleep(20 * time.Second) })
				if err != nil {
					t.Error(err)
				}
				if dialed {
					dials.Add(1)
				}
				outcomes <- outcome
			})
		}
		wg.Wait()
		close(outcomes)
		if dials.Load() != 1 {
			t.Errorf("%d dials, want 1", dials.Load())
		}
		for o := range outcomes {
			if o != "up 10.64.1.7" {
				t.Errorf("outcome %q", o)
			}
		}
	})
}

// ensure is the pattern documented on the lock: the winner of TryLock
// dials (unless the record says up) and records the outcome; a loser waits
// for the lock shared and reports the record.
func ensure(ctx context.Context, d Dir, profile string, dial func()) (outcome string, dialed bool, err error) {
	l, err := d.TryLock(profile)
	if errors.Is(err, ErrBusy) {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		s, err := d.LockShared(ctx, profile)
		if err != nil {
			return "", false, err
		}
		defer s.Unlock()
		r, err := d.Read(profile)
		if err != nil {
			return "", false, err
		}
		return fmt.Sprintf("%s %s", r.State, r.IP), false, nil
	}
	if err != nil {
		return "", false, err
	}
	defer l.Unlock()
	if r, err := d.Read(profile); err == nil && r.State == StateUp {
		return fmt.Sprintf("%s %s", r.State, r.IP), false, nil
	}
	rec := Record{Profile: profile, State: StateDialing, Supervisor: Process{PID: os.Getpid()}}
	if err := d.Write(rec); err != nil {
		return "", false, err
	}
	dial()
	rec.State, rec.IP, rec.Interface = StateUp, netip.MustParseAddr("10.64.1.7"), "ppp0"
	if err := d.Write(rec); err != nil {
		return "", false, err
	}
	return fmt.Sprintf("%s %s", rec.State, rec.IP), true, nil
}

// The multi-process tests: the test binary runs as N children that share a
// run directory. Children talk to the parent over stdin/stdout lines, so
// the test needs no sleeps: the parent decides when a child may go on.

func startChildren(t *testing.T, n int, mode, dir string) ([]*exec.Cmd, []*bufio.Reader, []io.WriteCloser) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute) // watchdog: a stuck child is killed
	t.Cleanup(cancel)
	var cmds []*exec.Cmd
	var outs []*bufio.Reader
	var ins []io.WriteCloser
	for range n {
		cmd := exec.CommandContext(ctx, os.Args[0])
		cmd.Env = append(os.Environ(), childEnv+"="+mode, "ZDIAL_LINKSTATE_DIR="+dir)
		cmd.Stderr = os.Stderr
		cmd.WaitDelay = 5 * time.Second
		in, err := cmd.StdinPipe()
		must(t, err)
		out, err := cmd.StdoutPipe()
		must(t, err)
		must(t, cmd.Start())
		t.Cleanup(func() { in.Close(); cmd.Wait() })
		cmds, outs, ins = append(cmds, cmd), append(outs, bufio.NewReader(out)), append(ins, in)
	}
	return cmds, outs, ins
}

func line(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	s, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("reading a child's line: %v (got %q)", err, s)
	}
	return strings.TrimSuffix(s, "\n")
}

// TestTwentyProcessesExclude: 20 processes released together each take the
// lock, check no one else is inside (an O_EXCL marker file) and bump the
// record's counter: 20 increments and no overlap.
func TestTwentyProcessesExclude(t *testing.T) {
	d := newDir(t)
	must(t, d.Write(Record{Profile: "home", State: StateDown, Supervisor: Process{PID: 1}}))
	cmds, outs, ins := startChildren(t, 20, "count", d.Path)
	for _, o := range outs {
		if s := line(t, o); s != "ready" {
			t.Fatalf("child said %q", s)
		}
	}
	for _, in := range ins { // release them together
		io.WriteString(in, "go\n")
	}
	for i, o := range outs {
		if s := line(t, o); s != "done" {
			t.Errorf("child %d: %q", i, s)
		}
		if err := cmds[i].Wait(); err != nil {
			t.Errorf("child %d: %v", i, err)
		}
	}
	r, err := d.Read("home")
	must(t, err)
	if r.Reconnects != 20 {
		t.Errorf("counter = %d after 20 locked increments", r.Reconnects)
	}
}

// TestTwentyProcessesEnsure: 20 ensure-like processes at once make one
// dial; the others wait and report its outcome from the record.
func TestTwentyProcessesEnsure(t *testing.T) {
	d := newDir(t)
	cmds, outs, ins := startChildren(t, 20, "ensure", d.Path)
	winner := -1
	for i, o := range outs {
		switch s := line(t, o); s {
		case "won":
			if winner >= 0 {
				t.Fatalf("children %d and %d both hold the dial lock", winner, i)
			}
			winner = i
		case "busy":
		default:
			t.Fatalf("child %d said %q", i, s)
		}
	}
	if winner < 0 {
		t.Fatal("no child took the dial lock")
	}
	// Every child has tried; only now may the winner finish its dial.
	io.WriteString(ins[winner], "go\n")
	for i, o := range outs {
		want := "waited: up 10.64.1.7"
		if i == winner {
			want = "dialed: up 10.64.1.7"
		}
		if s := line(t, o); s != want {
			t.Errorf("child %d: %q, want %q", i, s, want)
		}
		if err := cmds[i].Wait(); err != nil {
			t.Errorf("child %d: %v", i, err)
		}
	}
}

// child runs one child mode and returns its exit status.
func child(mode string) int {
	if mode == "exit" {
		return 0
	}
	d := Dir{Path: os.Getenv("ZDIAL_LINKSTATE_DIR"), ProcRoot: "/proc"}
	in := bufio.NewReader(os.Stdin)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	fail := func(err error) int { fmt.Fprintln(os.Stderr, "child:", err); return 1 }
	switch mode {
	case "count":
		fmt.Println("ready")
		if s, _ := in.ReadString('\n'); s != "go\n" {
			return fail(fmt.Errorf("parent said %q", s))
		}
		l, err := d.Lock(ctx, "home")
		if err != nil {
			return fail(err)
		}
		marker := filepath.Join(d.Path, "inside")
		f, err := os.OpenFile(marker, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return fail(fmt.Errorf("another process is inside the lock: %w", err))
		}
		f.Close()
		r, err := d.Read("home")
		if err != nil {
			return fail(err)
		}
		r.Reconnects++
		if err := d.Write(r); err != nil {
			return fail(err)
		}
		if err := os.Remove(marker); err != nil {
			return fail(err)
		}
		l.Unlock()
		fmt.Println("done")
	case "ensure":
		l, err := d.TryLock("home")
		if errors.Is(err, ErrBusy) {
			fmt.Println("busy")
			s, err := d.LockShared(ctx, "home")
			if err != nil {
				return fail(err)
			}
			r, err := d.Read("home")
			if err != nil {
				return fail(err)
			}
			s.Unlock()
			fmt.Printf("waited: %s %s\n", r.State, r.IP)
			return 0
		}
		if err != nil {
			return fail(err)
		}
		fmt.Println("won")
		self, err := d.Identify(os.Getpid())
		if err != nil {
			return fail(err)
		}
		rec := Record{Profile: "home", State: StateDialing, Supervisor: self}
		if err := d.Write(rec); err != nil {
			return fail(err)
		}
		if s, _ := in.ReadString('\n'); s != "go\n" { // the dial takes until the parent says
			return fail(fmt.Errorf("parent said %q", s))
		}
		rec.State, rec.IP, rec.Interface = StateUp, netip.MustParseAddr("10.64.1.7"), "ppp0"
		if err := d.Write(rec); err != nil {
			return fail(err)
		}
		l.Unlock()
		fmt.Printf("dialed: %s %s\n", rec.State, rec.IP)
	default:
		return fail(fmt.Errorf("unknown mode %q", mode))
	}
	return 0
}

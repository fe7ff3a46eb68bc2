package fakepppd

import (
	"encoding/json"
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

	"golang.org/x/sys/unix"
)

// Main runs the fake and exits if this process was started as the fake
// (os.Args[0]'s base is Name); otherwise it returns at once. Call it first
// thing in TestMain, before m.Run parses the test flags (the fake's
// arguments are pppd options, not test flags).
//
// Main calls os.Exit, which zdial's packages otherwise never do: the code
// runs only in the child process that stands in for pppd, where the exit
// status is the very thing under test, and never in a test or in zdial.
func Main() {
	if filepath.Base(os.Args[0]) != Name {
		return
	}
	os.Exit(run(filepath.Dir(os.Args[0]), os.Args[1:]))
}

// run is the fake pppd; dir holds its spec and receives its record.
func run(dir string, args []string) int {
	var spec Spec
	b, err := os.ReadFile(filepath.Join(dir, specFile))
	if err == nil {
		err = json.Unmarshal(b, &spec)
	}
	if len(args) == 1 && args[0] == lingerArg {
		return linger()
	}
	if len(args) == 1 && args[0] == "--version" {
		// pppctl.Version asks before every start; it is not the run under
		// test, so it leaves the record alone.
		v := spec.Version
		if v == "" {
			v = DefaultVersion
		}
		fmt.Printf("pppd version %s\n", v)
		return 0
	}
	rec := Record{Args: args, Env: os.Environ()}
	defer func() {
		b, _ := json.Marshal(rec)
		os.WriteFile(filepath.Join(dir, recordFile), b, 0o600)
	}()
	if err != nil {
		rec.Err = "spec: " + err.Error()
		return 99
	}
	rec.StdinIsLine, rec.StdinErr = sameDevice(0, spec.TTY)
	log := readOptions(args, &rec)

	sigs := make(chan os.Signal, 1)
	if spec.Mode == ModeTerm || spec.Mode == ModeIgnoreTerm || spec.Mode == ModeIgnoreTermChild {
		// Before logging: a SIGTERM sent as soon as a line shows up is
		// caught, not fatal.
		signal.Notify(sigs, syscall.SIGTERM)
	}
	ttyName, _ := os.Readlink("/proc/self/fd/0")
	for _, l := range spec.Log {
		fmt.Fprintln(log, strings.ReplaceAll(l, "{tty}", ttyName))
	}
	switch spec.Mode {
	case ModeTerm:
		fmt.Fprintln(log, ReadyLine)
		<-sigs
		fmt.Fprintln(log, "Terminating on signal 15")
		fmt.Fprintln(log, "Connect time 0.1 minutes.")
		fmt.Fprintln(log, "Sent 10 bytes, received 20 bytes.")
		fmt.Fprintln(log, "Connection terminated.")
		return 5 // EXIT_USER_REQUEST
	case ModeIgnoreTerm, ModeIgnoreTermChild:
		if spec.Mode == ModeIgnoreTermChild {
			child := exec.Command(os.Args[0], lingerArg)
			child.Stdout, child.Stderr = os.Stdout, os.Stderr // pppctl's log pipe
			if err := child.Start(); err != nil {
				rec.Err = "child: " + err.Error()
				return 99
			}
			fmt.Fprintf(log, "%s%d\n", ChildLine, child.Process.Pid)
		}
		fmt.Fprintln(log, ReadyLine)
		for range sigs { // until SIGKILL
		}
	}
	return spec.Exit
}

// lingerArg makes the fake the child of ModeIgnoreTermChild.
const lingerArg = "--fake-linger"

// linger ignores SIGTERM until it is killed. It is a test process that
// must not outlive a broken test for long, so it gives up after ten
// minutes on its own.
func linger() int {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	time.AfterFunc(10*time.Minute, func() { os.Exit(0) })
	for range sigs {
	}
	return 0
}

// readOptions handles the options whose arguments name descriptors or
// files: it returns the log writer and records the password delivery.
func readOptions(args []string, rec *Record) io.Writer {
	var log io.Writer = io.Discard
	for i := 0; i+1 < len(args); i++ {
		switch args[i] {
		case "logfd":
			if fd, err := strconv.Atoi(args[i+1]); err == nil {
				log = os.NewFile(uintptr(fd), "logfd")
			}
		case "passwordfd":
			fd, err := strconv.Atoi(args[i+1])
			if err != nil {
				rec.Err = "passwordfd: " + err.Error()
				continue
			}
			pw, err := io.ReadAll(os.NewFile(uintptr(fd), "passwordfd"))
			if err != nil {
				rec.Err = "passwordfd: " + err.Error()
			}
			rec.Password, rec.Via = string(pw), "passwordfd"
		case "file":
			readOptionsFile(args[i+1], rec)
		}
	}
	return log
}

// readOptionsFile reads the password from a pppd options file holding one
// `password WORD` line, and notes the file's and directory's modes.
func readOptionsFile(path string, rec *Record) {
	rec.OptionsFile, rec.Via = path, "file"
	if fi, err := os.Stat(path); err == nil {
		rec.FileMode = fi.Mode().Perm()
	}
	if fi, err := os.Stat(filepath.Dir(path)); err == nil {
		rec.DirMode = fi.Mode().Perm()
	}
	text, err := os.ReadFile(path)
	if err != nil {
		rec.Err = "options file: " + err.Error()
		return
	}
	rest, ok := strings.CutPrefix(string(text), "password ")
	if !ok {
		rec.Err = "options file does not start with password"
		return
	}
	rec.Password = UnquoteWord(strings.TrimSuffix(rest, "\n"))
}

// sameDevice reports whether fd is the character device at path, the
// way pppd's tty.c compares st_rdev.
func sameDevice(fd int, path string) (bool, string) {
	if path == "" {
		return false, "the spec names no TTY"
	}
	var a, b unix.Stat_t
	if err := unix.Fstat(fd, &a); err != nil {
		return false, err.Error()
	}
	if err := unix.Stat(path, &b); err != nil {
		return false, err.Error()
	}
	if a.Mode&unix.S_IFMT != unix.S_IFCHR {
		return false, "stdin is not a character device"
	}
	if a.Rdev != b.Rdev {
		return false, fmt.Sprintf("stdin is device %#x, %s is %#x", a.Rdev, path, b.Rdev)
	}
	return true, ""
}

package linkstate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// maxStat bounds a read of /proc/PID/stat (a few hundred bytes; the
// command name inside is at most 15).
const maxStat = 4096

// procStat returns a process's state letter and start time from
// procRoot/PID/stat. A missing process is fs.ErrNotExist.
func procStat(procRoot string, pid int) (state byte, start uint64, err error) {
	if pid <= 0 {
		return 0, 0, fmt.Errorf("linkstate: PID %d: %w", pid, fs.ErrNotExist)
	}
	f, err := os.Open(filepath.Join(procRoot, strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxStat))
	if err != nil {
		return 0, 0, err
	}
	return parseStat(b)
}

// parseStat reads "PID (COMM) STATE PPID … STARTTIME …". COMM may hold
// spaces and parentheses, so the fields start after the last ')'.
func parseStat(b []byte) (state byte, start uint64, err error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, errors.New("linkstate: malformed stat: no command name")
	}
	f := bytes.Fields(b[i+1:]) // f[0] is field 3 (state), f[19] field 22 (starttime)
	if len(f) < 20 || len(f[0]) != 1 {
		return 0, 0, errors.New("linkstate: malformed stat: too few fields")
	}
	start, err = strconv.ParseUint(string(f[19]), 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("linkstate: malformed stat start time %q", f[19])
	}
	return f[0][0], start, nil
}

// Identify returns pid as a Process, with its start time.
func (d Dir) Identify(pid int) (Process, error) {
	_, start, err := procStat(d.ProcRoot, pid)
	if err != nil {
		return Process{}, fmt.Errorf("linkstate: identify process %d: %w", pid, err)
	}
	return Process{PID: pid, Start: start}, nil
}

// Alive reports whether p still runs: its PID exists, is not a zombie, and
// (if p.Start is known) started when p did. A PID of 0 is never alive.
func (d Dir) Alive(p Process) (bool, error) {
	if p.PID <= 0 {
		return false, nil
	}
	state, start, err := procStat(d.ProcRoot, p.PID)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ESRCH) { // ESRCH: it died while we read
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("linkstate: process %d: %w", p.PID, err)
	}
	if state == 'Z' || state == 'X' {
		return false, nil
	}
	return p.Start == 0 || p.Start == start, nil
}

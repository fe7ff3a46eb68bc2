package modeswitch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/zdial/zdial/internal/uucplock"
)

// Holder is a process that holds a tty.
type Holder struct {
	PID  int
	Name string // from /proc/PID/comm; "" when the process is gone (stale lock)
	Via  string // how we know: "uucp lock /var/lock/LCK..ttyUSB0"
}

func (h Holder) String() string {
	name := h.Name
	if name == "" {
		name = "a process that no longer exists (stale lock)"
	}
	return fmt.Sprintf("%s (pid %d, %s)", name, h.PID, h.Via)
}

// FindHolder reports who holds tty ("ttyUSB2") by its UUCP lock file
// lockDir/LCK..ttyUSB2, naming the process from procRoot/PID/comm. It
// returns (nil, nil) when there is no lock. Lock files hold the PID as ten
// ASCII characters and a newline (HDB/FHS style) or, from old programs, as a
// 4-byte binary int; both are read.
func FindHolder(lockDir, procRoot, tty string) (*Holder, error) {
	p := filepath.Join(lockDir, uucplock.FileName(tty))
	pid, err := uucplock.ReadPID(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &OpError{Op: "read", Path: p, Err: err}
	}
	h := &Holder{PID: pid, Via: "uucp lock " + p}
	if c, err := os.ReadFile(filepath.Join(procRoot, strconv.Itoa(pid), "comm")); err == nil {
		h.Name = strings.TrimSpace(string(c))
	}
	return h, nil
}

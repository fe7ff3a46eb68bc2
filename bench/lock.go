package main

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// clearLock removes a UUCP lock file whose process has ended, or, with
// own, one that holds this process's PID (a live lock the bench wrote).
// Any other lock is left alone: it is somebody else's.
func clearLock(path string, own bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	switch {
	case err != nil:
		return // not an HDB lock we understand
	case own && pid == os.Getpid():
	case pid != os.Getpid() && unix.Kill(pid, 0) == unix.ESRCH:
	default:
		return
	}
	os.Remove(path)
}

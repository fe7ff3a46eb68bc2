package pppctl

import (
	"os"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Before the password went through a pipe, zdial wrote it to
// TEMPDIR/zdial-pppd-XXXX/options (0600 in a 0700 directory) and removed
// that when pppd exited; a zdial killed with SIGKILL left it behind.
const (
	staleDirPrefix = "zdial-pppd-"
	staleFile      = "options"
	// staleAge keeps the sweep away from a directory an older zdial,
	// running beside this one, has just made for a pppd about to read it.
	staleAge = time.Minute
)

// sweepStale removes password options files an older zdial left in dir
// ("" means os.TempDir()). It removes only what such a zdial made: a
// directory named zdial-pppd-*, not a symlink, owned by our effective
// user, mode 0700, holding nothing but a regular file "options" owned by
// us, all older than staleAge. Every step works on descriptors opened
// without following symlinks, and it does nothing in a directory others
// may write to without the sticky bit (where names can be swapped under
// it). It is best effort: anything unexpected is left alone.
func sweepStale(dir string) {
	if dir == "" {
		dir = os.TempDir()
	}
	f, err := os.OpenFile(dir, os.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW, 0)
	if err != nil {
		return
	}
	defer f.Close()
	pfd := int(f.Fd())
	var st unix.Stat_t
	if unix.Fstat(pfd, &st) != nil || st.Mode&0o002 != 0 && st.Mode&unix.S_ISVTX == 0 {
		return
	}
	names, err := f.Readdirnames(-1)
	if err != nil {
		return
	}
	uid := uint32(os.Geteuid())
	now := time.Now()
	for _, name := range names {
		if strings.HasPrefix(name, staleDirPrefix) {
			sweepOne(pfd, name, uid, now)
		}
	}
}

// sweepOne removes parent/name/options and parent/name if they are ours
// and stale, as sweepStale describes.
func sweepOne(pfd int, name string, uid uint32, now time.Time) {
	dfd, err := unix.Openat(pfd, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return
	}
	d := os.NewFile(uintptr(dfd), name) // owns dfd from here on
	defer d.Close()
	var st unix.Stat_t
	if unix.Fstat(dfd, &st) != nil || st.Uid != uid || st.Mode&0o7777 != 0o700 || !old(st, now) {
		return
	}
	entries, err := d.Readdirnames(-1)
	if err != nil || len(entries) > 1 || len(entries) == 1 && entries[0] != staleFile {
		return
	}
	if len(entries) == 1 {
		var fst unix.Stat_t
		if unix.Fstatat(dfd, staleFile, &fst, unix.AT_SYMLINK_NOFOLLOW) != nil ||
			fst.Mode&unix.S_IFMT != unix.S_IFREG || fst.Uid != uid || !old(fst, now) {
			return
		}
		if unix.Unlinkat(dfd, staleFile, 0) != nil {
			return
		}
	}
	// Only an empty directory can go, so a name swapped in since the
	// checks above costs nothing.
	unix.Unlinkat(pfd, name, unix.AT_REMOVEDIR)
}

func old(st unix.Stat_t, now time.Time) bool {
	return now.Sub(time.Unix(st.Mtim.Unix())) >= staleAge
}

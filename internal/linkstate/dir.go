package linkstate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/zdial/zdial/internal/safefile"
)

// Dir is a run directory of records and dial locks. ProcRoot (normally
// /proc) is where liveness is checked.
type Dir struct {
	Path     string // e.g. /run/zdial (--run-dir)
	ProcRoot string // e.g. /proc
}

// OpError records what was done to which profile's record.
type OpError struct {
	Op      string // "write", "read", "list", "remove", "lock"
	Profile string
	Err     error
}

func (e *OpError) Error() string {
	if e.Profile == "" {
		return fmt.Sprintf("linkstate: %s: %v", e.Op, e.Err)
	}
	return fmt.Sprintf("linkstate: %s %s: %v", e.Op, e.Profile, e.Err)
}

func (e *OpError) Unwrap() error { return e.Err }

const recordExt = ".json"

func (d Dir) recordPath(profile string) string { return filepath.Join(d.Path, profile+recordExt) }

// prepare makes the run directory if needed and checks that nobody else
// can change what is in it.
func (d Dir) prepare() error {
	if err := os.MkdirAll(d.Path, 0o755); err != nil {
		return err
	}
	return d.checkDir()
}

func (d Dir) checkDir() error {
	fi, err := os.Lstat(d.Path)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%w: %s is not a directory", ErrUnsafe, d.Path)
	}
	return checkOwner(d.Path, fi)
}

// checkOwner refuses a file owned by another user or writable by group or
// others.
func checkOwner(path string, fi fs.FileInfo) error {
	if err := safefile.Self().Check(path, fi); err != nil {
		return fmt.Errorf("%w: %w", ErrUnsafe, err)
	}
	return nil
}

// Write stores r as its profile's record, replacing any previous one
// atomically. Free-text fields are cleaned first.
func (d Dir) Write(r Record) error {
	fail := func(err error) error { return &OpError{Op: "write", Profile: r.Profile, Err: err} }
	r.clean()
	if err := r.check(); err != nil {
		return fail(err)
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fail(err)
	}
	if err := d.prepare(); err != nil {
		return fail(err)
	}
	if err := safefile.WriteAtomic(d.recordPath(r.Profile), append(b, '\n'), 0o644); err != nil {
		return fail(err)
	}
	return nil
}

// Read returns profile's record; ErrNotFound if there is none.
func (d Dir) Read(profile string) (Record, error) {
	r, _, err := d.read(profile)
	return r, err
}

// read also returns the record file's identity, for RemoveStale.
func (d Dir) read(profile string) (Record, fs.FileInfo, error) {
	fail := func(err error) (Record, fs.FileInfo, error) {
		return Record{}, nil, &OpError{Op: "read", Profile: profile, Err: err}
	}
	if err := ValidProfile(profile); err != nil {
		return fail(err)
	}
	if err := d.checkDir(); errors.Is(err, fs.ErrNotExist) {
		return fail(ErrNotFound) // no run directory yet: no records
	} else if err != nil {
		return fail(err)
	}
	path := d.recordPath(profile)
	f, fi, err := safefile.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fail(ErrNotFound)
	}
	if errors.Is(err, safefile.ErrNotRegular) {
		return fail(fmt.Errorf("%w: %w", ErrUnsafe, err))
	}
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	if err := checkOwner(path, fi); err != nil {
		return fail(err)
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxRecordSize+1))
	if err != nil {
		return fail(err)
	}
	if len(b) > MaxRecordSize {
		return fail(fmt.Errorf("%w: %s is larger than %d bytes", ErrCorrupt, path, MaxRecordSize))
	}
	// Unknown fields are ignored, not refused: a record written by a newer
	// zdial during an upgrade must still show in status.
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return fail(fmt.Errorf("%w: %s: %w", ErrCorrupt, path, err))
	}
	if r.Profile != profile {
		return fail(fmt.Errorf("%w: %s names profile %q", ErrCorrupt, path, r.Profile))
	}
	r.clean()
	if err := r.check(); err != nil {
		return fail(err)
	}
	return r, fi, nil
}

// List returns every record in the directory, in profile order. A record
// that cannot be read is left out and its error joined into the returned
// error, so one bad file does not hide the other links.
func (d Dir) List() ([]Record, error) {
	ents, err := os.ReadDir(d.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &OpError{Op: "list", Err: err}
	}
	if err := d.checkDir(); err != nil {
		return nil, &OpError{Op: "list", Err: err}
	}
	var recs []Record
	var errs []error
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".") || !strings.HasSuffix(name, recordExt) {
			continue // temporary files, locks
		}
		profile := strings.TrimSuffix(name, recordExt)
		if ValidProfile(profile) != nil {
			continue
		}
		r, err := d.Read(profile)
		if errors.Is(err, ErrNotFound) {
			continue // removed since ReadDir
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		recs = append(recs, r)
	}
	return recs, errors.Join(errs...)
}

// Remove deletes profile's record; a missing record is not an error.
func (d Dir) Remove(profile string) error {
	if err := ValidProfile(profile); err != nil {
		return &OpError{Op: "remove", Profile: profile, Err: err}
	}
	if err := os.Remove(d.recordPath(profile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return &OpError{Op: "remove", Profile: profile, Err: err}
	}
	return nil
}

// Stale reports whether r's supervisor is gone (dead, a zombie, or its PID
// reused by another process).
func (d Dir) Stale(r Record) (bool, error) {
	alive, err := d.Alive(r.Supervisor)
	return !alive, err
}

// RemoveStale deletes profile's record if it is stale and reports whether
// it did. A record replaced between the check and the removal (a new
// supervisor wrote its own) is left alone; callers that start supervisors
// hold the profile's dial lock around RemoveStale for a definitive answer.
func (d Dir) RemoveStale(profile string) (bool, error) {
	r, fi, err := d.read(profile)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	stale, err := d.Stale(r)
	if err != nil || !stale {
		return false, err
	}
	now, err := os.Lstat(d.recordPath(profile))
	if err != nil || !os.SameFile(fi, now) {
		return false, nil // gone or replaced meanwhile
	}
	if err := d.Remove(profile); err != nil {
		return false, err
	}
	return true, nil
}

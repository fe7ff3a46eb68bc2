package profile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/zdial/zdial/internal/safefile"
	"github.com/zdial/zdial/internal/yamlstrict"
)

// Config is the user's profiles, read from one or more YAML files:
//
//	country: GB                # narrows carrier names several countries share
//	profiles:
//	  work:
//	    inherits: three        # a carrier name or another profile
//	    port: /dev/ttyUSB2
//	    pin: "1234"
//
// Later files override earlier ones profile by profile, and a later
// top-level country wins.
type Config struct {
	Profiles map[string]Profile
	// Country is the top-level country: setting of the last file that has
	// one (ISO 3166 alpha-2, upper case).
	Country string
	// Warnings are problems that do not stop zdial, such as a file holding
	// a PIN that other users can read.
	Warnings []string
	// Files are the files read, in order (missing optional ones left out).
	Files       []string
	files       map[string]string // profile name → file it came from
	countryFile string            // the file Country came from
}

// MaxConfigSize is the largest config file zdial reads: a profile is a
// few hundred bytes, and a file of many megabytes is a mistake that would
// otherwise cost hundreds of megabytes of memory to decode.
const MaxConfigSize = 1 << 20

// ConfigError is a problem in a config file, at a line and column.
type ConfigError struct {
	File      string
	Line, Col int
	Field     string // dotted path, e.g. profiles.work.pppd.speed
	Err       error
}

func (e *ConfigError) Error() string {
	loc := e.File
	if e.Line > 0 && e.Col > 0 {
		loc = fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Col)
	} else if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %v", loc, e.Field, e.Err)
	}
	return fmt.Sprintf("%s: %v", loc, e.Err)
}

func (e *ConfigError) Unwrap() error { return e.Err }

// ErrConfig is matched by every *ConfigError.
var ErrConfig = errors.New("profile: configuration error")

// Is makes errors.Is(err, ErrConfig) true.
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }

// Errors is several problems in the config files, in file and document
// order. Load returns one *ConfigError alone, several as Errors; errors.As
// finds the first *ConfigError in either.
type Errors []*ConfigError

func (l Errors) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap returns the problems, for errors.Is and errors.As.
func (l Errors) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// AllErrors returns every *ConfigError in err: those of an Errors, or the
// one.
func AllErrors(err error) []*ConfigError {
	if l, ok := errors.AsType[Errors](err); ok {
		return l
	}
	if e, ok := errors.AsType[*ConfigError](err); ok {
		return []*ConfigError{e}
	}
	return nil
}

func joinErrors(errs []*ConfigError) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return Errors(errs)
}

// File is one config file to read.
type File struct {
	Path string
	// Required makes a missing file an error (an explicit --config);
	// otherwise it is skipped.
	Required bool
}

// Loader reads config files the way zdial must as root: only from files
// Owner trusts (safefile.Owner.Trusted: owned by root or Owner.UID, and
// neither they nor any directory above them writable by others), opened
// without blocking on a FIFO, and at most MaxConfigSize bytes.
type Loader struct {
	Owner safefile.Owner
}

// LoadConfig reads the files in order as the running user
// (safefile.Self()); a file that does not exist is skipped unless required
// is set (an explicit --config).
func LoadConfig(paths []string, required bool) (*Config, error) {
	files := make([]File, len(paths))
	for i, p := range paths {
		files[i] = File{Path: p, Required: required}
	}
	return Loader{Owner: safefile.Self()}.Load(files)
}

// Load reads files in order, later ones overriding earlier ones profile by
// profile. It reads every file and reports every problem it finds (an
// Errors for several), so that `zdial config check` can list them all.
func (l Loader) Load(files []File) (*Config, error) {
	cfg := newConfig()
	var errs []*ConfigError
	for _, f := range files {
		src, err := l.readFile(f)
		if errors.Is(err, fs.ErrNotExist) && !f.Required {
			continue
		}
		if err != nil {
			errs = append(errs, asConfigError(f.Path, err))
			continue
		}
		cfg.Files = append(cfg.Files, f.Path)
		if err := cfg.read(bytes.NewReader(src), f.Path); err != nil {
			errs = append(errs, AllErrors(err)...)
			continue
		}
		cfg.checkMode(f.Path)
	}
	if err := joinErrors(errs); err != nil {
		return nil, err
	}
	return cfg, nil
}

// readFile checks that l.Owner trusts the file and every directory above
// it, then reads it without following a final symbolic link (the trusted
// target is read instead) and without blocking, up to MaxConfigSize.
func (l Loader) readFile(f File) ([]byte, error) {
	if err := l.Owner.Trusted(f.Path); err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(f.Path)
	if err != nil {
		return nil, err
	}
	return safefile.ReadFile(real, MaxConfigSize)
}

func asConfigError(path string, err error) *ConfigError {
	switch ue, ok := errors.AsType[*safefile.UntrustedError](err); {
	case ok:
		return &ConfigError{File: path, Err: untrusted{ue}}
	case errors.Is(err, safefile.ErrTooLarge):
		return &ConfigError{File: path, Err: worded{fmt.Sprintf("larger than %d KiB: this is not a zdial config file, or it needs splitting", MaxConfigSize>>10), err}}
	case errors.Is(err, fs.ErrPermission):
		return &ConfigError{File: path, Err: errors.New("permission denied (the file is not readable by this user: check its owner and mode, or run zdial as root)")}
	case errors.Is(err, fs.ErrNotExist):
		return &ConfigError{File: path, Err: errors.New("no such file")}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is in the ConfigError already
	}
	return &ConfigError{File: path, Err: err}
}

// ParseConfig reads one config document; name is used in errors.
func ParseConfig(r io.Reader, name string) (*Config, error) {
	cfg := newConfig()
	if err := cfg.read(r, name); err != nil {
		return nil, err
	}
	return cfg, nil
}

func newConfig() *Config {
	return &Config{Profiles: map[string]Profile{}, files: map[string]string{}}
}

// file is a config file's shape.
type file struct {
	Country  string             `yaml:"country"`
	Profiles map[string]Profile `yaml:"profiles"`
}

var countryRE = regexp.MustCompile(`^[A-Za-z]{2}$`)

func (cfg *Config) read(r io.Reader, name string) error {
	var f file
	var errs []*ConfigError
	if err := yamlstrict.Read(r, &f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // an empty file is an empty config
		}
		ye := yamlstrict.Errors(err)
		if len(ye) == 0 {
			return &ConfigError{File: name, Err: err}
		}
		for _, e := range ye {
			errs = append(errs, &ConfigError{File: name, Line: e.Line, Col: e.Col, Field: e.Path, Err: e.Err})
		}
	}
	if f.Country != "" && !countryRE.MatchString(f.Country) {
		errs = append(errs, &ConfigError{File: name, Field: "country", Err: fmt.Errorf("%q is not a country code: want two letters such as GB or DE", f.Country)})
	}
	for n, p := range f.Profiles {
		if p.Country != "" && !countryRE.MatchString(p.Country) {
			errs = append(errs, &ConfigError{File: name, Field: "profiles." + n + ".country",
				Err: fmt.Errorf("%q is not a country code: want two letters such as GB or DE", p.Country)})
		}
	}
	if len(errs) > 0 {
		return joinErrors(errs)
	}
	if f.Country != "" {
		cfg.Country, cfg.countryFile = strings.ToUpper(f.Country), name
	}
	for n, p := range f.Profiles {
		p.Name = n
		p.Country = strings.ToUpper(p.Country)
		cfg.Profiles[n] = p
		cfg.files[n] = name
	}
	return nil
}

// FileOf returns the file profile name came from, "" if none.
func (cfg *Config) FileOf(name string) string {
	if cfg == nil {
		return ""
	}
	return cfg.files[name]
}

// checkMode warns when a file holding a PIN or password can be read by
// users other than its owner.
func (cfg *Config) checkMode(path string) {
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm()&0o044 == 0 {
		return
	}
	for name, p := range cfg.Profiles {
		if cfg.files[name] == path && (p.PIN.IsSet() || p.Password.IsSet()) {
			cfg.Warnings = append(cfg.Warnings, fmt.Sprintf(
				"%s holds a PIN or password and other users can read it (mode %o): run chmod 600 %s", path, st.Mode().Perm(), path))
			return
		}
	}
}

// untrusted words a *safefile.UntrustedError for a config file, whose
// path the ConfigError gives already.
type untrusted struct{ e *safefile.UntrustedError }

func (u untrusted) Error() string {
	what := "it"
	if u.e.Path != u.e.File {
		what = u.e.Path
	}
	return fmt.Sprintf("not read: %s is %s, and zdial reads configuration only from files that nobody but root or the user running it can change; fix: %s",
		what, u.e.Reason, u.e.Fix)
}

func (u untrusted) Unwrap() error { return u.e }

// worded is err with a message for people that the ConfigError around it
// places (no doubled path).
type worded struct {
	msg string
	err error
}

func (w worded) Error() string { return w.msg }
func (w worded) Unwrap() error { return w.err }

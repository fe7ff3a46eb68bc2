package profile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/zdial/zdial/internal/yamlstrict"
)

// Config is the user's profiles, read from one or more YAML files:
//
//	profiles:
//	  work:
//	    inherits: three        # a carrier name or another profile
//	    port: /dev/ttyUSB2
//	    pin: "1234"
//
// Later files override earlier ones profile by profile.
type Config struct {
	Profiles map[string]Profile
	// Warnings are problems that do not stop zdial, such as a file holding
	// a PIN that other users can read.
	Warnings []string
	files    map[string]string // profile name → file it came from
}

// ConfigError is a problem in a config file, at a line and column.
type ConfigError struct {
	File      string
	Line, Col int
	Field     string // dotted path, e.g. profiles.work.pppd.speed
	Err       error
}

func (e *ConfigError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Col)
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

// LoadConfig reads the files in order; a file that does not exist is
// skipped unless required is set (an explicit --config).
func LoadConfig(paths []string, required bool) (*Config, error) {
	cfg := &Config{Profiles: map[string]Profile{}, files: map[string]string{}}
	for _, path := range paths {
		f, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) && !required {
			continue
		}
		if err != nil {
			if errors.Is(err, fs.ErrPermission) {
				return nil, &ConfigError{File: path, Err: fmt.Errorf("%w (the file is not readable by this user: check its owner and mode, or run zdial as root)", err)}
			}
			return nil, &ConfigError{File: path, Err: err}
		}
		err = cfg.read(f, path)
		if err == nil {
			cfg.checkMode(f, path)
		}
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// ParseConfig reads one config document; name is used in errors.
func ParseConfig(r io.Reader, name string) (*Config, error) {
	cfg := &Config{Profiles: map[string]Profile{}, files: map[string]string{}}
	if err := cfg.read(r, name); err != nil {
		return nil, err
	}
	return cfg, nil
}

// file is a config file's shape.
type file struct {
	Profiles map[string]Profile `yaml:"profiles"`
}

func (cfg *Config) read(r io.Reader, name string) error {
	var f file
	if err := yamlstrict.Read(r, &f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // an empty file is an empty config
		}
		ce := &ConfigError{File: name, Err: err}
		if e, ok := errors.AsType[*yamlstrict.Error](err); ok {
			ce.Line, ce.Col, ce.Field, ce.Err = e.Line, e.Col, e.Path, e.Err
		}
		return ce
	}
	for n, p := range f.Profiles {
		p.Name = n
		cfg.Profiles[n] = p
		cfg.files[n] = name
	}
	return nil
}

// checkMode warns when a file holding a PIN or password can be read by
// users other than its owner.
func (cfg *Config) checkMode(f *os.File, path string) {
	st, err := f.Stat()
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

package dialer

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
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
var ErrConfig = errors.New("dialer: configuration error")

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

func (cfg *Config) read(r io.Reader, file string) error {
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // an empty file is an empty config
		}
		return syntaxError(file, err)
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return &ConfigError{File: file, Line: root.Line, Col: root.Column, Err: errors.New("expected a mapping with a profiles key")}
	}
	for i := 0; i < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value != "profiles" {
			return &ConfigError{File: file, Line: k.Line, Col: k.Column, Field: k.Value, Err: errors.New("unknown key (known: profiles)")}
		}
		if v.Kind != yaml.MappingNode {
			return &ConfigError{File: file, Line: v.Line, Col: v.Column, Field: "profiles", Err: errors.New("expected a mapping of profile names to profiles")}
		}
		for j := 0; j < len(v.Content); j += 2 {
			name, body := v.Content[j], v.Content[j+1]
			var p Profile
			if err := decodeStrict(body, reflect.ValueOf(&p).Elem(), file, "profiles."+name.Value); err != nil {
				return err
			}
			p.Name = name.Value
			cfg.Profiles[p.Name] = p
			cfg.files[p.Name] = file
		}
	}
	return nil
}

// decodeStrict decodes a mapping node into a struct, key by key, so an
// unknown key or a value of the wrong type is reported at its own line and
// column with the field's full name.
func decodeStrict(n *yaml.Node, v reflect.Value, file, path string) error {
	if n.Kind != yaml.MappingNode {
		return &ConfigError{File: file, Line: n.Line, Col: n.Column, Field: path, Err: errors.New("expected a mapping")}
	}
	t := v.Type()
	for i := 0; i < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		field := path + "." + k.Value
		idx := -1
		var known []string
		for f := 0; f < t.NumField(); f++ {
			tag := strings.Split(t.Field(f).Tag.Get("yaml"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			known = append(known, tag)
			if tag == k.Value {
				idx = f
			}
		}
		if idx < 0 {
			sort.Strings(known)
			return &ConfigError{File: file, Line: k.Line, Col: k.Column, Field: field,
				Err: fmt.Errorf("unknown field (known: %s)", strings.Join(known, ", "))}
		}
		fv := v.Field(idx)
		if fv.Kind() == reflect.Struct {
			if err := decodeStrict(val, fv, file, field); err != nil {
				return err
			}
			continue
		}
		if err := val.Decode(fv.Addr().Interface()); err != nil {
			return &ConfigError{File: file, Line: val.Line, Col: val.Column, Field: field, Err: cleanYAMLError(err)}
		}
	}
	return nil
}

// cleanYAMLError drops yaml.v3's "yaml: unmarshal errors: line N:" framing,
// since ConfigError already gives the position.
func cleanYAMLError(err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg := te.Errors[0]
		if i := strings.Index(msg, ": "); strings.HasPrefix(msg, "line ") && i > 0 {
			msg = msg[i+2:]
		}
		return errors.New(msg)
	}
	return err
}

func syntaxError(file string, err error) error {
	// yaml.v3 syntax errors read "yaml: line 3: did not find expected key".
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr == nil {
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
		return &ConfigError{File: file, Line: line, Col: 1, Err: errors.New(msg)}
	}
	return &ConfigError{File: file, Err: errors.New(msg)}
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

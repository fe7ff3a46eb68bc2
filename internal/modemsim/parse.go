package modemsim

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed testdata/personas/*.yaml
var builtinFS embed.FS

const personaDir = "testdata/personas"

// maxInherit bounds an inherit chain, so a cycle is an error, not a hang.
const maxInherit = 8

// BuiltinNames lists the embedded personas, sorted.
func BuiltinNames() []string {
	ents, err := fs.ReadDir(builtinFS, personaDir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	return names
}

// Builtin returns a fresh copy of an embedded persona.
func Builtin(name string) (Persona, error) {
	return builtin(name, 0)
}

func builtin(name string, depth int) (Persona, error) {
	data, err := builtinFS.ReadFile(path.Join(personaDir, name+".yaml"))
	if err != nil || strings.ContainsAny(name, "/\\") {
		return Persona{}, fmt.Errorf("%w %q (known: %s)", ErrUnknownPersona, name, strings.Join(BuiltinNames(), ", "))
	}
	return parse(data, name, depth)
}

// ParsePersona reads one persona from YAML. Unknown fields are errors, and
// errors name the line. A persona may `inherit` a builtin one: fields it
// sets replace the parent's, lists replace whole lists. name is used when
// the YAML has no name field.
func ParsePersona(r io.Reader, name string) (Persona, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Persona{}, &PersonaError{Name: name, Err: err}
	}
	return parse(data, name, 0)
}

func parse(data []byte, name string, depth int) (Persona, error) {
	var head struct {
		Inherit string `yaml:"inherit"`
	}
	if err := yaml.Unmarshal(data, &head); err != nil {
		return Persona{}, &PersonaError{Name: name, Err: err}
	}
	p := defaults()
	if head.Inherit != "" {
		if depth >= maxInherit {
			return Persona{}, &PersonaError{Name: name, Err: errors.New("inherit chain too deep (a cycle?)")}
		}
		base, err := builtin(head.Inherit, depth+1)
		if err != nil {
			return Persona{}, &PersonaError{Name: name, Err: fmt.Errorf("inherit: %w", err)}
		}
		p = base
	}
	p.Name, p.Description = "", ""
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil && !errors.Is(err, io.EOF) {
		return Persona{}, &PersonaError{Name: name, Err: err}
	}
	if p.Name == "" {
		p.Name = name
	}
	if err := p.validate(); err != nil {
		return Persona{}, &PersonaError{Name: p.Name, Err: err}
	}
	return p.clone(), nil
}

// validate checks what the YAML types cannot.
func (p *Persona) validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(p.CMEE >= 0 && p.CMEE <= 2, "cmee: %d is not 0, 1 or 2", p.CMEE)
	check(p.SIM.PINAttempts >= 0 && p.SIM.PINAttempts <= maxPIN, "sim.pin_attempts: %d not in 0..%d", p.SIM.PINAttempts, maxPIN)
	check(p.SIM.PUKAttempts >= 0 && p.SIM.PUKAttempts <= maxPUK, "sim.puk_attempts: %d not in 0..%d", p.SIM.PUKAttempts, maxPUK)
	check(isDigits(p.SIM.PIN, 4, 8), "sim.pin: must be 4 to 8 digits")
	check(isDigits(p.SIM.PUK, 8, 8), "sim.puk: must be 8 digits")
	check((p.Network.RSSI >= 0 && p.Network.RSSI <= 31) || p.Network.RSSI == 99, "network.rssi: %d not in 0..31 or 99", p.Network.RSSI)
	check(p.GuardTime > 0, "guard_time: must be positive")
	for i, u := range p.URCs {
		check(u.Line != "", "urcs[%d]: line is empty", i)
		check(u.Every >= 0 && u.After >= 0 && u.Count >= 0, "urcs[%d]: negative after/every/count", i)
	}
	for i, r := range p.Replies {
		check(r.Command != "", "replies[%d]: command is empty", i)
	}
	for i, in := range p.Interleave {
		check(in.Command != "" && in.Line != "", "interleave[%d]: command and line are required", i)
	}
	return errors.Join(errs...)
}

func isDigits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

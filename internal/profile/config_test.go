package profile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zdial/zdial/carriers"
)

func TestConfigErrorsNamePosition(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"unknown field", "profiles:\n  work:\n    apn: x\n    colour: red\n", "cfg.yaml:4:5: profiles.work.colour: unknown field (known: "},
		{"wrong type", "profiles:\n  work:\n    cid: lots\n", "cfg.yaml:3:10: profiles.work.cid: cannot unmarshal !!str into int: expected an integer (int), found a string"},
		{"nested", "profiles:\n  work:\n    pppd:\n      sped: 9600\n", "cfg.yaml:4:7: profiles.work.pppd.sped: unknown field"},
		{"bad duration", "profiles:\n  w:\n    timeouts:\n      register: soon\n", "cfg.yaml:4:17: profiles.w.timeouts.register:"},
		{"top level", "profile:\n  w: {}\n", "cfg.yaml:1:1: profile: unknown field (known: "},
		{"profiles not a mapping", "profiles: [x]\n", "cfg.yaml:1:11: profiles: expected a mapping"},
		{"profile not a mapping", "profiles:\n  w: 3\n", "cfg.yaml:2:6: profiles.w: expected a mapping"},
		{"syntax", "profiles:\n  w:\n    apn: [x\n", "cfg.yaml:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig(strings.NewReader(tc.in), "cfg.yaml")
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("err = %v, want a ConfigError", err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("err = %q\nwant prefix %q", err, tc.want)
			}
		})
	}
}

func TestResolveInheritsCarrier(t *testing.T) {
	cfg, err := ParseConfig(strings.NewReader(`
profiles:
  home:
    inherits: three
    port: /dev/ttyUSB2
    pin: "1234"
    trust_unknown_pin_attempts: true
  laptop:
    inherits: home
    pppd:
      ifname: wwan0
`), "cfg.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Resolve(cfg, carriers.Builtin(), "laptop")
	if err != nil {
		t.Fatal(err)
	}
	if p.APN != "three.co.uk" || p.Port != "/dev/ttyUSB2" || p.PIN.Reveal() != "1234" ||
		p.PPPD.IfName != "wwan0" || !p.TrustUnknownPINAttempts || p.Name != "laptop" {
		t.Errorf("resolved = %+v", p)
	}
	// Resolve leaves the dial defaults to the dial sequence, their one home.
	if p.Number != "" || p.CID != 0 || p.PDPType != "" {
		t.Errorf("Resolve set dial defaults: number %q, cid %d, pdp type %q", p.Number, p.CID, p.PDPType)
	}
	if s := fmt.Sprintf("%v %+v %#v", p, p, p); strings.Contains(s, "1234") {
		t.Errorf("formatting a profile leaks the PIN: %s", s)
	}
}

func TestResolveBuiltinWithoutConfig(t *testing.T) {
	p, err := Resolve(nil, carriers.Builtin(), "three")
	if err != nil {
		t.Fatal(err)
	}
	if p.APN != "three.co.uk" || p.Number != "" || p.Username != "" {
		t.Errorf("three = %+v", p)
	}
}

func TestUnknownProfileListsKnown(t *testing.T) {
	cfg, _ := ParseConfig(strings.NewReader("profiles:\n  work: {apn: x}\n"), "c.yaml")
	_, err := Resolve(cfg, carriers.Builtin(), "wrok")
	var ue *UnknownProfileError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{`"wrok"`, "work", "zdial carriers wrok"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestInheritanceLoop(t *testing.T) {
	cfg, _ := ParseConfig(strings.NewReader("profiles:\n  a: {inherits: b}\n  b: {inherits: a}\n"), "c.yaml")
	_, err := Resolve(cfg, carriers.Builtin(), "a")
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "loop") {
		t.Errorf("err = %v, want an inheritance loop error", err)
	}
}

func TestWorldReadableSecretWarns(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "zdial.yaml")
	os.WriteFile(path, []byte("profiles:\n  w: {apn: x, pin: \"1234\"}\n"), 0o644)
	cfg, err := LoadConfig([]string{path, filepath.Join(dir, "absent.yaml")}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "chmod 600 "+path) {
		t.Errorf("warnings = %q", cfg.Warnings)
	}
	os.Chmod(path, 0o600)
	cfg, _ = LoadConfig([]string{path}, false)
	if len(cfg.Warnings) != 0 {
		t.Errorf("0600 file warned: %q", cfg.Warnings)
	}
	if _, err := LoadConfig([]string{filepath.Join(dir, "absent.yaml")}, true); err == nil {
		t.Error("a required missing config gave no error")
	}
}

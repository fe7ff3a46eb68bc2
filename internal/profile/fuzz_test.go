package profile

import (
	"bytes"
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/zdial/zdial/carriers"
)

// FuzzConfig feeds the config loader arbitrary documents and resolves
// every profile in them (and a few carrier names) the ways the CLI does:
// nothing may panic, every error is a configuration error (positioned
// where it comes from the file), and a PIN or password never shows in an
// error or in config show's values.
func FuzzConfig(f *testing.F) {
	for _, seed := range []string{
		"",
		"country: GB\nprofiles:\n  work: {inherits: three, pin: \"1234\", port: /dev/ttyUSB2}\n",
		"profiles:\n  a: {inherits: b}\n  b: {inherits: a}\n",
		"profiles:\n  w: {carrier: vodafone, country: de, password: hunter2}\n  x: {inherits: w, apn: y}\n",
		"profiles:\n  w:\n    timeouts: {register: -5s, dial: 30s}\n    pppd: {speed: -1, options: [noipdefault]}\n",
		"profiles:\n  home: {pin: \"1\"}\n  home: {pin: \"2\"}\n---\nprofiles: {}\n",
		"profiles: &a\n  x: *a\n",
		"profiles:\n  w: {script: /etc/chatscripts/gprs, init: [ATZ], cid: 3, pdp_type: IPV4V6}\n",
		"profiles:\n  w: {apm: x, colour: red, cid: lots}\n",
	} {
		f.Add([]byte(seed))
	}
	db := carriers.Builtin()
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > MaxConfigSize {
			return
		}
		cfg, err := ParseConfig(bytes.NewReader(data), "fuzz.yaml")
		if err != nil {
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("ParseConfig error is no ConfigError: %v", err)
			}
			for _, e := range AllErrors(err) {
				if e.File != "fuzz.yaml" {
					t.Fatalf("error without its file: %v", e)
				}
			}
			return
		}
		names := make([]string, 0, len(cfg.Profiles)+3)
		for n := range cfg.Profiles {
			names = append(names, n)
		}
		sort.Strings(names)
		names = append(names, "three", "vodafone", "")
		r := Resolver{Config: cfg, DB: db}
		for _, name := range names {
			secrets := secretsOf(cfg, data)
			check := func(what string, err error) {
				if err == nil {
					return
				}
				if !errors.Is(err, ErrConfig) && !errors.Is(err, ErrUnknownProfile) && !errors.Is(err, carriers.ErrAmbiguous) &&
					!errors.Is(err, carriers.ErrUnknownNetwork) {
					t.Fatalf("%s(%q): unexpected error class: %v", what, name, err)
				}
				for _, s := range secrets {
					if strings.Contains(err.Error(), s) {
						t.Fatalf("%s(%q): a secret in the error: %v", what, name, err)
					}
				}
			}
			p, rerr := r.Resolve(name, "")
			check("Resolve", rerr)
			if rerr == nil && name != "" && p.Name != name {
				t.Fatalf("Resolve(%q) named the profile %q", name, p.Name)
			}
			_, vals, err := r.Explain(name)
			check("Explain", err)
			for _, v := range vals {
				if (v.Field == "pin" || v.Field == "password") && v.Value != "****" {
					t.Fatalf("config show prints %s as %q", v.Field, v.Value)
				}
			}
			_, _, err = r.Draft(name)
			check("Draft", err)
			_, _, err = r.ForSIM(name, "262021234567890")
			check("ForSIM", err)
		}
	})
}

// secretsOf lists the PINs and passwords in cfg long enough, and found
// only once in the document, that finding one in a text is no coincidence
// (a password may also be the name of a carrier).
func secretsOf(cfg *Config, data []byte) []string {
	var out []string
	for _, p := range cfg.Profiles {
		for _, s := range []Secret{p.PIN, p.Password} {
			if len(s.Reveal()) >= 6 && bytes.Count(data, []byte(s.Reveal())) == 1 {
				out = append(out, s.Reveal())
			}
		}
	}
	return out
}

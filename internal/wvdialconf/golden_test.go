package wvdialconf

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden YAML files in testdata")

func confFiles(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob("testdata/*.conf")
	if err != nil || len(names) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	return names
}

// TestGolden pins the whole output for each sample file.
func TestGolden(t *testing.T) {
	for _, name := range confFiles(t) {
		t.Run(name, func(t *testing.T) {
			_, got := importFile(t, name)
			golden := filepath.Join("testdata", strings.TrimSuffix(name, ".conf")+".golden.yaml")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if d := cmp.Diff(string(want), string(got)); d != "" {
				t.Errorf("%s differs (-want +got):\n%s", golden, d)
			}
		})
	}
}

// TestEmittedYAMLIsStrictZdialConfig reads each emitted file back with
// unknown fields forbidden, and checks every value survived the quoting.
func TestEmittedYAMLIsStrictZdialConfig(t *testing.T) {
	for _, name := range confFiles(t) {
		t.Run(name, func(t *testing.T) {
			r, out := importFile(t, name)
			cfg, err := decodeStrict(out)
			if err != nil {
				t.Fatalf("strict decode: %v\n%s", err, out)
			}
			if len(cfg.Profiles) != len(r.Profiles) {
				t.Fatalf("%d profiles read back, %d converted", len(cfg.Profiles), len(r.Profiles))
			}
			for _, p := range r.Profiles {
				if d := cmp.Diff(asProfile(p), cfg.Profiles[p.Name]); d != "" {
					t.Errorf("profile %s read back differently (-converted +read):\n%s", p.Name, d)
				}
			}
		})
	}
}

// TestStrictDecodeCatchesUnknownField proves the read-back check can fail.
func TestStrictDecodeCatchesUnknownField(t *testing.T) {
	if _, err := decodeStrict([]byte("profiles:\n  x:\n    phone: \"*99#\"\n")); err == nil {
		t.Fatal("an unknown field decoded without error")
	}
}

// TestSecretsOnlyInValues: the PINs and passwords of the sample files
// appear in the YAML values (the user asked for them) but never in a
// note, a comment line or a printed Result.
func TestSecretsOnlyInValues(t *testing.T) {
	secrets := map[string][]string{
		"huawei-e220.conf": {"1234"},
		"inherits.conf":    {"4821", "hush-8u2"},
		"junk.conf":        {"9753", "12345678", "2468", "s3cret;with;semicolons", "hunter2"},
		"t-mobile-uk.conf": {"one2one"},
	}
	for name, secs := range secrets {
		r, out := importFile(t, name)
		var comments []string
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "#") {
				comments = append(comments, line)
			}
		}
		var notes []string
		for _, n := range append(append([]Note{}, r.Notes...), r.Unmapped...) {
			notes = append(notes, n.String())
		}
		printed := sprintAll(r)
		for _, s := range secs {
			for _, where := range []struct {
				what string
				text string
			}{
				{"comments", strings.Join(comments, "\n")},
				{"notes", strings.Join(notes, "\n")},
				{"printed Result", printed},
			} {
				if strings.Contains(where.text, s) {
					t.Errorf("%s: secret %q in %s", name, s, where.what)
				}
			}
		}
		// The secrets that are carried must be in the values.
		if name == "huawei-e220.conf" && !bytes.Contains(out, []byte(`pin: "1234"`)) {
			t.Errorf("%s: the PIN was not carried:\n%s", name, out)
		}
	}
}

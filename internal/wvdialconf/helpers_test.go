package wvdialconf

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/zdial/zdial/internal/profile"
)

// decodeStrict reads emitted YAML with zdial's own config loader, so a
// field name or value zdial does not take fails the test.
func decodeStrict(data []byte) (*profile.Config, error) {
	return profile.ParseConfig(bytes.NewReader(data), "converted.yaml")
}

// asProfile is what p should read back as.
func asProfile(p Profile) profile.Profile {
	return profile.Profile{
		Name: p.Name, Port: p.Port, APN: p.APN, PDPType: p.PDPType, CID: p.CID, Number: p.Number,
		PIN: p.PIN, Username: p.Username, Password: p.Password,
		Init: p.Init,
		PPPD: profile.PPPD{
			Path: p.PPPD.Path, DefaultRoute: p.PPPD.DefaultRoute, ReplaceDefaultRoute: p.PPPD.ReplaceDefaultRoute,
			UsePeerDNS: p.PPPD.UsePeerDNS, NoVJ: p.PPPD.NoVJ, LCPEchoInterval: p.PPPD.LCPEchoInterval,
			LCPEchoFailure: p.PPPD.LCPEchoFailure, IfName: p.PPPD.IfName, Options: p.PPPD.Options,
		},
		Timeouts: profile.Timeouts{Dial: p.DialTimeout},
	}
}

// importFile parses, converts and emits one testdata file.
func importFile(t *testing.T, name string) (*Result, []byte) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := Import(f, name)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	var buf bytes.Buffer
	if err := r.EmitYAML(&buf); err != nil {
		t.Fatalf("EmitYAML: %v", err)
	}
	return r, buf.Bytes()
}

func parseString(t *testing.T, s string) *File {
	t.Helper()
	f, err := Parse(bytes.NewReader([]byte(s)), "wvdial.conf")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func convertString(t *testing.T, s string) *Result {
	t.Helper()
	r, err := Convert(parseString(t, s))
	if err != nil {
		t.Fatalf("Convert: %v", err)
	}
	return r
}

func profileNamed(t *testing.T, r *Result, name string) Profile {
	t.Helper()
	for _, p := range r.Profiles {
		if p.Name == name {
			return p
		}
	}
	var names []string
	for _, p := range r.Profiles {
		names = append(names, p.Name)
	}
	t.Fatalf("no profile %q in %v", name, names)
	return Profile{}
}

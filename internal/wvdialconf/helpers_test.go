package wvdialconf

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// The types below mirror the YAML tags of zdial's profile
// (internal/dialer/profile.go at the time of writing). Decoding with
// KnownFields makes a field name zdial does not know fail the test.
type mirrorConfig struct {
	Profiles map[string]mirrorProfile `yaml:"profiles"`
}

type mirrorProfile struct {
	Inherits                string         `yaml:"inherits"`
	Port                    string         `yaml:"port"`
	APN                     string         `yaml:"apn"`
	PDPType                 string         `yaml:"pdp_type"`
	CID                     int            `yaml:"cid"`
	Number                  string         `yaml:"number"`
	PIN                     string         `yaml:"pin"`
	TrustUnknownPINAttempts bool           `yaml:"trust_unknown_pin_attempts"`
	Username                string         `yaml:"username"`
	Password                string         `yaml:"password"`
	Init                    []string       `yaml:"init"`
	Script                  string         `yaml:"script"`
	PPPD                    mirrorPPPD     `yaml:"pppd"`
	Timeouts                mirrorTimeouts `yaml:"timeouts"`
}

type mirrorPPPD struct {
	Path                string   `yaml:"path"`
	Speed               int      `yaml:"speed"`
	DefaultRoute        *bool    `yaml:"defaultroute"`
	ReplaceDefaultRoute bool     `yaml:"replacedefaultroute"`
	UsePeerDNS          *bool    `yaml:"usepeerdns"`
	NoVJ                bool     `yaml:"novj"`
	LCPEchoInterval     int      `yaml:"lcp_echo_interval"`
	LCPEchoFailure      int      `yaml:"lcp_echo_failure"`
	IfName              string   `yaml:"ifname"`
	IPParam             string   `yaml:"ipparam"`
	LinkName            string   `yaml:"linkname"`
	Options             []string `yaml:"options"`
}

type mirrorTimeouts struct {
	Wake     time.Duration `yaml:"wake"`
	Register time.Duration `yaml:"register"`
	Dial     time.Duration `yaml:"dial"`
	Switch   time.Duration `yaml:"switch"`
}

// decodeStrict reads emitted YAML the way a strict zdial would.
func decodeStrict(data []byte) (mirrorConfig, error) {
	var cfg mirrorConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(&cfg)
	return cfg, err
}

// asMirror is what p should read back as.
func asMirror(p Profile) mirrorProfile {
	return mirrorProfile{
		Port: p.Port, APN: p.APN, PDPType: p.PDPType, CID: p.CID, Number: p.Number,
		PIN: p.PIN.Reveal(), Username: p.Username, Password: p.Password.Reveal(),
		Init: p.Init,
		PPPD: mirrorPPPD{
			Path: p.PPPD.Path, DefaultRoute: p.PPPD.DefaultRoute, ReplaceDefaultRoute: p.PPPD.ReplaceDefaultRoute,
			UsePeerDNS: p.PPPD.UsePeerDNS, NoVJ: p.PPPD.NoVJ, LCPEchoInterval: p.PPPD.LCPEchoInterval,
			LCPEchoFailure: p.PPPD.LCPEchoFailure, IfName: p.PPPD.IfName, Options: p.PPPD.Options,
		},
		Timeouts: mirrorTimeouts{Dial: p.DialTimeout},
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

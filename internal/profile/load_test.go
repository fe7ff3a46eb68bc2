package profile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zdial/zdial/carriers"
	"github.com/zdial/zdial/internal/safefile"
	"golang.org/x/sys/unix"
)

func write(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// owner is a uid that does not own the test's files: root when the test
// runs as another user, uid 1000 when it runs as root (after a chown).
func foreignFile(t *testing.T, path string) safefile.Owner {
	t.Helper()
	if os.Geteuid() == 0 {
		if err := os.Chown(path, 1000, 1000); err != nil {
			t.Fatal(err)
		}
		return safefile.Owner{UID: 0}
	}
	return safefile.Owner{UID: 0} // the file is the test user's, not root's
}

func TestLoaderTrustsOnlyItsOwner(t *testing.T) {
	dir := t.TempDir()
	path := write(t, filepath.Join(dir, "zdial.yaml"), "profiles:\n  w: {apn: x}\n")
	root := foreignFile(t, path)
	_, err := Loader{Owner: root}.Load([]File{{Path: path}})
	if !errors.Is(err, safefile.ErrUntrusted) || !errors.Is(err, ErrConfig) {
		t.Fatalf("err = %v, want an untrusted-file ConfigError", err)
	}
	if ue, _ := errors.AsType[*safefile.UntrustedError](err); ue == nil || !strings.HasPrefix(ue.Fix, "chown root") {
		t.Errorf("err = %v: want the fix", err)
	}
	if !strings.Contains(err.Error(), "fix: chown root "+path) || strings.Count(err.Error(), path) > 2 {
		t.Errorf("err = %q", err)
	}
	// The file's own user trusts it.
	if os.Geteuid() == 0 {
		if _, err := (Loader{Owner: safefile.Owner{UID: 1000}}).Load([]File{{Path: path}}); err != nil {
			t.Errorf("uid 1000's own file: %v", err)
		}
	}
}

func TestLoaderOwnFileAndMissingFiles(t *testing.T) {
	dir := t.TempDir()
	path := write(t, filepath.Join(dir, "zdial.yaml"), "profiles:\n  w: {apn: x}\n")
	cfg, err := Loader{Owner: safefile.Self()}.Load([]File{{Path: filepath.Join(dir, "absent")}, {Path: path}})
	if err != nil || cfg.Profiles["w"].APN != "x" || len(cfg.Files) != 1 {
		t.Fatalf("cfg = %+v, err = %v", cfg, err)
	}
	_, err = Loader{Owner: safefile.Self()}.Load([]File{{Path: filepath.Join(dir, "absent"), Required: true}})
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("required missing file: err = %v", err)
	}
	// A FIFO does not hang the loader, a directory is refused.
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := mkfifo(fifo); err == nil {
		if _, err := (Loader{Owner: safefile.Self()}).Load([]File{{Path: fifo}}); !errors.Is(err, safefile.ErrNotRegular) {
			t.Errorf("FIFO: err = %v, want ErrNotRegular", err)
		}
	}
}

func TestLoaderBoundsSize(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("# padding padding padding padding\n", MaxConfigSize/34+10)
	path := write(t, filepath.Join(dir, "zdial.yaml"), big)
	_, err := Loader{Owner: safefile.Self()}.Load([]File{{Path: path}})
	if !errors.Is(err, safefile.ErrTooLarge) || !strings.Contains(err.Error(), "larger than 1024 KiB") {
		t.Errorf("err = %v", err)
	}
}

func TestDuplicateProfileKeepsNoneSilently(t *testing.T) {
	_, err := ParseConfig(strings.NewReader("profiles:\n  home: {inherits: three, pin: \"1234\"}\n  home: {inherits: three}\n"), "c.yaml")
	if want := "c.yaml:3:3: profiles.home: duplicate key: also at line 2:3"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v, want %s", err, want)
	}
}

func TestNegativeValuesRefusedAtTheirPlace(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"profiles:\n  w:\n    timeouts: {register: -5s}\n", "c.yaml:3:26: profiles.w.timeouts.register: negative value"},
		{"profiles:\n  w: {cid: -1}\n", "c.yaml:2:12: profiles.w.cid: negative value"},
		{"profiles:\n  w: {pppd: {lcp_echo_failure: -3}}\n", "c.yaml:2:32: profiles.w.pppd.lcp_echo_failure: negative value"},
	} {
		_, err := ParseConfig(strings.NewReader(tc.in), "c.yaml")
		if !errors.Is(err, ErrNegative) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("err = %v\nwant %s", err, tc.want)
		}
	}
	// Zero stays "the default".
	if _, err := ParseConfig(strings.NewReader("profiles:\n  w: {timeouts: {register: 0s}}\n"), "c.yaml"); err != nil {
		t.Errorf("zero timeout: %v", err)
	}
}

func TestCountryMustBeACode(t *testing.T) {
	_, err := ParseConfig(strings.NewReader("country: Germany\n"), "c.yaml")
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "two letters") {
		t.Errorf("err = %v", err)
	}
}

func TestLaterFilesOverrideProfileByProfile(t *testing.T) {
	dir := t.TempDir()
	a := write(t, filepath.Join(dir, "a.yaml"), "country: DE\nprofiles:\n  w: {apn: a, port: /dev/a}\n  only-a: {apn: a}\n")
	b := write(t, filepath.Join(dir, "b.yaml"), "profiles:\n  w: {apn: b}\n")
	cfg, err := Loader{Owner: safefile.Self()}.Load([]File{{Path: a}, {Path: b}})
	if err != nil {
		t.Fatal(err)
	}
	if w := cfg.Profiles["w"]; w.APN != "b" || w.Port != "" || cfg.FileOf("w") != b {
		t.Errorf("w = %+v from %s", w, cfg.FileOf("w"))
	}
	if cfg.Profiles["only-a"].APN != "a" || cfg.Country != "DE" {
		t.Errorf("cfg = %+v", cfg)
	}
}

func TestErrorsAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	a := write(t, filepath.Join(dir, "a.yaml"), "profiles:\n  w: {apm: x}\n")
	b := write(t, filepath.Join(dir, "b.yaml"), "profiles:\n  v: {cid: x}\n")
	_, err := Loader{Owner: safefile.Self()}.Load([]File{{Path: a}, {Path: b}})
	all := AllErrors(err)
	if len(all) != 2 || all[0].File != a || all[1].File != b || all[0].Line != 2 || all[1].Col != 12 {
		t.Errorf("errors = %v", err)
	}
}

func TestResolverCarrierAndOverride(t *testing.T) {
	cfg, err := ParseConfig(strings.NewReader(`
country: IT
profiles:
  base: {apn: base.apn, username: base-user, port: /dev/ttyUSB2}
  work: {inherits: base, carrier: vodafone, number: "*99#", pin: "1234"}
`), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := Resolver{Config: cfg, DB: carriers.Builtin(), Override: Profile{APN: "cli.apn"}}
	p, vals, err := r.Explain("work")
	if err != nil {
		t.Fatal(err)
	}
	if p.APN != "cli.apn" || p.Port != "/dev/ttyUSB2" || p.Username != "base-user" || p.Number != "*99#" {
		t.Errorf("p = %+v", p)
	}
	want := map[string][2]string{
		"apn":      {"cli.apn", SourceCommandLine},
		"port":     {"/dev/ttyUSB2", "c.yaml"},
		"pin":      {"****", "c.yaml"},
		"carrier":  {"vodafone", "c.yaml"},
		"username": {"base-user", "c.yaml"},
	}
	for _, v := range vals {
		if w, ok := want[v.Field]; ok {
			if v.Value != w[0] || v.Source != w[1] {
				t.Errorf("%s = %q from %q, want %q from %q", v.Field, v.Value, v.Source, w[0], w[1])
			}
			delete(want, v.Field)
		}
		if strings.Contains(v.Value, "1234") {
			t.Errorf("%s shows the PIN", v.Field)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing values: %v", want)
	}
	// Without the override, the carrier (vodafone in IT) wins over inherits.
	r.Override = Profile{}
	if p, _ := r.Resolve("work", ""); p.APN != "mobile.vodafone.it" {
		t.Errorf("apn = %q, want vodafone-it's", p.APN)
	}
}

func TestDraftAndForSIM(t *testing.T) {
	db := carriers.Builtin()
	cfg, _ := ParseConfig(strings.NewReader("profiles:\n  bare: {pin: \"1234\"}\n  voda: {carrier: vodafone, pin: \"1234\"}\n  fixed: {apn: my.apn}\n"), "c.yaml")
	r := Resolver{Config: cfg, DB: db}
	for _, tc := range []struct {
		name    string
		needSIM bool
	}{{"bare", true}, {"voda", true}, {"three", true}, {"fixed", false}, {"three-uk", false}, {"giffgaff", false}} {
		p, need, err := r.Draft(tc.name)
		if err != nil || need != tc.needSIM {
			t.Errorf("Draft(%s) = needSIM %v, %v; want %v", tc.name, need, err, tc.needSIM)
		}
		if tc.name == "voda" && p.PIN.Reveal() != "1234" {
			t.Errorf("Draft(voda) lost the PIN: %+v", p)
		}
	}
	for _, tc := range []struct{ name, imsi, apn, note string }{
		{"bare", "262011234567890", "internet.telekom", "APN from the SIM: IMSI 26201… → MCC 262 MNC 01 → Telekom"},
		{"voda", "262011234567890", "web.vodafone.de", "vodafone → vodafone-de (the SIM is on network 26201)"},
		{"three", "272051234567890", "3ireland.ie", "three → three-ie"},
		{"", "405857123456789", "jionet", "MNC 857"},
	} {
		p, note, err := r.ForSIM(tc.name, tc.imsi)
		if err != nil || p.APN != tc.apn || !strings.Contains(note, tc.note) {
			t.Errorf("ForSIM(%s, %s) = %q, %q, %v; want %s, %q", tc.name, tc.imsi, p.APN, note, err, tc.apn, tc.note)
		}
	}
	if p, _, _ := r.ForSIM("bare", "262011234567890"); p.Username != "telekom" || p.PIN.Reveal() != "1234" {
		t.Errorf("ForSIM(bare) = %+v: want the carrier's public user and the profile's PIN", p)
	}
	// Still ambiguous for the SIM's network: the candidates, ours first.
	_, _, err := r.ForSIM("vodafone", "310260123456789")
	if ae, ok := errors.AsType[*carriers.AmbiguousError](err); !ok || len(ae.Candidates) < 5 {
		t.Errorf("err = %v, want an AmbiguousError", err)
	}
	// No IMSI and no APN: say what to do.
	if _, _, err := r.ForSIM("bare", ""); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "--apn") {
		t.Errorf("err = %v", err)
	}
	// A network nobody knows: the same.
	if _, _, err := r.ForSIM("bare", "999991234567890"); !errors.Is(err, carriers.ErrUnknownNetwork) || !strings.Contains(err.Error(), "--apn") {
		t.Errorf("err = %v", err)
	}
}

func TestCarrierErrorsNameTheField(t *testing.T) {
	cfg, _ := ParseConfig(strings.NewReader("profiles:\n  w: {carrier: nosuch}\n  v: {carrier: vodafone}\n"), "c.yaml")
	r := Resolver{Config: cfg, DB: carriers.Builtin()}
	if _, err := r.Resolve("w", ""); !errors.Is(err, ErrUnknownProfile) || !strings.Contains(err.Error(), "c.yaml: profiles.w.carrier") {
		t.Errorf("err = %v", err)
	}
	if _, err := r.Resolve("v", ""); !errors.Is(err, carriers.ErrAmbiguous) || !strings.Contains(err.Error(), "profiles.v.carrier") {
		t.Errorf("err = %v", err)
	}
}

func mkfifo(path string) error { return unix.Mkfifo(path, 0o600) }

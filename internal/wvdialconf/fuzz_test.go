package wvdialconf

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var validName = regexp.MustCompile(`^[a-z0-9._-]+$`)

// FuzzParse feeds arbitrary files through Parse, Convert and EmitYAML.
// Whatever the input: no panic, errors are *Error, profile names are
// valid and distinct, and the YAML reads back — strictly, as zdial
// would — to exactly the converted values, so no value can break out of
// its quoting or a comment.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.conf")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"", "[", "[]", "[Dialer Defaults", "[Dialer Defaults]\nInit3 = AT+CPIN=\"1234\";+CGDCONT=1,\"IP\",\"a\"\n",
		"[Dialer a]\nInherits = Dialer a\n[Dialer b]\nInherits = Dialer a\n",
		"[Dialer Defaults]\nPhone = '*99#'\nUsername = \"\"\nPassword = ''\n",
		"[Dialer x: y]\nModem = #!/dev/tty\nPPPD Option = password\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pf, err := Parse(bytes.NewReader(data), "fuzz.conf")
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not an *Error", err)
			}
			return
		}
		r, err := Convert(pf)
		if err != nil {
			if !errors.Is(err, ErrNoDialer) {
				t.Fatalf("Convert: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, p := range r.Profiles {
			if !validName.MatchString(p.Name) || seen[p.Name] {
				t.Fatalf("profile name %q invalid or repeated", p.Name)
			}
			seen[p.Name] = true
		}
		var out bytes.Buffer
		if err := r.EmitYAML(&out); err != nil {
			t.Fatalf("EmitYAML: %v", err)
		}
		cfg, err := decodeStrict(out.Bytes())
		if err != nil {
			t.Fatalf("emitted YAML does not read back: %v\n%s", err, out.Bytes())
		}
		if len(cfg.Profiles) != len(r.Profiles) {
			t.Fatalf("%d profiles read back, %d converted\n%s", len(cfg.Profiles), len(r.Profiles), out.Bytes())
		}
		for _, p := range r.Profiles {
			if d := cmp.Diff(asProfile(p), cfg.Profiles[p.Name]); d != "" {
				t.Fatalf("profile %s read back differently (-converted +read):\n%s\n%s", p.Name, d, out.Bytes())
			}
		}
		for _, line := range strings.Split(out.String(), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "#") && strings.ContainsFunc(line, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				t.Fatalf("a comment holds a control character: %q", line)
			}
		}
	})
}

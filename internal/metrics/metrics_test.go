package metrics

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.prom golden files")

var golden = map[string][]Link{
	"two-links": {
		{Profile: "home", Up: true, HasSignal: true, SignalDBm: -71, Tech: "LTE", Reconnects: 3,
			HasCounters: true, RxBytes: 123456789012, TxBytes: 4567, HasExitCode: true, LastExitCode: 16},
		{Profile: "van", Up: false},
	},
	"escaping": {
		{Profile: `we"ird\name` + "\nx", Up: true, Tech: "LTE \"CA\"\\\xff", HasSignal: true, SignalDBm: -100.5},
	},
	"empty": nil,
}

func TestGolden(t *testing.T) {
	for name, links := range golden {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Format(&b, links); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+".prom")
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if b.String() != string(want) {
				t.Errorf("output differs from %s:\n%s", path, b.String())
			}
			if _, err := parse(b.String()); err != nil {
				t.Fatalf("output does not parse: %v\n%s", err, b.String())
			}
		})
	}
}

// TestRoundTrip: every value written, label values included, is read back
// as it went in by a strict parser of the format.
func TestRoundTrip(t *testing.T) {
	for name, links := range golden {
		var b bytes.Buffer
		if err := Format(&b, links); err != nil {
			t.Fatal(err)
		}
		got, err := parse(b.String())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := map[string]float64{}
		for _, l := range links {
			p := strings.ToValidUTF8(l.Profile, "\uFFFD")
			want[series("zdial_link_up", "profile", p)] = map[bool]float64{true: 1}[l.Up]
			want[series("zdial_reconnects_total", "profile", p)] = float64(l.Reconnects)
			if l.HasSignal {
				want[series("zdial_signal_dbm", "profile", p)] = l.SignalDBm
			}
			if l.Tech != "" {
				want[series("zdial_access_technology_info", "profile", p, "tech", strings.ToValidUTF8(l.Tech, "\uFFFD"))] = 1
			}
			if l.HasCounters {
				want[series("zdial_receive_bytes_total", "profile", p)] = float64(l.RxBytes)
				want[series("zdial_transmit_bytes_total", "profile", p)] = float64(l.TxBytes)
			}
			if l.HasExitCode {
				want[series("zdial_last_exit_code", "profile", p)] = float64(l.LastExitCode)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d series, want %d:\n%v", name, len(got), len(want), got)
		}
		for k, v := range want {
			if gv, ok := got[k]; !ok || gv != v {
				t.Errorf("%s: series %s = %v (present %v), want %v", name, k, gv, ok, v)
			}
		}
	}
}

func TestFormatRejects(t *testing.T) {
	for name, links := range map[string][]Link{
		"empty profile": {{}},
		"duplicate":     {{Profile: "a"}, {Profile: "a"}},
		"NaN signal":    {{Profile: "a", HasSignal: true, SignalDBm: math.NaN()}},
	} {
		if err := Format(&bytes.Buffer{}, links); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "zdial-home.prom")
	if err := WriteFile(path, golden["two-links"][:1]); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, golden["two-links"]); err != nil { // replace
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(filepath.Join("testdata", "two-links.prom"))
	if string(got) != string(want) {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("directory holds %d entries, want only the metrics file", len(ents))
	}
	if err := WriteFile(path, []Link{{}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("invalid link: err = %v", err)
	}
	if got2, _ := os.ReadFile(path); string(got2) != string(got) {
		t.Error("a rejected write changed the file")
	}
}

// The strict checker: the subset of the text format zdial writes, read the
// way the format's specification says, rejecting anything doubtful.

var (
	metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelName  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

func series(name string, kv ...string) string {
	var b strings.Builder
	b.WriteString(name)
	for i := 0; i < len(kv); i += 2 {
		fmt.Fprintf(&b, "|%s=%q", kv[i], kv[i+1])
	}
	return b.String()
}

// parse returns series → value, keyed by series() with unescaped values.
func parse(text string) (map[string]float64, error) {
	if text != "" && !strings.HasSuffix(text, "\n") {
		return nil, errors.New("no final line feed")
	}
	out := map[string]float64{}
	types := map[string]string{}
	helps := map[string]bool{}
	done := map[string]bool{} // families whose block has ended
	current := ""
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if text == "" {
			break
		}
		fail := func(f string, a ...any) error { return fmt.Errorf("line %d %q: %s", i+1, line, fmt.Sprintf(f, a...)) }
		if strings.HasPrefix(line, "#") {
			f := strings.SplitN(line, " ", 4)
			if len(f) < 4 || (f[1] != "HELP" && f[1] != "TYPE") || !metricName.MatchString(f[2]) {
				return nil, fail("bad comment")
			}
			name := f[2]
			if done[name] {
				return nil, fail("family %s split", name)
			}
			if current != "" && current != name {
				done[current] = true
			}
			current = name
			switch f[1] {
			case "HELP":
				if helps[name] {
					return nil, fail("second HELP")
				}
				if err := checkEscapes(f[3], false); err != nil {
					return nil, fail("%v", err)
				}
				helps[name] = true
			case "TYPE":
				if types[name] != "" {
					return nil, fail("second TYPE")
				}
				switch f[3] {
				case "counter":
					if !strings.HasSuffix(name, "_total") {
						return nil, fail("counter without _total")
					}
				case "gauge":
				default:
					return nil, fail("type %q", f[3])
				}
				types[name] = f[3]
			}
			continue
		}
		name, labels, value, err := parseSample(line)
		if err != nil {
			return nil, fail("%v", err)
		}
		if types[name] == "" || name != current {
			return nil, fail("sample outside its family's block")
		}
		key := series(name, labels...)
		if _, dup := out[key]; dup {
			return nil, fail("duplicate series")
		}
		out[key] = value
	}
	return out, nil
}

func parseSample(line string) (name string, labels []string, value float64, err error) {
	open := strings.IndexByte(line, '{')
	if open < 0 {
		return "", nil, 0, errors.New("zdial always writes labels")
	}
	name = line[:open]
	if !metricName.MatchString(name) {
		return "", nil, 0, fmt.Errorf("metric name %q", name)
	}
	rest := line[open+1:]
	for {
		eq := strings.IndexByte(rest, '=')
		if eq < 0 || !labelName.MatchString(rest[:eq]) || len(rest) < eq+2 || rest[eq+1] != '"' {
			return "", nil, 0, fmt.Errorf("label at %q", rest)
		}
		ln := rest[:eq]
		rest = rest[eq+2:]
		var v strings.Builder
		j := 0
		for ; ; j++ {
			if j >= len(rest) {
				return "", nil, 0, errors.New("unterminated label value")
			}
			c := rest[j]
			if c == '"' {
				break
			}
			if c == '\n' {
				return "", nil, 0, errors.New("raw line feed in label value")
			}
			if c == '\\' {
				j++
				if j >= len(rest) {
					return "", nil, 0, errors.New("dangling backslash")
				}
				switch rest[j] {
				case '\\', '"':
					v.WriteByte(rest[j])
				case 'n':
					v.WriteByte('\n')
				default:
					return "", nil, 0, fmt.Errorf("escape \\%c", rest[j])
				}
				continue
			}
			v.WriteByte(c)
		}
		if !utfValid(v.String()) {
			return "", nil, 0, errors.New("label value not UTF-8")
		}
		labels = append(labels, ln, v.String())
		rest = rest[j+1:]
		if strings.HasPrefix(rest, ",") {
			rest = rest[1:]
			continue
		}
		if !strings.HasPrefix(rest, "} ") {
			return "", nil, 0, fmt.Errorf("after labels: %q", rest)
		}
		rest = rest[2:]
		break
	}
	value, err = strconv.ParseFloat(rest, 64)
	if err != nil {
		return "", nil, 0, fmt.Errorf("value %q", rest)
	}
	return name, labels, value, nil
}

func utfValid(s string) bool { return strings.ToValidUTF8(s, "") == s }

func checkEscapes(s string, quotes bool) error {
	for j := 0; j < len(s); j++ {
		if s[j] == '\\' {
			j++
			if j >= len(s) || (s[j] != '\\' && s[j] != 'n' && !(quotes && s[j] == '"')) {
				return errors.New("bad escape in HELP")
			}
		}
	}
	return nil
}

// TestCheckerRejects keeps the checker honest: it must refuse broken input,
// or the golden test above proves nothing.
func TestCheckerRejects(t *testing.T) {
	bad := []string{
		"zdial_x{profile=\"a\"} 1",                                                   // no final line feed
		"zdial_x{profile=\"a\"} 1\n",                                                 // no TYPE
		"# TYPE zdial_x gauge\nzdial_x{profile=\"a\\q\"} 1\n",                        // bad escape
		"# TYPE zdial_x gauge\nzdial_x{profile=\"a} 1\n",                             // unterminated
		"# TYPE zdial_x gauge\nzdial_x{profile=\"a\"} one\n",                         // value
		"# TYPE zdial_x counter\nzdial_x{profile=\"a\"} 1\n",                         // counter name
		"# TYPE zdial_x gauge\nzdial_x{profile=\"a\"} 1\nzdial_x{profile=\"a\"} 2\n", // duplicate
		"# TYPE zdial_x gauge\nzdial_x{profile=\"a\"} 1\n# TYPE zdial_y gauge\nzdial_y{profile=\"a\"} 1\nzdial_x{profile=\"b\"} 1\n", // split
		"# TYPE zdial_x gauge\nzdial_x{2profile=\"a\"} 1\n",                                                                          // label name
	}
	for _, s := range bad {
		if _, err := parse(s); err == nil {
			t.Errorf("checker accepted %q", s)
		}
	}
}

package wvdialconf

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseSectionsAndKeys(t *testing.T) {
	f := parseString(t, "\ufeff; comment\r\n# another\r\n"+
		"[Dialer Defaults]\r\n"+
		"  MODEM   =   /dev/ttyUSB0  \r\n"+
		"stupid    mode=1\r\n"+
		"Password = a;b#c = d\r\n"+
		"\r\n"+
		"[ Dialer   Three  UK ]   ; for the office\n"+
		"Phone = *99#\n"+
		"[dialer defaults]\n"+
		"Baud = 460800\n")
	if len(f.Sections) != 2 {
		t.Fatalf("%d sections, want 2 (a repeated header adds to its section)", len(f.Sections))
	}
	d, ok := f.Section("DIALER  DEFAULTS")
	if !ok || d.Line != 3 {
		t.Fatalf("defaults: %v line %d", ok, d.Line)
	}
	for _, c := range []struct{ key, val string }{
		{"Modem", "/dev/ttyUSB0"},
		{"Stupid Mode", "1"},
		{"password", "a;b#c = d"}, // only whole-line comments; the first '=' splits
		{"baud", "460800"},
	} {
		e, ok := d.Get(c.key)
		if !ok || e.Value != c.val {
			t.Errorf("Get(%q) = %q, %v; want %q", c.key, e.Value, ok, c.val)
		}
	}
	three, ok := f.Section("dialer three uk")
	if !ok || three.Name != "Dialer Three UK" {
		t.Fatalf("three: %v %q", ok, three.Name)
	}
	if e, _ := three.Get("phone"); e.Line != 9 {
		t.Errorf("Phone at line %d, want 9", e.Line)
	}
	if len(f.Problems) != 0 {
		t.Errorf("problems: %v", f.Problems)
	}
}

func TestParseProblemsAreNotFatal(t *testing.T) {
	f := parseString(t, "Phone = 1\n[Dialer Defaults]\njunk\n= x\nPhone = 2\nphone = 3\n")
	want := map[int]string{1: "before any [section]", 3: "not a Key = Value", 4: "no key", 6: "repeats line 5"}
	if len(f.Problems) != len(want) {
		t.Fatalf("problems %v, want %d", f.Problems, len(want))
	}
	for _, p := range f.Problems {
		if !strings.Contains(p.Reason, want[p.Line]) {
			t.Errorf("line %d: %q, want it to say %q", p.Line, p.Reason, want[p.Line])
		}
	}
	d, _ := f.Section("Dialer Defaults")
	if e, _ := d.Get("PHONE"); e.Value != "3" {
		t.Errorf("the later Phone should win, got %q", e.Value)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		name, in string
		line     int
		is       error
	}{
		{"unterminated header", "[Dialer Defaults]\nPhone = 1\n[Dialer 4711\nInit3 = AT+CPIN=4711\n", 3, ErrSyntax},
		{"empty header", "[ ]\n", 1, ErrSyntax},
		{"text after header", "[Dialer a] Phone = 4711\n", 1, ErrSyntax},
		{"NUL byte", "[Dialer Defaults]\nPassword = 47\x0011\n", 2, ErrSyntax},
		{"not UTF-8", "[Dialer Defaults]\nPassword = caf\xe9 4711\n", 2, ErrSyntax},
		{"too large", strings.Repeat("; padding\n", MaxSize/10+1), 0, ErrTooLarge},
		{"too many sections", manySections(MaxSections + 1), MaxSections + 1, ErrTooLarge},
		{"too many settings", "[Dialer Defaults]\n" + strings.Repeat("Phone = 1\n", MaxEntries+1), MaxEntries + 2, ErrTooLarge},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(c.in), "/etc/wvdial.conf")
			var pe *Error
			if !errors.As(err, &pe) || !errors.Is(err, c.is) {
				t.Fatalf("err = %v, want *Error wrapping %v", err, c.is)
			}
			if pe.Line != c.line || pe.File != "/etc/wvdial.conf" {
				t.Errorf("at %s:%d, want line %d", pe.File, pe.Line, c.line)
			}
			if strings.Contains(err.Error(), "4711") || strings.Contains(err.Error(), "café") {
				t.Errorf("error quotes the line: %v", err)
			}
			if strings.Count(err.Error(), "/etc/wvdial.conf") != 1 {
				t.Errorf("path not exactly once: %v", err)
			}
		})
	}
}

func TestParseExactlyMaxSize(t *testing.T) {
	in := "[Dialer Defaults]\n" + strings.Repeat(";", MaxSize-len("[Dialer Defaults]\n"))
	if _, err := Parse(bytes.NewReader([]byte(in)), "x"); err != nil {
		t.Fatalf("a file of exactly MaxSize bytes: %v", err)
	}
}

func TestConvertNeedsADialer(t *testing.T) {
	_, err := Convert(parseString(t, "[Modem0]\nModem = /dev/ttyS0\n"))
	if !errors.Is(err, ErrNoDialer) {
		t.Fatalf("err = %v, want ErrNoDialer", err)
	}
	_, err = Convert(parseString(t, ""))
	if !errors.Is(err, ErrNoDialer) {
		t.Fatalf("empty file: err = %v, want ErrNoDialer", err)
	}
}

func manySections(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("[Dialer s" + strings.Repeat("x", i) + "]\n")
	}
	return b.String()
}

package chat

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzPIN is the secret the fuzz targets give the parsers: whatever the
// input, it must never appear in an error (an error quotes input, and the
// PIN is substituted into it).
const fuzzPIN = "97531"

func seedDir(f *testing.F, dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range ents {
		if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && !e.IsDir() {
			f.Add(b)
		}
	}
}

// FuzzParseChat8 feeds the chat(8) parser arbitrary scripts: it must not
// panic, a script it accepts has only known step kinds, and the PIN it was
// given as a secret never shows in an error.
func FuzzParseChat8(f *testing.F) {
	seedDir(f, "testdata/chat8")
	f.Add([]byte(`ABORT BUSY '' AT OK-AT-OK ATD\T CONNECT`))
	f.Add([]byte("'' 'AT+CPIN=" + fuzzPIN + "' OK \\c\\d\\p\\N\\\\ \"quoted \\\"x\" TIMEOUT 5 SAY 'hi\\n'"))
	f.Add([]byte("REPORT CONNECT CLR_ABORT BUSY ECHO ON HANGUP OFF -- '\\"))
	f.Fuzz(func(t *testing.T, src []byte) {
		phone := "*99#"
		s, err := ParseChat8(bytes.NewReader(src), "fuzz", Chat8Options{Phone: &phone, Secrets: []string{fuzzPIN}})
		if err != nil {
			if strings.Contains(err.Error(), fuzzPIN) {
				t.Fatalf("error shows the secret: %v", err)
			}
			return
		}
		checkSteps(t, s)
	})
}

// FuzzParseScriptYAML does the same for zdial's YAML scripts, with the PIN
// as the secret variable ${pin}.
func FuzzParseScriptYAML(f *testing.F) {
	seedDir(f, "testdata/scripts")
	f.Add([]byte("steps:\n  - send: AT+CPIN=\"${pin}\"\n    expect: OK\n"))
	f.Add([]byte("steps:\n  - wait_until: {send: AT, match: '^(OK', every: 1s}\n"))
	f.Add([]byte("timeout: -5s\nabort: [x]\nsteps: [{expect: [{match: a, then: b}, {match: c, fail: d}]}]\n---\nx: 1\n"))
	vars := ScriptVars{
		Values: map[string]string{"apn": "three.co.uk", "number": "*99#", "cid": "1", "pin": fuzzPIN},
		Secret: map[string]bool{"pin": true},
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := ParseScriptYAML(bytes.NewReader(src), "fuzz.yaml", vars)
		if err != nil {
			if strings.Contains(err.Error(), fuzzPIN) {
				t.Fatalf("error shows the secret: %v", err)
			}
			return
		}
		checkSteps(t, s)
	})
}

func checkSteps(t *testing.T, s *Script) {
	t.Helper()
	for i, st := range s.Steps {
		if _, ok := stepKindNames[st.Kind]; !ok {
			t.Fatalf("step %d has kind %v", i, st.Kind)
		}
		if st.Kind == StepSetTimeout && st.Duration < 0 {
			t.Fatalf("step %d sets a negative timeout %v", i, st.Duration)
		}
	}
}

package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/zdial/zdial/internal/modemsim"
)

// Issue 9 item 14: a modem's text reaches neither the terminal nor the
// JSON with its escape sequences. The simulator puts a screen clear and a
// window-title change after CONNECT's rate. (It quotes an operator name
// itself, so a raw ESC cannot reach zdial that way; dialseq strips the
// operator name all the same.)
func TestModemTextIsStrippedForPeople(t *testing.T) {
	dir := t.TempDir()
	_, port := simPort(t, "zte-mf622", func(p *modemsim.Persona) {
		p.Dial.Rate = "7200\x1b[2J\x1b]0;owned\x07"
	})
	for _, asJSON := range []bool{false, true} {
		args := append(baseArgs(t, dir), "--port", port, "--dry-run", "three")
		if asJSON {
			args = append(args, "--json")
		}
		code, stdout, stderr := zdial(t, args...)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for name, out := range map[string]string{"stdout": stdout, "stderr": stderr} {
			if strings.ContainsAny(out, "\x1b\x07") || strings.Contains(out, `\u001b`) {
				t.Errorf("json=%v: %s carries the modem's escape sequences: %q", asJSON, name, out)
			}
		}
		if asJSON {
			var got struct {
				Operator string `json:"operator"`
				Rate     string `json:"connect_rate"`
			}
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatal(err)
			}
			if got.Rate != "7200" || got.Operator != "3 UK" {
				t.Errorf("JSON rate %q operator %q, want 7200 and 3 UK", got.Rate, got.Operator)
			}
		}
	}
}

package secret

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestNeverPrinted(t *testing.T) {
	s := String("4711")
	type profile struct {
		PIN  String
		Name string
	}
	p := profile{PIN: s, Name: "home"}
	var outs []string
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		outs = append(outs, fmt.Sprintf(f, p), fmt.Sprintf(f, s))
	}
	j, _ := json.Marshal(p)
	outs = append(outs, string(j))
	var logb bytes.Buffer
	slog.New(slog.NewTextHandler(&logb, nil)).Info("x", "pin", s, "p", p)
	slog.New(slog.NewJSONHandler(&logb, nil)).Info("x", "pin", s)
	outs = append(outs, logb.String())
	for _, o := range outs {
		if strings.Contains(o, "4711") {
			t.Errorf("secret printed: %s", o)
		}
		if !strings.Contains(o, Mask) {
			t.Errorf("no mask in %s", o)
		}
	}
	if s.Reveal() != "4711" || !s.IsSet() || String("").IsSet() || String("").String() != "" {
		t.Error("Reveal/IsSet/empty")
	}
}

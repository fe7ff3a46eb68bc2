package main

import (
	"os"
	"strings"
	"testing"

	"github.com/zdial/zdial/pppctl"
)

// The README lists every pppd option a profile may add, as pppctl accepts
// them: the error for a refused option sends people there.
func TestREADMEListsAllowedPPPDOptions(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	_, section, ok := strings.Cut(readme, "#### pppd options a profile may add")
	if !ok {
		t.Fatal("the README has no \"pppd options a profile may add\" section")
	}
	section, _, _ = strings.Cut(section, "\n### ")
	for _, o := range pppctl.AllowedOptions() {
		if !strings.Contains(section, "`"+o+"`") {
			t.Errorf("the README's pppd options do not list `%s`", o)
		}
	}
}

package main

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestSplitChatArgs(t *testing.T) {
	// Files named like the profiles in the working directory change nothing.
	dir := t.TempDir()
	for _, name := range []string{"three", "home", "OK"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("ABORT BUSY '' ATZ\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	for _, tc := range []struct {
		name    string
		args    []string
		mode    chatMode
		profile string
		chat8   []string
		yaml    string
		config  string
		verbose bool
	}{
		{name: "bare profile", args: []string{"three"}, mode: chatByProfile, profile: "three"},
		{name: "chat flag before the profile", args: []string{"-v", "three"}, mode: chatByProfile, profile: "three", verbose: true},
		{name: "config and -v before the profile", args: []string{"--config", "/etc/z.yaml", "-v", "home"}, mode: chatByProfile, profile: "home", config: "/etc/z.yaml", verbose: true},
		{name: "config FILE before the profile", args: []string{"--config", "/etc/z.yaml", "home"}, mode: chatByProfile, profile: "home", config: "/etc/z.yaml"},
		{name: "config=FILE", args: []string{"--config=/etc/z.yaml", "home"}, mode: chatByProfile, profile: "home", config: "/etc/z.yaml"},
		{name: "config after the profile", args: []string{"-V", "home", "--config", "/etc/z.yaml"}, mode: chatByProfile, profile: "home", config: "/etc/z.yaml", verbose: true},
		{name: "explicit --profile", args: []string{"--profile", "three"}, mode: chatByProfile, profile: "three"},
		{name: "explicit --profile with -v", args: []string{"-v", "--profile=three"}, mode: chatByProfile, profile: "three", verbose: true},
		{name: "unknown word is still a profile name", args: []string{"thre"}, mode: chatByProfile, profile: "thre"},
		{name: "chat(8) inline script", args: []string{"", "AT", "OK"}, mode: chatChat8, chat8: []string{"", "AT", "OK"}},
		{name: "chat(8) options and script", args: []string{"-v", "-t", "5", "ABORT", "BUSY", "", "ATD*99#", "CONNECT"}, mode: chatChat8, chat8: []string{"-v", "-t", "5", "ABORT", "BUSY", "", "ATD*99#", "CONNECT"}},
		{name: "chat(8) bundled option argument", args: []string{"-vt5", "three", "AT"}, mode: chatChat8, chat8: []string{"-vt5", "three", "AT"}},
		{name: "chat(8) -f", args: []string{"-v", "-f", "/etc/chatscripts/gprs"}, mode: chatChat8, chat8: []string{"-v", "-f", "/etc/chatscripts/gprs"}},
		{name: "chat(8) -f with a relative name", args: []string{"-f", "three"}, mode: chatChat8, chat8: []string{"-f", "three"}},
		{name: "one empty word", args: []string{""}, mode: chatChat8, chat8: []string{""}},
		{name: "one word after --", args: []string{"--", "OK"}, mode: chatChat8, chat8: []string{"--", "OK"}},
		{name: "a path is a chat(8) file", args: []string{"./three"}, mode: chatChat8, chat8: []string{"-f", "./three"}},
		{name: ".chat is a chat(8) file", args: []string{"gprs.chat"}, mode: chatChat8, chat8: []string{"-f", "gprs.chat"}},
		{name: "YAML script", args: []string{"dial.yaml"}, mode: chatYAMLFile, yaml: "dial.yaml"},
		{name: "YAML with -f", args: []string{"-f", "/etc/zdial/dial.yml"}, mode: chatYAMLFile, yaml: "/etc/zdial/dial.yml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			call, err := splitChatArgs(tc.args)
			if err != nil {
				t.Fatal(err)
			}
			if call.mode != tc.mode || call.profile != tc.profile || call.yaml != tc.yaml || call.config != tc.config || call.verbose != tc.verbose {
				t.Errorf("got mode %d profile %q yaml %q config %q verbose %v; want mode %d profile %q yaml %q config %q verbose %v",
					call.mode, call.profile, call.yaml, call.config, call.verbose, tc.mode, tc.profile, tc.yaml, tc.config, tc.verbose)
			}
			if tc.chat8 != nil && !slices.Equal(call.chat8, tc.chat8) {
				t.Errorf("chat(8) argv %q, want %q", call.chat8, tc.chat8)
			}
		})
	}
}

func TestSplitChatArgsRefuses(t *testing.T) {
	for _, args := range [][]string{
		{"--profile", "three", "", "AT"},   // a profile and a script
		{"--profile", "three", "-f", "x"},  // the same with -f
		{"-t", "5", "--profile", "three"},  // chat(8)'s timeout does not apply
		{"-t", "5", "three"},               // nor to a bare profile ("5" is -t's, not the profile)
		{"-T", "123", "three", "--x", "1"}, // unknown zdial option
		{"--no-such", "v", "three"},
		{"-q", "three"}, // not a chat(8) option
		{"--log-format", "xml", "three"},
	} {
		if _, err := splitChatArgs(args); err == nil {
			t.Errorf("%q: accepted", args)
		}
	}
	if _, err := splitChatArgs([]string{"--help"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("--help: err = %v, want flag.ErrHelp", err)
	}
}

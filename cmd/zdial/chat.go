package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/zdial/zdial/chat"
	"github.com/zdial/zdial/internal/dialer"
)

// runChat stands in for chat(8) as pppd's connect program: the tty is on
// stdin and stdout.
//
//	zdial chat -v -f /etc/chatscripts/gprs     a chat(8) command line, unchanged
//	zdial chat dial.yaml                       a zdial YAML script
//	zdial chat three                           a profile's dial, as zdial three would dial
//
// The exit codes are chat(8)'s (see chatExitCode).
func runChat(ctx context.Context, args []string, io stdio) int {
	tty, err := chat.OpenChat8TTY(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(io.err, "zdial chat:", err)
		return 2
	}
	defer tty.Close() // restores the terminal settings pppd handed us
	cfg := chat.Chat8Config{TTY: tty, Stderr: io.err}
	if len(args) == 1 && !strings.HasPrefix(args[0], "-") {
		switch ext := strings.ToLower(filepath.Ext(args[0])); {
		case ext == ".yaml" || ext == ".yml":
			return chatYAML(ctx, args[0], cfg)
		case !exists(args[0]):
			return chatProfile(ctx, args[0], tty, io)
		}
	}
	return runChat8(ctx, args, cfg, chat8Env{})
}

func chatYAML(ctx context.Context, path string, cfg chat.Chat8Config) int {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(cfg.Stderr, "zdial chat:", err)
		return 1
	}
	defer f.Close()
	script, err := chat.ParseScriptYAML(f, path, chat.ScriptVars{})
	if err != nil {
		fmt.Fprintln(cfg.Stderr, "zdial chat:", err)
		return 1
	}
	return chat.RunScriptAsChat8(ctx, script, cfg)
}

// chatProfile dials the profile on tty through the dialer, exactly as
// `zdial PROFILE` dials after opening the port, and leaves the line to pppd.
func chatProfile(ctx context.Context, name string, tty *chat.Chat8TTY, io stdio) int {
	p := paths{stateDir: defaultStateDir()}
	prof, code := loadProfile(&p, name, io)
	if code != exitOK {
		return 1 // chat(8): bad parameters
	}
	opts := (&connectFlags{paths: p}).dialerOptions(prof, stdio{out: io.err, err: io.err})
	_, err := dialer.Dial(ctx, opts, tty)
	if err != nil {
		fmt.Fprintln(io.err, "zdial chat:", err)
	}
	return chatExitCode(err)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

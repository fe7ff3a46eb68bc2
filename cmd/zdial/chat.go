package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/zdial/zdial/at"
	"github.com/zdial/zdial/chat"
	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/dialseq"
)

// runChat stands in for chat(8) as pppd's connect program: the tty is on
// stdin and stdout.
//
//	zdial chat -v -f /etc/chatscripts/gprs     a chat(8) command line, unchanged
//	zdial chat dial.yaml                       a zdial YAML script
//	zdial chat three                           the default dial script for a profile
//
// The exit codes are chat(8)'s: 0 success, 1 bad parameters, 2 I/O error,
// 3 timeout, 4 + n for the nth ABORT string. In profile mode they follow the
// same scheme: 0 CONNECT, 1 a bad profile, 2 the line failed, 3 a deadline
// passed, 4 the modem refused (SIM, network or dial).
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
	return chat.RunChat8With(ctx, args, cfg)
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

func chatProfile(ctx context.Context, name string, tty *chat.Chat8TTY, io stdio) int {
	p := paths{stateDir: defaultStateDir()}
	profile, code := loadProfile(&p, name, io)
	if code != exitOK {
		return 1
	}
	opts := (&connectFlags{paths: p}).dialerOptions(profile, stdio{out: io.err, err: io.err})
	params := opts.DialParams()
	if err := params.Validate(); err != nil {
		fmt.Fprintln(io.err, "zdial chat:", err)
		return 1
	}
	m := at.New(tty)
	_, err := dialseq.Dial(ctx, m, params)
	if err == nil {
		// The line is pppd's now: stop the engine without closing it.
		if err := m.Release(); err != nil {
			fmt.Fprintln(io.err, "zdial chat:", err)
			return 2
		}
		return 0
	}
	m.Close()
	fmt.Fprintln(io.err, "zdial chat:", err)
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, dialseq.ErrNotRegistered):
		return 3
	case errors.Is(err, at.ErrHangup), errors.Is(err, dialseq.ErrModemSilent):
		return 2
	case dialer.Classify(err) == dialer.ClassConfig:
		return 1
	}
	return 4
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

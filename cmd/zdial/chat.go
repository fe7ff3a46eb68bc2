package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/zdial/zdial/at"
	"github.com/zdial/zdial/chat"
	"github.com/zdial/zdial/internal/dialer"
)

// runChat stands in for chat(8) as pppd's connect program: the tty is on
// stdin and stdout.
//
//	zdial chat -v -f /etc/chatscripts/gprs     a chat(8) command line, unchanged
//	zdial chat three                           the default dial script for a profile
//
// In chat(8) mode the exit codes are chat(8)'s (0 ok, 1 bad parameters,
// 2 I/O error, 3 timeout, 4 + n for the nth ABORT string). In profile mode
// they follow the same scheme: 0 CONNECT, 1 a bad profile, 2 the line
// failed, 3 a deadline passed, 4 the modem refused (SIM, network or dial).
func runChat(ctx context.Context, args []string, io stdio) int {
	tty := stdioRW{r: os.Stdin, w: os.Stdout}
	if len(args) == 1 && args[0] != "" && args[0][0] != '-' && !exists(args[0]) {
		return chatProfile(ctx, args[0], tty, io)
	}
	return chat.RunChat8(ctx, args, tty, io.err)
}

func chatProfile(ctx context.Context, name string, tty stdioRW, io stdio) int {
	var p paths
	p.stateDir = defaultStateDir()
	profile, code := loadProfile(&p, name, io)
	if code != exitOK {
		return 1
	}
	m := at.New(tty)
	opts := (&connectFlags{paths: p}).dialerOptions(profile, stdio{out: io.err, err: io.err})
	_, err := chat.Dial(ctx, m, opts.DialParams())
	if err == nil {
		if err := m.Release(); err != nil {
			fmt.Fprintln(io.err, "zdial chat:", err)
			return 2
		}
		return 0
	}
	fmt.Fprintln(io.err, "zdial chat:", err)
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, chat.ErrNotRegistered):
		return 3
	case errors.Is(err, at.ErrHangup), errors.Is(err, chat.ErrModemSilent):
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

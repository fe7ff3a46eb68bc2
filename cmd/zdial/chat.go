package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/zdial/zdial/internal/safefile"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/zdial/zdial/chat"
	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/hooks"
	"github.com/zdial/zdial/internal/profile"
)

// runChat stands in for chat(8) as pppd's connect program: the tty is on
// stdin and stdout.
//
//	zdial chat -v -f /etc/chatscripts/gprs     a chat(8) command line, unchanged
//	zdial chat '' AT OK ATD*99# CONNECT        a chat(8) script on the command line
//	zdial chat /etc/zdial/dial.yaml            a script file: YAML (.yaml), else chat(8)
//	zdial chat three                           a profile's dial, as zdial three would dial
//	zdial chat -v --config FILE home           the same, with a transcript and a config
//	zdial chat --profile three                 a profile, said explicitly
//
// What the words mean (chatArgs has the rule) never depends on the files
// in the working directory. The exit codes are chat(8)'s (see
// chatExitCode).
func runChat(ctx context.Context, args []string, io stdio) int {
	call, err := splitChatArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(io.out, chatUsage)
		fmt.Fprintln(io.out, "zdial's options (before the script or after a profile name):")
		(&chatCall{}).longFlags(io.out).PrintDefaults()
		return 0
	}
	if err != nil {
		fmt.Fprintln(io.err, "zdial chat:", err)
		fmt.Fprint(io.err, chatUsage)
		return 1 // chat(8): bad parameters
	}
	tty, err := chat.OpenChat8TTY(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(io.err, "zdial chat:", err)
		return 2
	}
	defer tty.Close() // restores the terminal settings pppd handed us
	cfg := chat.Chat8Config{TTY: tty, Stderr: io.err}
	switch call.mode {
	case chatYAMLFile:
		return chatYAML(ctx, call.yaml, cfg)
	case chatByProfile:
		return chatProfile(ctx, call, tty, io)
	}
	return runChat8(ctx, call.chat8, cfg, chat8Env{readFile: readScript})
}

const chatUsage = `usage: zdial chat [chat(8) options] SCRIPT...         a chat(8) script (words, or -f FILE)
       zdial chat [-v] [--config FILE] PROFILE           a profile's dial (a bare word)
       zdial chat [-v] [--config FILE] --profile NAME
       zdial chat FILE.yaml | PATH/FILE | FILE.chat      a script file
       zdial chat -- WORD                                 a one-word chat(8) script
`

type chatMode int

const (
	chatChat8     chatMode = iota // chat(8): options and script words, or -f
	chatYAMLFile                  // a zdial YAML script
	chatByProfile                 // a profile's dial
)

// chatCall is a zdial chat command line, split.
type chatCall struct {
	mode     chatMode
	chat8    []string // chatChat8: chat(8)'s argv
	yaml     string   // chatYAMLFile: the script's path
	profile  string   // chatByProfile
	bare     bool     // the profile is a bare word, not --profile
	verbose  bool     // chatByProfile: -v or -V, a transcript on stderr
	config   string   // --config
	stateDir string   // --state-dir
	log      logFlags // --log-format
}

// chat(8)'s option letters that take an argument.
const chat8ArgOpts = "ftTUr"

// splitChatArgs decides what a zdial chat command line asks for. The rule:
//
//   - Words starting with "--" before the script (or after a profile
//     name) are zdial's options: --config, --profile, --state-dir,
//     --log-format. chat(8) has none, so no chat(8) line changes meaning.
//   - Other words starting with "-" are chat(8)'s options, read as chat(8)
//     reads them; "--" ends the options and makes what follows a chat(8)
//     script whatever it looks like.
//   - --profile NAME dials that profile.
//   - One word left: a path (it contains "/") or a name ending in .yaml,
//     .yml or .chat is a script file (YAML for .yaml/.yml, chat(8)
//     otherwise, as with -f); a bare word that could name a profile
//     (letters, digits, '.', '_', '-') is a profile. A one-word chat(8)
//     script can only wait for that word and never send, so it is not
//     worth a profile name's meaning; "zdial chat -- WORD" still runs it.
//   - Two words or more (or one that cannot be a profile name, such as
//     the empty word), and -f FILE, are chat(8) scripts, run unchanged.
//
// Whether a file of that name exists never matters.
func splitChatArgs(args []string) (chatCall, error) {
	var call chatCall
	var opts, long, pos []string
	forced := false
	i := 0
scan:
	for ; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			forced = true
			i++
			break scan
		case strings.HasPrefix(a, "--"):
			n := longOptWords(args[i:])
			long = append(long, args[i:i+n]...)
			i += n - 1
		case len(a) >= 2 && a[0] == '-':
			opts = append(opts, a)
			for j := 1; j < len(a); j++ {
				if strings.IndexByte(chat8ArgOpts, a[j]) < 0 {
					continue
				}
				if j == len(a)-1 && i+1 < len(args) {
					i++
					opts = append(opts, args[i])
				}
				break
			}
		default:
			break scan
		}
	}
	pos = args[i:]
	// A profile name may come first, zdial's options after it.
	if !forced && len(pos) > 1 && hooks.ValidProfileName(pos[0]) == nil && allLongOpts(pos[1:]) {
		long = append(long, pos[1:]...)
		pos = pos[:1]
	}
	if err := call.parseLong(long); err != nil {
		return call, err
	}
	c8, ok := parseChat8Flags(opts)
	if !ok {
		return call, errors.New("bad chat(8) options")
	}
	switch {
	case call.profile != "":
		if len(pos) > 0 || forced || c8.file != "" {
			return call, errors.New("--profile with a script: give one or the other")
		}
		call.mode = chatByProfile
	case forced:
		call.chat8 = append(append(opts, "--"), pos...)
		return call, nil
	case c8.file != "" && isYAMLName(c8.file):
		if len(pos) > 0 {
			return call, errors.New("-f with a script: give one or the other")
		}
		call.mode, call.yaml = chatYAMLFile, c8.file
	case c8.file != "" || len(pos) != 1:
		call.chat8 = append(opts, pos...)
		return call, nil
	case isYAMLName(pos[0]):
		call.mode, call.yaml = chatYAMLFile, pos[0]
	case strings.Contains(pos[0], "/") || strings.HasSuffix(pos[0], ".chat"):
		call.chat8 = append(append(opts, "-f"), pos[0])
		return call, nil
	case hooks.ValidProfileName(pos[0]) == nil:
		call.mode, call.profile, call.bare = chatByProfile, pos[0], true
	default:
		call.chat8 = append(opts, pos...)
		return call, nil
	}
	// A profile or a YAML script: chat(8)'s logging options apply, its
	// timeout, phone numbers and report file do not.
	if c8.timeout != "" || c8.phone != nil || c8.phone2 != nil || c8.reportFile != "" || c8.file != "" && call.mode == chatByProfile {
		return call, errors.New("-t, -T, -U, -r and -f apply to chat(8) scripts; a profile's timeouts are in its config")
	}
	call.verbose = c8.verbose || c8.stderrVerbose
	return call, nil
}

// longOptWords is how many words the zdial option at args[0] takes: one
// for --name=value or a flag without a value, two for --name value.
func longOptWords(args []string) int {
	if strings.Contains(args[0], "=") || len(args) < 2 || args[0] == "--help" {
		return 1
	}
	return 2
}

func allLongOpts(args []string) bool {
	for i := 0; i < len(args); i += longOptWords(args[i:]) {
		if !strings.HasPrefix(args[i], "--") || args[i] == "--" {
			return false
		}
	}
	return true
}

// longFlags are zdial chat's own options (chat(8) has no long ones),
// printing to w.
func (c *chatCall) longFlags(w io.Writer) *flag.FlagSet {
	fs := newFlagSet("chat", w)
	fs.StringVar(&c.config, "config", "", "config file")
	fs.StringVar(&c.profile, "profile", "", "the profile to dial")
	fs.StringVar(&c.stateDir, "state-dir", defaultStateDir(), "zdial's state directory")
	c.log.register(fs)
	return fs
}

func (c *chatCall) parseLong(words []string) error {
	fs := c.longFlags(io.Discard)
	if err := fs.Parse(words); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected %q", fs.Arg(0))
	}
	return nil
}

func isYAMLName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

func chatYAML(ctx context.Context, path string, cfg chat.Chat8Config) int {
	src, err := readScript(path)
	if err != nil {
		fmt.Fprintln(cfg.Stderr, "zdial chat:", err)
		return 1
	}
	script, err := chat.ParseScriptYAML(bytes.NewReader(src), path, chat.ScriptVars{})
	if err != nil {
		fmt.Fprintln(cfg.Stderr, "zdial chat:", err)
		return 1
	}
	return chat.RunScriptAsChat8(ctx, script, cfg)
}

// chatProfile dials the profile on tty through the dialer, exactly as
// `zdial PROFILE` dials after opening the port, and leaves the line to
// pppd. As chat(8), it is quiet unless -v: pppd's log gets the failure.
func chatProfile(ctx context.Context, call chatCall, tty *chat.Chat8TTY, io stdio) int {
	p := paths{config: call.config, stateDir: call.stateDir, log: call.log}
	f := connectFlags{paths: p, verbose: call.verbose}
	r, code := loadResolver(&f, io)
	prof, needSIM := profile.Profile{}, false
	if code == exitOK {
		var err error
		if prof, needSIM, err = r.Draft(call.profile); err != nil {
			fmt.Fprintln(io.err, "zdial:", forPeople(err))
			code = exitCode(err)
		}
	}
	if code != exitOK {
		if call.bare {
			fmt.Fprintf(io.err, "zdial chat: a bare word is a profile; for the one-word chat(8) script, write: zdial chat -- %s\n", call.profile)
		}
		return 1 // chat(8): bad parameters
	}
	opts := f.dialerOptions(prof, stdio{out: io.err, err: io.err})
	if !call.verbose {
		opts.Progress = nil
	}
	if needSIM { // as zdial PROFILE: the SIM settles the carrier or the APN
		opts.FromSIM = func(imsi string) (profile.Profile, string, error) { return r.ForSIM(call.profile, imsi) }
	}
	_, err := dialer.Dial(ctx, opts, tty)
	if err != nil {
		call.log.reportError(io.err, "zdial chat", err, chatExitCode(err))
	}
	return chatExitCode(err)
}

// readScript reads a script file named on zdial chat's command line as the
// dialer reads a profile's: pppd runs its connect program as root.
func readScript(path string) ([]byte, error) { return dialer.ReadScript(safefile.Self(), path) }

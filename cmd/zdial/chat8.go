package main

import (
	"context"
	"io"
	"os"

	"github.com/zdial/zdial/chat"
)

// chat8Flags are chat(8)'s parsed options.
type chat8Flags struct {
	echo, env, verbose, stderrVerbose, toStderr bool
	toLog                                       bool
	timeout                                     string // -t's argument; "" for the default
	file, reportFile                            string
	phone, phone2                               *string
	script                                      []string
}

const chat8Usage = `Usage: chat [-e] [-E] [-v] [-V] [-t timeout] [-r report-file]
     [-T phone-number] [-U phone-number2] {-f chat-file | chat-script}
`

// parseChat8Flags reads options as chat(8)'s micro-getopt: bundled letters
// (-vs), an argument in the same word or the next (-t5, -t 5), "--" ends
// the options, the first word not starting with "-" begins the script.
func parseChat8Flags(args []string) (chat8Flags, bool) {
	f := chat8Flags{toLog: true}
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		for j := 1; j < len(a); j++ {
			opt := a[j]
			optarg := func() (string, bool) {
				if j+1 < len(a) {
					v := a[j+1:]
					j = len(a)
					return v, true
				}
				if i+1 < len(args) {
					i++
					return args[i], true
				}
				return "", false
			}
			switch opt {
			case 'e':
				f.echo = true
			case 'E':
				f.env = true
			case 'v':
				f.verbose = true
			case 'V':
				f.stderrVerbose = true
			case 's':
				f.toStderr = true
			case 'S':
				f.toLog = false
			case 'f', 't', 'T', 'U', 'r':
				v, ok := optarg()
				if !ok {
					if opt == 'r' {
						continue // chat(8) ignores a bare -r
					}
					return f, false
				}
				switch opt {
				case 'f':
					f.file = v
				case 't':
					f.timeout = v
				case 'T':
					f.phone = &v
				case 'U':
					f.phone2 = &v
				case 'r':
					f.reportFile = v
				}
			default:
				return f, false
			}
		}
	}
	f.script = args[i:]
	if f.file != "" && len(f.script) > 0 {
		return f, false
	}
	return f, true
}

// chat8Env is what runChat8 reads besides the line: -E's variables and
// script files. Nil fields are the process's own (os.LookupEnv,
// os.ReadFile).
type chat8Env struct {
	getenv   func(name string) (string, bool)
	readFile func(name string) ([]byte, error)
}

// runChat8 is `zdial chat` given a chat(8) command line: it parses args as
// chat(8)'s options and runs the script with chat.RunChat8, which returns
// chat(8)'s exit status (1 for a usage error). cfg.Syslog receives what
// chat(8) sends to syslog (unless -S): with -v everything, otherwise only
// failures; -s copies that to cfg.Stderr, -V logs the progress there.
func runChat8(ctx context.Context, args []string, cfg chat.Chat8Config, env chat8Env) int {
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	f, ok := parseChat8Flags(args)
	if !ok {
		_, _ = io.WriteString(cfg.Stderr, chat8Usage)
		return 1
	}
	opts := chat.Chat8Options{Timeout: chat.DefaultStepTimeout, Phone: f.phone, Phone2: f.phone2, ReadFile: env.readFile}
	if f.timeout != "" {
		opts.Timeout = chat.Chat8Timeout(f.timeout)
	}
	if f.env {
		opts.Getenv = env.getenv
		if opts.Getenv == nil {
			opts.Getenv = os.LookupEnv
		}
	}
	return chat.RunChat8(ctx, chat.Chat8Run{
		File: f.file, Words: f.script, Options: opts, Echo: f.echo, ReportFile: f.reportFile,
		Log: func(line string, failure bool) {
			if f.toLog && cfg.Syslog != nil && (f.verbose || failure) {
				cfg.Syslog(line)
			}
			if f.toStderr && (f.verbose || failure) || f.stderrVerbose && !failure {
				_, _ = io.WriteString(cfg.Stderr, line+"\n")
			}
		},
	}, cfg)
}

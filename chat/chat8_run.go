package chat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Chat8Config is what RunChat8With needs from its environment. Zero
// fields get the defaults RunChat8 uses.
type Chat8Config struct {
	// TTY is the line (chat(8)'s stdin and stdout).
	TTY io.ReadWriter
	// Stderr receives SAY text, ECHO output, REPORT lines without -r,
	// the usage message and, with -s or -V, the log.
	Stderr io.Writer
	// Syslog receives the log lines chat(8) sends to syslog (unless -S):
	// with -v everything, otherwise only failures. Nil: dropped.
	Syslog func(line string)
	// Getenv serves -E. Default: os.LookupEnv.
	Getenv func(name string) (string, bool)
	// ReadFile reads -f scripts and @file sends. Default: os.ReadFile.
	ReadFile func(name string) ([]byte, error)
	// OpenReport opens -r's file for appending. Default: os.OpenFile with
	// O_APPEND|O_CREATE, mode 0644.
	OpenReport func(name string) (io.WriteCloser, error)
	// Now stamps REPORT lines. Default: time.Now.
	Now func() time.Time
	// Secrets (a PIN, a password) are masked as "****" in every log line,
	// echo and report; a send containing one is logged as "****".
	Secrets []string
}

// RunChat8 is chat(8): it parses args as chat(8)'s command line, runs the
// script on tty and returns chat(8)'s exit status:
//
//	0 the script succeeded
//	1 bad parameters (usage, an unreadable or malformed script)
//	2 an I/O error, the line hung up, or ctx ended (chat(8)'s SIGTERM)
//	3 timeout waiting for an expected string
//	4 the first ABORT string arrived, 5 the second, and so on
//
// (A YAML alternative marked fail: gives 1.)
//
// Options: -e (echo on), -E (environment substitution), -v (log to
// syslog), -V (log to stderr), -s (log to stderr too), -S (not to syslog),
// -t timeout, -f file, -r report-file, -T phone, -U phone2. Unlike chat(8)
// the whole script is parsed before anything is sent, so a malformed line
// 20 sends nothing at all (the exit status is the same).
func RunChat8(ctx context.Context, args []string, tty io.ReadWriter, stderr io.Writer) int {
	return RunChat8With(ctx, args, Chat8Config{TTY: tty, Stderr: stderr})
}

// chat8Flags are chat(8)'s parsed options.
type chat8Flags struct {
	echo, env, verbose, stderrVerbose, toStderr bool
	toLog                                       bool
	timeout                                     time.Duration
	file, reportFile                            string
	phone, phone2                               *string
	script                                      []string
}

const chat8Usage = `Usage: chat [-e] [-E] [-v] [-V] [-t timeout] [-r report-file]
     [-T phone-number] [-U phone-number2] {-f chat-file | chat-script}
`

// chat8NoTimeout stands for -t 0: chat(8) then sets no alarm at all.
const chat8NoTimeout = 100 * 365 * 24 * time.Hour

// parseChat8Flags reads options as chat(8)'s micro-getopt: bundled letters
// (-vs), an argument in the same word or the next (-t5, -t 5), "--" ends
// the options, the first word not starting with "-" begins the script.
func parseChat8Flags(args []string) (chat8Flags, bool) {
	f := chat8Flags{toLog: true, timeout: DefaultStepTimeout}
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
					f.timeout = time.Duration(atoi(v)) * time.Second
					if f.timeout <= 0 {
						f.timeout = chat8NoTimeout
					}
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

// RunChat8With is RunChat8 with its environment spelt out.
func RunChat8With(ctx context.Context, args []string, cfg Chat8Config) int {
	stderr := cfg.Stderr
	if stderr == nil {
		stderr = io.Discard
	}
	f, ok := parseChat8Flags(args)
	if !ok {
		_, _ = io.WriteString(stderr, chat8Usage)
		return 1
	}
	readFile := cfg.ReadFile
	if readFile == nil {
		readFile = os.ReadFile
	}
	mask := func(s string) string {
		for _, sec := range cfg.Secrets {
			if sec != "" {
				s = strings.ReplaceAll(s, sec, "****")
			}
		}
		return s
	}
	// logLine is chat(8)'s logf: syslog unless -S (everything with -v,
	// failures only without), stderr with -s.
	logLine := func(line string, failure bool) {
		line = mask(line)
		if f.toLog && cfg.Syslog != nil && (f.verbose || failure) {
			cfg.Syslog(line)
		}
		if f.toStderr && (f.verbose || failure) || f.stderrVerbose && !failure {
			_, _ = io.WriteString(stderr, line+"\n")
		}
	}

	opts := Chat8Options{Timeout: f.timeout, Phone: f.phone, Phone2: f.phone2, Secrets: cfg.Secrets, ReadFile: readFile}
	if f.env {
		opts.Getenv = cfg.Getenv
		if opts.Getenv == nil {
			opts.Getenv = os.LookupEnv
		}
	}
	var script *Script
	var err error
	if f.file != "" {
		var src []byte
		if src, err = readFile(f.file); err != nil {
			logLine(fmt.Sprintf("%s -- open failed: %v", f.file, err), true)
			return 1
		}
		script, err = ParseChat8(bytes.NewReader(src), f.file, opts)
	} else {
		script, err = ParseChat8Args(f.script, opts)
	}
	if err != nil {
		logLine(err.Error(), true)
		return Chat8ExitCode(err)
	}
	if f.echo {
		script.Steps = append([]Step{{Kind: StepEcho, On: true}}, script.Steps...)
	}

	cfg.Stderr = stderr
	return runAsChat8(ctx, script, cfg, f.reportFile, logLine)
}

// RunScriptAsChat8 runs a parsed script (a YAML one, say) the way
// RunChat8 runs a chat(8) script: SAY, ECHO and REPORT output to
// cfg.Stderr, failures logged to cfg.Syslog, and chat(8)'s exit status.
// It is `zdial chat FILE.yaml` as pppd's connect program.
func RunScriptAsChat8(ctx context.Context, s *Script, cfg Chat8Config) int {
	stderr := cfg.Stderr
	if stderr == nil {
		stderr = io.Discard
	}
	return runAsChat8(ctx, s, Chat8Config{
		TTY: cfg.TTY, Stderr: stderr, Syslog: cfg.Syslog, OpenReport: cfg.OpenReport,
		Now: cfg.Now, Secrets: cfg.Secrets,
	}, "", func(line string, failure bool) {
		if failure && cfg.Syslog != nil {
			cfg.Syslog(line)
		}
	})
}

func runAsChat8(ctx context.Context, script *Script, cfg Chat8Config, reportFile string, logLine func(line string, failure bool)) int {
	stderr := cfg.Stderr
	report := stderr
	if reportFile != "" {
		open := cfg.OpenReport
		if open == nil {
			open = func(name string) (io.WriteCloser, error) {
				return os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
			}
		}
		// chat(8) falls back to stderr when the report file cannot be opened.
		if w, err := open(reportFile); err == nil {
			defer w.Close()
			report = w
		}
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	r := NewRunner(cfg.TTY,
		WithSayOutput(stderr),
		WithEchoOutput(stderr),
		WithReportOutput(report),
		WithSecrets(cfg.Secrets...),
		WithScriptLog(func(line string) { logLine(line, false) }),
	)
	r.reportFormat = func(text string) string {
		return "chat:  " + now().Format("Jan 02 15:04:05 ") + text
	}
	// The read-ahead goroutine, if the tty needed one, ends at its next
	// Read; the tty itself belongs to the caller and stays open.
	defer func() {
		done, cancel := context.WithCancel(context.Background())
		cancel()
		_ = r.Release(done)
	}()

	_, err := r.Run(ctx, script)
	if err != nil {
		var ab *AbortError
		if errors.As(err, &ab) {
			logLine(fmt.Sprintf("Failed (%s)", visible(ab.Text)), true)
		} else {
			logLine("Failed: "+err.Error(), true)
		}
	}
	return Chat8ExitCode(err)
}

// Chat8ExitCode maps an error from parsing or running a script to chat(8)'s
// exit status (see RunChat8).
func Chat8ExitCode(err error) int {
	var ab *AbortError
	var se *ScriptSyntaxError
	var fe *chat8FatalError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ab):
		return 4 + ab.Index
	case errors.Is(err, ErrExpectTimeout):
		return 3
	case errors.As(err, &fe):
		return 2
	case errors.As(err, &se):
		return 1
	case errors.Is(err, ErrScriptIO), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return 2
	}
	return 1
}

package chat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Chat8Config is the environment a script runs in the chat(8) way. Zero
// fields get defaults.
type Chat8Config struct {
	// TTY is the line (chat(8)'s stdin and stdout).
	TTY io.ReadWriter
	// Stderr receives SAY text, ECHO output and REPORT lines without a
	// report file.
	Stderr io.Writer
	// Syslog receives chat(8)'s failure lines when Chat8Run.Log is nil.
	// Nil: dropped.
	Syslog func(line string)
	// OpenReport opens the report file for appending. Default: os.OpenFile
	// with O_APPEND|O_CREATE, mode 0644.
	OpenReport func(name string) (io.WriteCloser, error)
	// Now stamps REPORT lines. Default: time.Now.
	Now func() time.Time
	// Secrets (a PIN, a password) are masked as "****" in every log line,
	// echo and report; a send containing one is logged as "****".
	Secrets []string
}

// Chat8Run is one chat(8) command line, already parsed (cmd/zdial parses
// chat(8)'s options: -e is Echo, -f File, -r ReportFile, -t, -T, -U and -E
// are in Options, and -v, -V, -s and -S decide what Log does).
type Chat8Run struct {
	// File is the script file (-f); empty: the script is Words.
	File  string
	Words []string
	// Options shape the parsed script. Options.ReadFile, if set, also reads
	// File (default: os.ReadFile); Options.Secrets defaults to the
	// config's.
	Options Chat8Options
	// Echo turns ECHO on from the start (-e).
	Echo bool
	// ReportFile receives REPORT lines instead of Stderr (-r).
	ReportFile string
	// Log receives every line chat(8) logs, secrets masked: the script's
	// progress and, with failure set, why it failed. Nil: failures go to
	// Chat8Config.Syslog.
	Log func(line string, failure bool)
}

// Chat8Timeout is the expect timeout chat(8) makes of a -t argument: C's
// atoi of it, in seconds; zero or less means no timeout at all.
func Chat8Timeout(arg string) time.Duration {
	d := time.Duration(atoi(arg)) * time.Second
	if d <= 0 {
		return chat8NoTimeout
	}
	return d
}

// chat8NoTimeout stands for -t 0: chat(8) then sets no alarm at all.
const chat8NoTimeout = 100 * 365 * 24 * time.Hour

// RunChat8 is chat(8) with its command line parsed: it parses the script
// (from run.File or run.Words), runs it on cfg.TTY and returns chat(8)'s
// exit status:
//
//	0 the script succeeded
//	1 bad parameters (an unreadable or malformed script)
//	2 an I/O error, the line hung up, or ctx ended (chat(8)'s SIGTERM)
//	3 timeout waiting for an expected string
//	4 the first ABORT string arrived, 5 the second, and so on
//
// (A YAML alternative marked fail: gives 1.) Unlike chat(8) the whole
// script is parsed before anything is sent, so a malformed line 20 sends
// nothing at all (the exit status is the same).
func RunChat8(ctx context.Context, run Chat8Run, cfg Chat8Config) int {
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	log := chat8Log(run.Log, cfg)
	opts := run.Options
	if opts.Secrets == nil {
		opts.Secrets = cfg.Secrets
	}
	var script *Script
	var err error
	if run.File != "" {
		readFile := opts.ReadFile
		if readFile == nil {
			readFile = os.ReadFile
		}
		var src []byte
		if src, err = readFile(run.File); err != nil {
			log(fmt.Sprintf("%s -- open failed: %v", run.File, err), true)
			return 1
		}
		script, err = ParseChat8(bytes.NewReader(src), run.File, opts)
	} else {
		script, err = ParseChat8Args(run.Words, opts)
	}
	if err != nil {
		log(err.Error(), true)
		return Chat8ExitCode(err)
	}
	if run.Echo {
		script.Steps = append([]Step{{Kind: StepEcho, On: true}}, script.Steps...)
	}
	return runAsChat8(ctx, script, cfg, run.ReportFile, log)
}

// chat8Log masks every line before logf sees it; nil logf sends failures
// to cfg.Syslog.
func chat8Log(logf func(line string, failure bool), cfg Chat8Config) func(string, bool) {
	if logf == nil {
		logf = func(line string, failure bool) {
			if failure && cfg.Syslog != nil {
				cfg.Syslog(line)
			}
		}
	}
	return func(line string, failure bool) { logf(maskSecrets(line, cfg.Secrets), failure) }
}

// RunScriptAsChat8 runs a parsed script (a YAML one, say) the way
// RunChat8 runs a chat(8) script: SAY, ECHO and REPORT output to
// cfg.Stderr, failures logged to cfg.Syslog, and chat(8)'s exit status.
// It is `zdial chat FILE.yaml` as pppd's connect program.
func RunScriptAsChat8(ctx context.Context, s *Script, cfg Chat8Config) int {
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	return runAsChat8(ctx, s, cfg, "", chat8Log(nil, cfg))
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
// exit status (see RunChat8): the one table of chat(8)'s exit codes.
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

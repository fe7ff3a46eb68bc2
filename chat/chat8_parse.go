package chat

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Chat8Options are the chat(8) settings that shape a parsed script: its
// command-line options other than the I/O ones.
type Chat8Options struct {
	// Timeout is -t: the initial expect timeout (zero: 45 s).
	Timeout time.Duration
	// Phone and Phone2 are -T and -U, substituted for \T and \U in sends.
	// Nil leaves \T as chat(8) does without -T.
	Phone, Phone2 *string
	// Getenv enables -E: $NAME in a string is replaced by the variable's
	// value (nothing when unset). Nil: no substitution.
	Getenv func(name string) (string, bool)
	// Secrets (PIN, password) are masked as "****" in logs; a send holding
	// one is logged as "****".
	Secrets []string
	// ReadFile reads the file of an "@file" send. Nil: such sends fail.
	ReadFile func(name string) ([]byte, error)
}

// chat(8)'s limits.
const (
	chat8MaxString  = 1024 // STR_LEN: longest expect string, longest file line
	chat8MaxAborts  = 50   // MAX_ABORTS, MAX_REPORTS
	chat8MaxAbortSz = 49   // longest ABORT/REPORT string (fail_buffer[50])
)

// chat8Token is one word of a chat(8) script, escapes not yet applied.
type chat8Token struct {
	text string
	pos  Pos
}

// ParseChat8 parses a chat(8) script file (chat -f): words separated by
// blanks, quoted with ' or " when they hold blanks, lines starting with #
// ignored; words alternate expect, send, expect, ….
func ParseChat8(r io.Reader, name string, opts Chat8Options) (*Script, error) {
	toks, err := chat8Tokenize(r, name)
	if err != nil {
		return nil, err
	}
	return chat8Compile(toks, name, opts)
}

// ParseChat8Args parses a chat(8) script given as command-line words (the
// shell has already removed the quotes).
func ParseChat8Args(args []string, opts Chat8Options) (*Script, error) {
	toks := make([]chat8Token, len(args))
	for i, a := range args {
		toks[i] = chat8Token{text: a, pos: Pos{File: "argument", Line: i + 1}}
	}
	return chat8Compile(toks, "command line", opts)
}

// chat8Tokenize splits a script file as chat(8)'s do_file does. Note its
// quirks, kept on purpose: only a # in the first column starts a comment,
// and a quoted word ends at its closing quote ('a'b is two words).
func chat8Tokenize(r io.Reader, name string) ([]chat8Token, error) {
	var toks []chat8Token
	br := bufio.NewReader(r)
	for lineNo := 1; ; lineNo++ {
		line, err := br.ReadString('\n')
		if line == "" && err != nil {
			if err == io.EOF {
				return toks, nil
			}
			return nil, err
		}
		line = strings.TrimSuffix(line, "\n")
		if strings.HasPrefix(line, "#") {
			continue
		}
		for i := 0; i < len(line); {
			c := line[i]
			if c == ' ' || c == '\t' {
				i++
				continue
			}
			start := i
			var word string
			if c == '"' || c == '\'' {
				i++
				for i < len(line) && line[i] != c {
					if line[i] == '\\' && i+1 < len(line) {
						i++
					}
					i++
				}
				if i >= len(line) {
					return nil, &ScriptSyntaxError{Pos: Pos{name, lineNo, start + 1}, Msg: "unterminated quote"}
				}
				word = line[start+1 : i]
				i++ // the closing quote
			} else {
				for i < len(line) && line[i] != ' ' && line[i] != '\t' {
					i++
				}
				word = line[start:i]
			}
			toks = append(toks, chat8Token{text: word, pos: Pos{name, lineNo, start + 1}})
		}
	}
}

// chat8Compile turns words into steps, as chat(8)'s main loop does:
// words alternate between expect and send position; a keyword in expect
// position takes the next word as its argument.
func chat8Compile(toks []chat8Token, name string, opts Chat8Options) (*Script, error) {
	s := &Script{Name: name, Timeout: opts.Timeout, SevenBit: true, Secrets: opts.Secrets}
	if s.Timeout <= 0 {
		s.Timeout = DefaultStepTimeout
	}
	env := chat8Env{phone: opts.Phone, phone2: opts.Phone2, getenv: opts.Getenv}
	c := chat8Compiler{s: s, env: env, opts: opts}
	for i := 0; i < len(toks); i += 2 {
		kw, err := c.expect(toks[i])
		if err != nil {
			return nil, err
		}
		if i+1 >= len(toks) {
			break
		}
		if err := c.send(kw, toks[i+1]); err != nil {
			return nil, err
		}
	}
	return s, nil
}

type chat8Compiler struct {
	s       *Script
	env     chat8Env
	opts    Chat8Options
	aborts  []string // simulated, to enforce chat(8)'s limit
	reports []string
}

var chat8Keywords = map[string]bool{
	"HANGUP": true, "ABORT": true, "CLR_ABORT": true, "REPORT": true,
	"CLR_REPORT": true, "TIMEOUT": true, "ECHO": true, "SAY": true,
}

// expect compiles a word in expect position. A keyword is returned for
// the next word to complete.
func (c *chat8Compiler) expect(t chat8Token) (keyword string, err error) {
	if chat8Keywords[t.text] {
		return t.text, nil
	}
	pieces := chat8SplitDash(t.text)
	if len(pieces) == 0 { // '': nothing to wait for
		return "", nil
	}
	step := Step{Kind: StepExpect, Pos: t.pos}
	alts := func(p string) ([]Alt, error) {
		if len(p) > chat8MaxString {
			return nil, &ScriptSyntaxError{Pos: t.pos, Msg: "expect string is too long"}
		}
		text := chat8Clean(p, false, c.env).text
		if len(text) == 0 {
			return nil, nil
		}
		return []Alt{{Text: string(text)}}, nil
	}
	if step.Expect.Alts, err = alts(pieces[0]); err != nil {
		return "", err
	}
	for k := 1; k < len(pieces); k += 2 {
		var fb Fallback
		if fb.Send, err = c.sendBytes(pieces[k], t.pos); err != nil {
			return "", err
		}
		if k+1 < len(pieces) {
			if fb.Alts, err = alts(pieces[k+1]); err != nil {
				return "", err
			}
		}
		step.Expect.Fallbacks = append(step.Expect.Fallbacks, fb)
	}
	c.s.Steps = append(c.s.Steps, step)
	return "", nil
}

// chat8SplitDash splits expect-send-expect at dashes not escaped by a
// backslash, as chat(8)'s expect_strtok: "" gives none, and an empty piece
// between two dashes is kept ("ogin:--ogin:" sends a bare return).
func chat8SplitDash(s string) []string {
	var out []string
	for s != "" {
		i := 0
		for i < len(s) && s[i] != '-' {
			if s[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(s) {
			out = append(out, s)
			break
		}
		out = append(out, s[:i])
		s = s[i+1:]
	}
	return out
}

func (c *chat8Compiler) send(keyword string, t chat8Token) error {
	step := Step{Pos: t.pos}
	switch keyword {
	case "SAY":
		step.Kind, step.Text = StepSay, chat8SayText(t.text, c.env)
	case "HANGUP":
		step.Kind, step.On = StepHangup, t.text != "OFF"
	case "ECHO":
		step.Kind, step.On = StepEcho, t.text == "ON"
	case "ABORT", "CLR_ABORT", "REPORT", "CLR_REPORT":
		text := string(chat8Clean(t.text, false, c.env).text)
		if len(text) > chat8MaxAbortSz {
			return &ScriptSyntaxError{Pos: t.pos, Msg: fmt.Sprintf("illegal or too-long %s string (%q)", keyword, t.text)}
		}
		list := &c.aborts
		if strings.HasSuffix(keyword, "REPORT") {
			list = &c.reports
		}
		switch keyword {
		case "ABORT", "REPORT":
			if len(*list) >= chat8MaxAborts {
				return &chat8FatalError{pos: t.pos, msg: "too many " + keyword + " strings"}
			}
			*list = append(*list, text)
			step.Kind = StepAbort
			if keyword == "REPORT" {
				step.Kind = StepReport
			}
		default:
			*list = removeAll(*list, text)
			step.Kind = StepClearAbort
			if keyword == "CLR_REPORT" {
				step.Kind = StepClearReport
			}
		}
		step.Text = text
	case "TIMEOUT":
		step.Kind, step.Duration = StepSetTimeout, time.Duration(atoi(t.text))*time.Second
		if step.Duration <= 0 {
			step.Duration = DefaultStepTimeout
		}
	default:
		send, err := c.sendBytes(t.text, t.pos)
		if err != nil {
			return err
		}
		step.Kind, step.Send = StepSend, send
	}
	c.s.Steps = append(c.s.Steps, step)
	return nil
}

// chat8SayText is SAY's text as Debian's chat(8) writes it: cleaned as a
// send (so a carriage return ends it unless \c does), written raw — the
// pause and break escapes appear as written, and a NUL ends the text.
func chat8SayText(word string, env chat8Env) string {
	var b strings.Builder
	for _, p := range chat8Clean(word, true, env).parts {
		switch {
		case p.Pause == chat8PauseD:
			b.WriteString(`\d`)
		case p.Pause > 0:
			b.WriteString(`\p`)
		case p.Break:
			b.WriteString(`\K`)
		default:
			b.Write(p.Data)
		}
	}
	text, _, _ := strings.Cut(b.String(), "\x00")
	return text
}

// sendBytes compiles a send word: EOT, BREAK, @file, then the escapes.
func (c *chat8Compiler) sendBytes(word string, pos Pos) (Send, error) {
	if strings.HasPrefix(word, "@") {
		fn := strings.TrimLeft(word[1:], " \t")
		if fn != "" {
			if c.opts.ReadFile == nil {
				return Send{}, &ScriptSyntaxError{Pos: pos, Msg: fmt.Sprintf("%s -- open failed: reading send files is not enabled", fn)}
			}
			b, err := c.opts.ReadFile(fn)
			if err != nil {
				return Send{}, &ScriptSyntaxError{Pos: pos, Msg: fmt.Sprintf("%s -- open failed: %v", fn, err)}
			}
			if len(b) > chat8MaxString-1 {
				b = b[:chat8MaxString-1]
			}
			if i := bytes.IndexByte(b, 0); i >= 0 {
				b = b[:i]
			}
			word = strings.TrimSuffix(string(b), "\n")
		}
	}
	switch word {
	case "EOT":
		word = `^D\c`
	case "BREAK":
		word = `\K\c`
	}
	cl := chat8Clean(word, true, c.env)
	return Send{Parts: cl.parts, Secret: cl.quiet || containsAny(string(cl.text), c.opts.Secrets)}, nil
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if x != "" && strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// atoi is C's atoi: optional blanks and sign, leading digits, else 0.
func atoi(s string) int {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	end := 0
	if end < len(s) && (s[end] == '+' || s[end] == '-') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}

// chat8FatalError is a script error chat(8) treats as fatal (exit 2)
// rather than as a bad parameter (exit 1).
type chat8FatalError struct {
	pos Pos
	msg string
}

func (e *chat8FatalError) Error() string { return fmt.Sprintf("chat: %s: %s", e.pos, e.msg) }

package chat

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/zdial/zdial/internal/yamlstrict"
)

// ScriptVars are the values a YAML script may use as ${NAME} in sends and
// expected texts (a profile's apn, number, pin). A send that uses a secret
// variable is secret, and the value is masked everywhere.
type ScriptVars struct {
	Values map[string]string
	Secret map[string]bool
}

// ParseScriptYAML reads a zdial YAML script (see testdata/scripts/ for a
// full example). name is used in error positions ("name:line:col"). Keys
// are checked strictly: a misspelt key is an error, not ignored.
func ParseScriptYAML(r io.Reader, name string, vars ScriptVars) (*Script, error) {
	var ys yamlScript
	if err := yamlstrict.Read(r, &ys); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &ScriptSyntaxError{Pos: Pos{File: name}, Msg: "empty script"}
		}
		return nil, yamlSyntaxError(name, err)
	}
	c := yamlCompiler{name: name, vars: vars}
	s, err := c.script(&ys)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// yamlSyntaxError places a decoding error in the script: name:line:col:
// path: problem.
func yamlSyntaxError(name string, err error) error {
	e, ok := errors.AsType[*yamlstrict.Error](err)
	if !ok {
		return &ScriptSyntaxError{Pos: Pos{File: name}, Msg: err.Error()}
	}
	msg := e.Err.Error()
	if e.Path != "" {
		msg = e.Path + ": " + msg
	}
	return &ScriptSyntaxError{Pos: Pos{name, e.Line, e.Col}, Msg: msg}
}

type yamlCompiler struct {
	name string
	vars ScriptVars
}

func (c *yamlCompiler) errAt(p Pos, format string, args ...any) error {
	p.File = c.name
	return &ScriptSyntaxError{Pos: p, Msg: fmt.Sprintf(format, args...)}
}

func (c *yamlCompiler) script(ys *yamlScript) (*Script, error) {
	s := &Script{Name: ys.Name, Timeout: ys.Timeout.d, SevenBit: ys.SevenBit}
	if s.Name == "" {
		s.Name = c.name
	}
	for name, v := range c.vars.Values {
		if c.vars.Secret[name] && v != "" {
			s.Secrets = append(s.Secrets, v)
		}
	}
	for _, a := range ys.Abort {
		s.Steps = append(s.Steps, Step{Kind: StepAbort, Text: a, Pos: Pos{File: c.name}})
	}
	for _, a := range ys.Report {
		s.Steps = append(s.Steps, Step{Kind: StepReport, Text: a, Pos: Pos{File: c.name}})
	}
	if len(ys.Steps) == 0 {
		return nil, c.errAt(Pos{}, "no steps")
	}
	for i := range ys.Steps {
		steps, err := c.step(&ys.Steps[i])
		if err != nil {
			return nil, err
		}
		s.Steps = append(s.Steps, steps...)
	}
	return s, nil
}

// step compiles one YAML step; list-valued keywords (abort: [a, b]) give
// one step per item.
func (c *yamlCompiler) step(y *yamlStep) ([]Step, error) {
	pos := y.pos
	pos.File = c.name
	var groups []string
	var steps []Step
	one := func(name string, st Step) {
		groups = append(groups, name)
		st.Pos = pos
		steps = append(steps, st)
	}
	list := func(name string, kind StepKind, items yamlStrings) error {
		if items == nil {
			return nil
		}
		groups = append(groups, name)
		for _, it := range items {
			if it == "" {
				return c.errAt(y.pos, "%s: empty string", name)
			}
			steps = append(steps, Step{Kind: kind, Text: it, Pos: pos})
		}
		return nil
	}
	if y.Send != nil || y.Expect != nil {
		st, err := c.sendExpect(y)
		if err != nil {
			return nil, err
		}
		one(st.Kind.String(), st)
	} else if y.Timeout.set || y.Retries != 0 || y.Fallback != nil || y.Secret || y.CR != nil {
		return nil, c.errAt(y.pos, "timeout, retries, fallback, secret and cr belong to a step with send or expect")
	}
	if y.WaitUntil != nil {
		w, err := c.waitUntil(y.WaitUntil)
		if err != nil {
			return nil, err
		}
		one("wait_until", Step{Kind: StepWaitUntil, WaitUntil: w})
	}
	for _, l := range []struct {
		name  string
		kind  StepKind
		items yamlStrings
	}{
		{"abort", StepAbort, y.Abort}, {"clear_abort", StepClearAbort, y.ClearAbort},
		{"report", StepReport, y.Report}, {"clear_report", StepClearReport, y.ClearRep},
	} {
		if err := list(l.name, l.kind, l.items); err != nil {
			return nil, err
		}
	}
	if y.SetTimeout != nil {
		one("set_timeout", Step{Kind: StepSetTimeout, Duration: y.SetTimeout.d})
	}
	if y.Say != nil {
		one("say", Step{Kind: StepSay, Text: *y.Say})
	}
	if y.Echo != nil {
		one("echo", Step{Kind: StepEcho, On: *y.Echo})
	}
	if y.Hangup != nil {
		one("hangup", Step{Kind: StepHangup, On: *y.Hangup})
	}
	if y.Sleep != nil {
		one("sleep", Step{Kind: StepSleep, Duration: y.Sleep.d})
	}
	switch len(groups) {
	case 0:
		return nil, c.errAt(y.pos, "empty step: give send/expect, wait_until, abort, clear_abort, report, clear_report, set_timeout, say, echo, hangup or sleep")
	case 1:
		return steps, nil
	}
	return nil, c.errAt(y.pos, "one step does one thing, this one has %s: split it into several steps", strings.Join(groups, " and "))
}

func (c *yamlCompiler) sendExpect(y *yamlStep) (Step, error) {
	st := Step{Kind: StepExpect}
	if y.Send != nil {
		send, err := c.send(y.pos, *y.Send, y.Secret, y.CR == nil || *y.CR)
		if err != nil {
			return st, err
		}
		st.Send = send
	}
	if y.Expect == nil {
		if y.Timeout.set || y.Retries != 0 || y.Fallback != nil {
			return st, c.errAt(y.pos, "timeout, retries and fallback need expect")
		}
		st.Kind = StepSend
		return st, nil
	}
	alts, err := c.alts(y.Expect)
	if err != nil {
		return st, err
	}
	st.Expect = Expect{Alts: alts, Timeout: y.Timeout.d, Retries: y.Retries}
	if y.Retries < 0 {
		return st, c.errAt(y.pos, "retries must not be negative")
	}
	if y.Retries > 0 && y.Send == nil {
		return st, c.errAt(y.pos, "retries resend the step's send: this step has none")
	}
	for _, f := range y.Fallback {
		var fb Fallback
		if f.Send != nil {
			if fb.Send, err = c.send(f.pos, *f.Send, f.Secret, true); err != nil {
				return st, err
			}
		}
		if fb.Alts, err = c.alts(f.Expect); err != nil {
			return st, err
		}
		st.Expect.Fallbacks = append(st.Expect.Fallbacks, fb)
	}
	return st, nil
}

func (c *yamlCompiler) alts(ys yamlAlts) ([]Alt, error) {
	var alts []Alt
	for _, y := range ys {
		var a Alt
		switch {
		case y.Match != "" && y.Regexp != "":
			return nil, c.errAt(y.pos, "an alternative has match or regexp, not both")
		case y.Regexp != "":
			re, err := regexp.Compile(y.Regexp)
			if err != nil {
				return nil, c.errAt(y.pos, "bad regexp %q: %v", y.Regexp, err)
			}
			a.Regexp = re
		case y.Match != "":
			text, _, err := c.expand(y.pos, y.Match)
			if err != nil {
				return nil, err
			}
			a.Text = text
		default:
			return nil, c.errAt(y.pos, "an alternative needs match or regexp")
		}
		if y.Then != nil {
			send, err := c.send(y.pos, *y.Then, y.Secret, true)
			if err != nil {
				return nil, err
			}
			a.Then = send
		}
		a.Fail = y.Fail
		alts = append(alts, a)
	}
	return alts, nil
}

func (c *yamlCompiler) waitUntil(y *yamlWaitUntil) (WaitUntil, error) {
	var w WaitUntil
	if y.Send == "" || y.Match == "" {
		return w, c.errAt(y.pos, "wait_until needs send and match")
	}
	send, err := c.send(y.pos, y.Send, y.Secret, true)
	if err != nil {
		return w, err
	}
	w.Send, w.Every, w.Timeout = send, y.Every.d, y.Timeout.d
	if w.Match, err = regexp.Compile(y.Match); err != nil {
		return w, c.errAt(y.pos, "bad match regexp %q: %v", y.Match, err)
	}
	if y.Fail != "" {
		if w.Fail, err = regexp.Compile(y.Fail); err != nil {
			return w, c.errAt(y.pos, "bad fail regexp %q: %v", y.Fail, err)
		}
	}
	return w, nil
}

// send builds a Send from YAML text: ${NAME} expanded, a carriage return
// added unless cr is false.
func (c *yamlCompiler) send(pos Pos, text string, secret, cr bool) (Send, error) {
	text, usesSecret, err := c.expand(pos, text)
	if err != nil {
		return Send{}, err
	}
	if cr {
		text += "\r"
	}
	return Send{Parts: []SendPart{{Data: []byte(text)}}, Secret: secret || usesSecret}, nil
}

// expand replaces ${NAME} with the variable's value; "$$" is a dollar.
func (c *yamlCompiler) expand(pos Pos, s string) (string, bool, error) {
	var b strings.Builder
	secret := false
	for {
		i := strings.IndexByte(s, '$')
		if i < 0 || i+1 >= len(s) {
			b.WriteString(s)
			return b.String(), secret, nil
		}
		b.WriteString(s[:i])
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			s = s[i+2:]
			continue
		case '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return "", false, c.errAt(pos, "unterminated ${ in %q", s)
			}
			name := s[i+2 : i+end]
			v, ok := c.vars.Values[name]
			if !ok {
				return "", false, c.errAt(pos, "unknown variable ${%s}", name)
			}
			secret = secret || c.vars.Secret[name]
			b.WriteString(v)
			s = s[i+end+1:]
		default:
			b.WriteByte('$')
			s = s[i+1:]
		}
	}
}

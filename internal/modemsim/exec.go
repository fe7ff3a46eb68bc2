package modemsim

import (
	"strconv"
	"strings"
	"time"
)

// reply is what one command line produces.
type reply struct {
	info    []string
	final   string        // "OK", "ERROR", "+CME ERROR: 10", "CONNECT 7200000", …
	connect bool          // enter data mode once final is written
	delay   time.Duration // extra wait before the reply (dialling)
	cmee    int           // +CMEE in force
	now     time.Time
}

func (r *reply) add(lines ...string) { r.info = append(r.info, lines...) }
func (r *reply) fail()               { r.final = "ERROR" }

// cme ends the line with a +CME ERROR shaped by +CMEE (27.007 §9.1).
func (r *reply) cme(code int) {
	switch r.cmee {
	case 1:
		r.final = "+CME ERROR: " + strconv.Itoa(code)
	case 2:
		text, ok := cmeText[code]
		if !ok {
			text = "unknown"
		}
		r.final = "+CME ERROR: " + text
	default:
		r.final = "ERROR"
	}
}

// handler runs one command with s.mu held. It adds information lines to r
// and sets r.final to end the command line early (errors, dialling).
type handler func(s *Sim, c command, r *reply)

// run executes the commands of one line (the text after "AT") in order,
// stopping at the first that ends the line, as V.250 §5.2 prescribes.
func (s *Sim) run(body string, now time.Time) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := reply{now: now}
	cmds, ok := splitLine(body)
	if !ok || (s.p.NoConcat && concatenated(body, cmds)) {
		r.fail()
		return r
	}
	for _, c := range cmds {
		r.cmee = s.st.cmee
		s.dispatch(c, &r)
		if r.final != "" {
			break
		}
	}
	if r.final == "" {
		r.final = "OK"
	}
	s.interleave(body, &r)
	return r
}

// concatenated reports a ';' between two of cmds (the split of body):
// outside quotes and not in a dial string, where ';' means "voice call".
func concatenated(body string, cmds []command) bool {
	s := squeeze(body)
	if n := len(cmds); n > 0 && cmds[n-1].name == "D" {
		s = s[:len(s)-len(cmds[n-1].text)] + "D"
	}
	quoted := false
	for i := 0; i+1 < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			quoted = !quoted
		case !quoted && c == ';':
			return true
		}
	}
	return false
}

func (s *Sim) dispatch(c command, r *reply) {
	if s.canned(c, r) {
		return
	}
	if h, ok := vendorCommands[s.p.Vendor][c.name]; ok {
		h(s, c, r)
		return
	}
	if len(c.name) > 1 && c.name[0] == 'S' {
		cmdS(s, c, r)
		return
	}
	if h, ok := commonCommands[c.name]; ok {
		h(s, c, r)
		return
	}
	r.fail()
}

// canned answers from the persona's replies list.
func (s *Sim) canned(c command, r *reply) bool {
	text := strings.ToUpper(c.text)
	for _, rep := range s.p.Replies {
		want := strings.ToUpper(rep.Command)
		want = strings.TrimPrefix(want, "AT")
		if !strings.HasPrefix(text, want) {
			continue
		}
		r.add(rep.Lines...)
		switch {
		case rep.CME != 0:
			r.cme(rep.CME)
		case rep.Result == ResultError:
			r.fail()
		case rep.Result != "" && rep.Result != ResultOK:
			r.final = string(rep.Result)
		}
		return true
	}
	return false
}

// interleave inserts the persona's URCs into the reply of a matching line.
func (s *Sim) interleave(body string, r *reply) {
	u := strings.ToUpper(body)
	for _, in := range s.p.Interleave {
		if !strings.Contains(u, strings.ToUpper(strings.TrimPrefix(strings.ToUpper(in.Command), "AT"))) {
			continue
		}
		at := in.AfterLines
		if at <= 0 || at > len(r.info) {
			at = len(r.info)
		}
		r.info = append(r.info[:at], append([]string{in.Line}, r.info[at:]...)...)
	}
}

// vendorCommands and commonCommands map a command name to its handler.
// They are never modified.
var vendorCommands = map[Vendor]map[string]handler{
	VendorZTE:    zteCommands,
	VendorHuawei: huaweiCommands,
}

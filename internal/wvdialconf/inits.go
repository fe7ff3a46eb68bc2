package wvdialconf

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var cidFromNumber = regexp.MustCompile(`^\*99\*\*\*([0-9]{1,3})#$`)

// ctxAt is a +CGDCONT found in an init string.
type ctxAt struct {
	ctx  pdpContext
	slot int
	part int
}

// inits maps Init1…Init9 (and Init, wvdial's old name for Init1).
func (c *converter) inits(p *Profile, eff map[string]located) {
	type slot struct {
		l       located
		key     string
		parts   []initPart
		verdict []initVerdict
	}
	var slots []*slot
	for i := 1; i <= 9; i++ {
		k := "init" + strconv.Itoa(i)
		l, ok := eff[k]
		if i == 1 {
			if alias, ok2 := eff["init"]; ok2 {
				if ok {
					c.unmapped(Note{Line: l.e.Line, Section: l.sec.Name, Key: l.e.Key, Text: "overridden by Init, wvdial's old name for Init1"})
				}
				l, ok = alias, true
			}
		}
		if !ok || strings.TrimSpace(l.e.Value) == "" {
			continue
		}
		un := func(text string) { c.unmapped(Note{Line: l.e.Line, Section: l.sec.Name, Key: l.e.Key, Text: text}) }
		if !printableASCII(l.e.Value) {
			un("holds characters that are not printable ASCII: not carried")
			continue
		}
		s := &slot{l: l, key: l.e.Key, parts: splitInit(l.e.Value)}
		for _, part := range s.parts {
			v, _, _ := classify(part)
			s.verdict = append(s.verdict, v)
		}
		slots = append(slots, s)
	}

	// The context the number dials is the one to configure; the others
	// stay init strings (they define contexts zdial does not use).
	var ctxs []ctxAt
	for si, s := range slots {
		for pi, part := range s.parts {
			if s.verdict[pi] == initCGDCONT {
				_, ctx, _ := classify(part)
				ctxs = append(ctxs, ctxAt{ctx, si, pi})
			}
		}
	}
	// want is the cid the number dials; 0 if it does not say (no number:
	// zdial then dials the configured cid itself).
	chosen, want := -1, 0
	switch m := cidFromNumber.FindStringSubmatch(p.Number); {
	case p.Number == "*99#":
		want = 1
	case m != nil:
		want, _ = strconv.Atoi(m[1])
	}
	for i, x := range ctxs {
		if x.ctx.cid == want {
			chosen = i
			break
		}
	}
	if chosen < 0 && len(ctxs) > 0 {
		chosen = 0
	}
	if chosen >= 0 {
		x := ctxs[chosen]
		for i, y := range ctxs {
			if i != chosen {
				slots[y.slot].verdict[y.part] = initKeep
			}
		}
		s := slots[x.slot]
		p.APN, p.PDPType, p.CID = x.ctx.apn, x.ctx.pdpType, x.ctx.cid
		text := fmt.Sprintf("apn %s, pdp_type %s and cid %d taken from its AT+CGDCONT (zdial sets the context itself)", show(x.ctx.apn), x.ctx.pdpType, x.ctx.cid)
		if x.ctx.extraArgs {
			text += "; its further arguments (PDP address, compression) are not carried"
		}
		if len(ctxs) > 1 {
			text += fmt.Sprintf("; %d other AT+CGDCONT stay init strings", len(ctxs)-1)
		}
		c.note(Note{Line: s.l.e.Line, Section: s.l.sec.Name, Key: s.key, Text: text})
		if want != 0 && x.ctx.cid != want {
			c.note(Note{Line: s.l.e.Line, Section: s.l.sec.Name, Key: s.key, Text: fmt.Sprintf(
				"profile %s: the APN is on cid %d but number %s dials cid %d's context, as it did under wvdial; number: \"*99***%d#\" would dial this one", p.Name, x.ctx.cid, show(p.Number), want, x.ctx.cid)})
		}
	}

	for _, s := range slots {
		un := func(text string) { c.unmapped(Note{Line: s.l.e.Line, Section: s.l.sec.Name, Key: s.key, Text: text}) }
		var keep []initPart
		changed := false
		for pi, part := range s.parts {
			v := s.verdict[pi]
			if v != initKeep {
				changed = true
			}
			switch v {
			case initKeep:
				keep = append(keep, part)
			case initCGDCONT:
				// Taken above; only the chosen one is still marked.
			case initPIN:
				_, _, pin := classify(part)
				if p.PIN.IsSet() {
					un("a second AT+CPIN: not carried (the first one is pin:)")
					continue
				}
				p.PIN = Secret(pin)
				c.note(Note{Line: s.l.e.Line, Section: s.l.sec.Name, Key: s.key, Text: "the SIM PIN in its AT+CPIN is carried as pin: (zdial sends it only when the SIM asks, at most once, and only while attempts remain)"})
			case initBadCPIN:
				un("an AT+CPIN zdial cannot map (a PUK and new PIN, or not a 4–8 digit PIN): not carried; set pin: yourself if the SIM needs one")
			case initCPINQuery:
				un("AT+CPIN? is not needed: zdial checks the SIM itself")
			case initSIMSecret:
				un("a SIM lock or password command (+CLCK, +CPWD…): not carried, since it would send a SIM password on every dial; run it once by hand if it is still needed")
			}
		}
		switch {
		case len(keep) == 0:
		case isResetOnly(keep):
			un("dropped: zdial resets the modem (ATZ) itself before the init strings")
		case !changed:
			p.Init = append(p.Init, s.l.e.Value)
		default:
			rebuilt := joinInit(keep)
			p.Init = append(p.Init, rebuilt)
			c.note(Note{Line: s.l.e.Line, Section: s.l.sec.Name, Key: s.key, Text: fmt.Sprintf("the rest is kept as init string %q", rebuilt)})
		}
	}
}

package wvdialconf

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var initKey = regexp.MustCompile(`^init[1-9]?$`)

// profile maps what the chain resolves to, key by key: into a field, a
// note, or the not-mapped list.
func (c *converter) profile(name string, s *Section, chain []*Section) Profile {
	p := Profile{Name: name, Section: s.Name, Line: s.Line}
	eff, order := resolve(chain)
	var pw, pppdPW *located
	for _, k := range order {
		l := eff[k]
		e, sec := l.e, l.sec
		if initKey.MatchString(k) {
			continue // below, in slot order
		}
		un := func(text string) { c.unmapped(Note{Line: e.Line, Section: sec.Name, Key: e.Key, Text: text}) }
		nt := func(text string) { c.note(Note{Line: e.Line, Section: sec.Name, Key: e.Key, Text: text}) }
		v := e.Value
		if why, ok := dropped[k]; ok {
			un(why)
			continue
		}
		switch k {
		case "inherits":
		case "password":
			pw = &l // decided once the username is known
		case "modem":
			p.Port = v
			if strings.HasPrefix(v, "/dev/ttyUSB") || strings.HasPrefix(v, "/dev/ttyACM") || v == "/dev/modem" {
				nt("port: " + show(v) + " pins the device; delete it to let zdial find the modem's port itself (ttyUSB and ttyACM numbers change from plug to plug)")
			}
		case "phone":
			p.Number = v
			if strings.ContainsAny(v, ";\r\n") {
				nt("the number holds ';', which zdial refuses (after ATD it means a voice call): fix number:")
			}
		case "username":
			if placeholder(v) {
				un("empty or a placeholder ('', \"\", <…>): left out; zdial sends no username")
				continue
			}
			p.Username = v
		case "dial command":
			switch strings.ToUpper(strings.TrimSpace(v)) {
			case "ATD", "ATDT":
				un("not needed: zdial dials ATD<number>; tone (T) or pulse (P) means nothing to a mobile modem")
			default:
				un(fmt.Sprintf("%q is not carried: zdial always dials ATD<number>; check whether anything else in it mattered", show(v)))
			}
		case "dial timeout":
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 || n > 3600 {
				un("not a number of seconds from 1 to 3600: not carried")
				continue
			}
			p.DialTimeout = time.Duration(n) * time.Second
		case "pppd path":
			if v == "" || v == "/usr/sbin/pppd" {
				un("not needed: zdial runs pppd from PATH, else /usr/sbin/pppd")
				continue
			}
			p.PPPD.Path = v
			nt("carried as pppd.path: check it: zdial runs this binary as root")
		case "pppd option", "pppd options":
			if strings.TrimSpace(v) == "" {
				continue
			}
			rest, secret, found := splitPassword(v)
			if found {
				pppdPW = &located{Entry{Key: e.Key, Value: secret, Line: e.Line}, sec}
			}
			fields, rest := p.PPPD.takeFields(rest)
			if len(fields) > 0 {
				nt("carried as pppd." + strings.Join(fields, ", pppd."))
			}
			if rest == "" {
				continue
			}
			p.PPPD.Options = append(p.PPPD.Options, rest)
			nt(fmt.Sprintf("carried as pppd.options %q: check: zdial accepts only safe pppd options (it refuses connect, pty, file, call, persist, demand, detach and other options that fight its own set-up)", show(rest)))
		case "idle seconds":
			n, err := strconv.Atoi(v)
			switch {
			case err != nil || n < 0:
				un("not a number of seconds: not carried")
			case n == 0:
				un("not needed: 0 means no idle timeout, which is zdial's default")
			default:
				p.PPPD.Options = append(p.PPPD.Options, "idle "+strconv.Itoa(n))
				nt(fmt.Sprintf("carried as pppd option \"idle %d\": pppd hangs up after %d s without traffic (wvdial then stopped redialling; `zdial run` would redial)", n, n))
			}
		case "auto dns":
			b, ok := parseBool(v)
			switch {
			case !ok:
				un("not a yes/no value: not carried")
			case b:
				un("not needed: zdial asks pppd for the carrier's DNS servers (usepeerdns) by default")
			default:
				f := false
				p.PPPD.UsePeerDNS = &f
				nt("carried as pppd.usepeerdns: false (resolv.conf is left alone)")
			}
		case "stupid mode":
			b, ok := parseBool(v)
			switch {
			case !ok:
				un("not a yes/no value; not needed either way: zdial never answers login prompts")
			case b:
				un("not needed: zdial always starts pppd right after CONNECT, as Stupid Mode does")
			default:
				un("not needed: zdial never answers login prompts; mobile networks start PPP right after CONNECT")
			}
		case "isdn":
			if b, _ := parseBool(v); b {
				un("not supported: zdial drives mobile-broadband modems, not ISDN adapters")
			} else {
				un("not needed (ISDN off)")
			}
		case "remote name":
			if v == "*" || v == "" {
				un("not needed: \"*\" is pppd's default")
			} else {
				un(fmt.Sprintf("not carried: add \"remotename %s\" to pppd.options if the carrier needs it", show(v)))
			}
		case "login":
			un("wvdial reads Username, not Login (its manual is out of date), so this was unused: not carried")
		default:
			if _, ok := informational[k]; ok {
				un("informational only: not carried")
				continue
			}
			c.unmapped(Note{Line: e.Line, Section: sec.Name, Key: keyForNote(e.Key), Text: "not a wvdial option: not carried"})
		}
	}
	if pw != nil {
		c.password(&p, *pw)
	}
	if pppdPW != nil {
		n := Note{Line: pppdPW.e.Line, Section: pppdPW.sec.Name, Key: pppdPW.e.Key}
		if p.Password.IsSet() || pppdPW.e.Value == "" {
			n.Text = "its pppd option \"password\" is dropped: Password is carried instead"
			c.unmapped(n)
		} else {
			p.Password = Secret(pppdPW.e.Value)
			n.Text = "its pppd option \"password\" is carried as password: (zdial hands it to pppd outside argv)"
			c.note(n)
		}
	}
	c.inits(&p, eff)
	return p
}

// password carries Password. wvdial refuses to dial without a username and
// a password, so guides for carriers without a login fill in dummies:
// empty quotes or a <template> are left out (zdial then sends no
// password); any other value, a dummy word included, is carried as
// written, since it is what the carrier accepted.
func (c *converter) password(p *Profile, l located) {
	if !placeholder(l.e.Value) {
		p.Password = Secret(l.e.Value)
		return
	}
	n := Note{Line: l.e.Line, Section: l.sec.Name, Key: l.e.Key, Text: "empty or a placeholder ('', \"\", <…>): left out; zdial sends no password"}
	if p.Username != "" {
		n.Text += " (if the carrier asks for one anyway, PAP or CHAP, set password: to any word)"
	}
	c.unmapped(n)
}

// dropped lists the wvdial options that have no zdial counterpart, and
// why.
var dropped = map[string]string{
	"baud":                 "dropped: zdial does not set a serial speed (USB modems ignore it)",
	"carrier check":        "dropped: zdial has no carrier-check setting",
	"auto reconnect":       "dropped: `zdial PROFILE` dials once; `zdial run` keeps the link up (redials)",
	"dial attempts":        "dropped: `zdial PROFILE` dials once; `zdial run` redials with a back-off",
	"new pppd":             "not needed: zdial passes pppd its options itself (no /etc/ppp/peers/wvdial)",
	"ask password":         "dropped: zdial never prompts; put password: in this file (and chmod 600 it)",
	"phone1":               "dropped: zdial dials one number (number:)",
	"phone2":               "dropped: zdial dials one number (number:)",
	"phone3":               "dropped: zdial dials one number (number:)",
	"phone4":               "dropped: zdial dials one number (number:)",
	"dial prefix":          "dropped: zdial dials number: as written; put the prefix into it if it is needed",
	"area code":            "dropped: zdial dials number: as written; put the area code into it if it is needed",
	"login prompt":         "not needed: zdial never answers login prompts; mobile networks start PPP right after CONNECT",
	"password prompt":      "not needed: zdial never answers login prompts; mobile networks start PPP right after CONNECT",
	"default reply":        "not needed: zdial never answers login prompts; mobile networks start PPP right after CONNECT",
	"compuserve":           "not needed: a dial-up provider's login quirk",
	"tonline":              "not needed: a dial-up provider's login quirk",
	"abort on busy":        "not needed: zdial stops on BUSY itself",
	"abort on no dialtone": "not needed: zdial stops on NO DIALTONE itself",
	"force address":        "dropped: no zdial setting; pppd's \"ADDR:\" option in pppd.options does it if it is really needed",
	"check dns":            "dropped: no zdial setting (zdial reports the DNS servers pppd got)",
	"dns test1":            "dropped: no zdial setting",
	"dns test2":            "dropped: no zdial setting",
	"check def route":      "dropped: no zdial setting (pppd.defaultroute decides about the route)",
}

// informational lists keys that only describe the set-up.
var informational = map[string]struct{}{
	"modem type": {}, "country": {}, "provider": {}, "product": {},
	"homepage": {}, "dialmessage1": {}, "dialmessage2": {},
}

// placeholder reports a username or password guides fill in for carriers
// that ask for none: empty, an empty pair of quotes (which wvdial would
// send literally), or an unfilled <template>. A dummy word such as "user"
// is kept: sending it is harmless and some networks want a non-empty name.
func placeholder(v string) bool {
	v = strings.TrimSpace(v)
	return v == "" || v == "''" || v == `""` || (len(v) >= 2 && v[0] == '<' && v[len(v)-1] == '>')
}

func parseBool(v string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "yes", "true", "on":
		return true, true
	case "0", "no", "false", "off":
		return false, true
	}
	return false, false
}

package wvdialconf

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Profile is one zdial profile converted from a [Dialer …] section, with
// everything it inherits flattened in. Field names follow zdial's profile
// file (port, apn, pdp_type, cid, number, pin, username, password, init,
// pppd, timeouts); a zero field is left out of the YAML, so zdial's
// default applies.
type Profile struct {
	Name    string // zdial profile name, [a-z0-9._-]
	Section string // the wvdial section, e.g. "Dialer Three UK"
	Line    int    // of its header

	Port     string
	APN      string
	PDPType  string
	CID      int
	Number   string
	PIN      Secret
	Username string
	Password Secret
	Init     []string // nil: zdial's default init string
	PPPD     PPPD
	// DialTimeout is timeouts.dial: how long ATD may wait for CONNECT.
	DialTimeout time.Duration
}

// PPPD is the pppd part of a profile: the pppd options zdial has fields
// for, and the rest as Options.
type PPPD struct {
	Path                string
	DefaultRoute        *bool // nil: zdial's default
	ReplaceDefaultRoute bool
	UsePeerDNS          *bool // nil: zdial's default (on)
	NoVJ                bool
	LCPEchoInterval     int
	LCPEchoFailure      int
	IfName              string
	Options             []string
}

// takeFields moves the pppd options zdial has fields for out of opts (one
// PPPD Option value) and returns the names of the fields it set and the
// options left.
func (d *PPPD) takeFields(opts string) (set []string, rest string) {
	yes, no := true, false
	words := strings.Fields(opts)
	var keep []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		arg := ""
		if i+1 < len(words) {
			arg = words[i+1]
		}
		n, err := strconv.Atoi(arg)
		switch {
		case w == "defaultroute":
			d.DefaultRoute = &yes
			set = append(set, "defaultroute")
		case w == "nodefaultroute":
			d.DefaultRoute = &no
			set = append(set, "defaultroute")
		case w == "replacedefaultroute":
			d.ReplaceDefaultRoute = true
			set = append(set, "replacedefaultroute")
		case w == "usepeerdns":
			d.UsePeerDNS = &yes
			set = append(set, "usepeerdns")
		case w == "novj":
			d.NoVJ = true
			set = append(set, "novj")
		case w == "lcp-echo-interval" && err == nil && n > 0:
			d.LCPEchoInterval = n
			set = append(set, "lcp_echo_interval")
			i++
		case w == "lcp-echo-failure" && err == nil && n > 0:
			d.LCPEchoFailure = n
			set = append(set, "lcp_echo_failure")
			i++
		case w == "ifname" && arg != "":
			d.IfName = arg
			set = append(set, "ifname")
			i++
		default:
			keep = append(keep, w)
		}
	}
	return set, strings.Join(keep, " ")
}

// Note is a remark about one line of the file. Its text never holds a PIN
// or password.
type Note struct {
	Line    int    // 0: about the file or a profile as a whole
	Section string // the section the line is in
	Key     string // the wvdial key, as written
	Text    string
}

func (n Note) String() string {
	var b strings.Builder
	if n.Line > 0 {
		fmt.Fprintf(&b, "line %d ", n.Line)
	}
	if n.Section != "" {
		fmt.Fprintf(&b, "[%s] ", printable(n.Section))
	}
	if n.Key != "" {
		fmt.Fprintf(&b, "%s: ", printable(n.Key))
	}
	b.WriteString(n.Text)
	return strings.TrimSpace(b.String())
}

// Result is a converted file.
type Result struct {
	Source   string    // the file's name, as given to Parse
	Profiles []Profile // [Dialer Defaults] first, then in file order
	Notes    []Note    // values carried over, with something to know about them
	Unmapped []Note    // what was not carried into any profile, and why
}

// HasSecrets reports whether a profile holds a PIN or password, in which
// case the YAML must be written with mode 0600.
func (r *Result) HasSecrets() bool {
	for _, p := range r.Profiles {
		if p.PIN.IsSet() || p.Password.IsSet() {
			return true
		}
	}
	return false
}

// DefaultsProfile is the name [Dialer Defaults] gets: `wvdial` with no
// arguments dialled it, so `zdial defaults` dials the same.
const DefaultsProfile = "defaults"

const defaultsSection = "dialer defaults"

// Convert maps every [Dialer …] section of f to a zdial profile. It fails
// only when f has no dialer at all; everything else it cannot carry over
// is listed in Result.Unmapped.
func Convert(f *File) (*Result, error) {
	c := &converter{f: f, res: &Result{Source: f.Name}, noted: map[string]bool{}, used: map[*Section]bool{}}
	for _, p := range f.Problems {
		c.unmapped(Note{Line: p.Line, Text: p.Reason})
	}
	var dialers []*Section
	if d, ok := f.Section(defaultsSection); ok {
		dialers = append(dialers, d)
	}
	for _, s := range f.Sections {
		if k := fold(s.Name); strings.HasPrefix(k, "dialer ") && k != defaultsSection {
			dialers = append(dialers, s)
		}
	}
	if len(dialers) == 0 {
		return nil, &Error{File: f.Name, Err: ErrNoDialer}
	}
	names := map[string]bool{}
	for _, s := range dialers {
		name := uniqueName(profileName(s.Name), names)
		c.note(Note{Line: s.Line, Section: s.Name, Text: nameNote(s.Name, name)})
		c.res.Profiles = append(c.res.Profiles, c.profile(name, s, c.chain(s)))
	}
	for _, s := range f.Sections {
		if !c.used[s] {
			c.unmapped(Note{Line: s.Line, Section: s.Name, Text: "not a [Dialer …] section and nothing inherits it: wvdial never reads it"})
		}
	}
	byLine := func(ns []Note) {
		sort.SliceStable(ns, func(i, j int) bool { return ns[i].Line < ns[j].Line })
	}
	byLine(c.res.Notes)
	byLine(c.res.Unmapped)
	return c.res, nil
}

type converter struct {
	f     *File
	res   *Result
	noted map[string]bool   // notes already made, as "kind\x00line\x00text"
	used  map[*Section]bool // sections some dialer reads
}

func (c *converter) note(n Note)     { c.add(&c.res.Notes, "n", n) }
func (c *converter) unmapped(n Note) { c.add(&c.res.Unmapped, "u", n) }

// add records n once: a line of [Dialer Defaults] is read by every
// profile but is worth one note.
func (c *converter) add(list *[]Note, kind string, n Note) {
	k := kind + "\x00" + strconv.Itoa(n.Line) + "\x00" + n.Key + "\x00" + n.Text
	if c.noted[k] {
		return
	}
	c.noted[k] = true
	*list = append(*list, n)
}

// chain lists the sections a dialer reads, in the order wvdial looks a
// key up: the section, what it Inherits (transitively), then
// [Dialer Defaults] and what that inherits. A section already in the chain
// ends it, as in wvdial, and is reported as a cycle.
func (c *converter) chain(s *Section) []*Section {
	var out []*Section
	in := map[*Section]bool{}
	walk := func(s *Section) {
		for s != nil && !in[s] {
			in[s] = true
			c.used[s] = true
			out = append(out, s)
			e, ok := s.get("inherits")
			if !ok || e.Value == "" {
				return
			}
			next, ok := c.f.Section(e.Value)
			switch {
			case !ok:
				hint := ""
				if _, ok := c.f.Section("Dialer " + e.Value); ok {
					hint = fmt.Sprintf(" (the value names the whole section: Inherits = Dialer %s)", printable(e.Value))
				}
				c.unmapped(Note{Line: e.Line, Section: s.Name, Key: e.Key,
					Text: fmt.Sprintf("no section [%s]; wvdial ignores it too%s", printable(e.Value), hint)})
				return
			case in[next]:
				var path []string
				for _, x := range out {
					path = append(path, "["+printable(x.Name)+"]")
				}
				c.unmapped(Note{Line: e.Line, Section: s.Name, Key: e.Key,
					Text: fmt.Sprintf("inheritance cycle %s → [%s]: the repeat is skipped, as wvdial does", strings.Join(path, " → "), printable(next.Name))})
				return
			}
			s = next
		}
	}
	walk(s)
	if d, ok := c.f.Section(defaultsSection); ok {
		walk(d)
	}
	return out
}

// located is the entry a key resolves to.
type located struct {
	e   Entry
	sec *Section
}

// resolve gives, for each key the chain sets, the entry that wins: the
// first section in the chain that has it, the last line in that section.
func resolve(chain []*Section) (map[string]located, []string) {
	eff := map[string]located{}
	var order []string
	for _, sec := range chain {
		for i, e := range sec.Entries {
			k := sec.foldedKey(i)
			if last, _ := sec.lastIndex(k); last != i {
				continue // a later line in this section wins
			}
			if _, ok := eff[k]; !ok {
				eff[k] = located{e, sec}
				order = append(order, k)
			}
		}
	}
	return eff, order
}

var initKey = regexp.MustCompile(`^init[1-9]?$`)

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
				nt("port: " + printable(v) + " pins the device; delete it to let zdial find the modem's port itself (ttyUSB and ttyACM numbers change from plug to plug)")
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
				un(fmt.Sprintf("%q is not carried: zdial always dials ATD<number>; check whether anything else in it mattered", printable(v)))
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
			nt(fmt.Sprintf("carried as pppd.options %q: check: zdial accepts only safe pppd options (it refuses connect, pty, file, call, persist, demand, detach and other options that fight its own set-up)", printable(rest)))
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
				un(fmt.Sprintf("not carried: add \"remotename %s\" to pppd.options if the carrier needs it", printable(v)))
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
				ctx, _, _ := classifyCtx(part)
				ctxs = append(ctxs, ctxAt{ctx, si, pi})
			}
		}
	}
	chosen := -1
	want := 1
	if m := cidFromNumber.FindStringSubmatch(p.Number); m != nil {
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
		text := fmt.Sprintf("apn %s, pdp_type %s and cid %d taken from its AT+CGDCONT (zdial sets the context itself)", printable(x.ctx.apn), x.ctx.pdpType, x.ctx.cid)
		if x.ctx.extraArgs {
			text += "; its further arguments (PDP address, compression) are not carried"
		}
		if len(ctxs) > 1 {
			text += fmt.Sprintf("; %d other AT+CGDCONT stay init strings", len(ctxs)-1)
		}
		c.note(Note{Line: s.l.e.Line, Section: s.l.sec.Name, Key: s.key, Text: text})
		if x.ctx.cid != 1 && (p.Number == "" || p.Number == "*99#") {
			c.note(Note{Line: s.l.e.Line, Section: s.l.sec.Name, Key: s.key, Text: fmt.Sprintf(
				"profile %s: the APN is on cid %d but *99# dials cid 1's context, as it did under wvdial; number: \"*99***%d#\" would dial this one", p.Name, x.ctx.cid, x.ctx.cid)})
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

// classifyCtx is classify for a part known to be a +CGDCONT.
func classifyCtx(p initPart) (pdpContext, initVerdict, string) {
	v, ctx, pin := classify(p)
	return ctx, v, pin
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

// splitPassword takes pppd's `password SECRET` out of a PPPD Option
// value: zdial refuses it there (argv is world-readable) and has a field
// for it.
func splitPassword(v string) (rest, secret string, found bool) {
	words := strings.Fields(v)
	var keep []string
	for i := 0; i < len(words); i++ {
		if strings.EqualFold(words[i], "password") {
			found = true
			if i+1 < len(words) {
				secret = words[i+1]
				i++
			}
			continue
		}
		keep = append(keep, words[i])
	}
	if !found {
		return v, "", false
	}
	return strings.Join(keep, " "), secret, true
}

var wordKey = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9 _-]{0,39}$`)

// keyForNote shows an unknown key only when it reads like a key: a line
// such as "1234 = x" is more likely a misplaced secret than a setting.
func keyForNote(k string) string {
	if wordKey.MatchString(k) {
		return k
	}
	return "(a key that is not a word)"
}

var nameJunk = regexp.MustCompile(`[^a-z0-9._-]+`)

// profileName makes a zdial profile name of a section name:
// "Dialer Three UK" → "three-uk", [Dialer Defaults] → "defaults".
func profileName(section string) string {
	k := fold(section)
	if k == defaultsSection {
		return DefaultsProfile
	}
	n := nameJunk.ReplaceAllString(strings.TrimPrefix(k, "dialer "), "-")
	n = strings.Trim(n, "-.")
	if len(n) > 64 {
		n = strings.Trim(n[:64], "-.")
	}
	if n == "" {
		n = "profile"
	}
	return n
}

// uniqueName adds -2, -3… to a name already taken.
func uniqueName(n string, taken map[string]bool) string {
	out := n
	for i := 2; taken[out]; i++ {
		out = n + "-" + strconv.Itoa(i)
	}
	taken[out] = true
	return out
}

func nameNote(section, name string) string {
	if fold(section) == defaultsSection {
		return "what `wvdial` with no arguments dialled: profile " + name + " (zdial " + name + "); every profile below holds the defaults it inherits"
	}
	return "profile " + name + " (`wvdial " + printable(strings.Join(strings.Fields(section)[1:], " ")) + "` becomes `zdial " + name + "`)"
}

// Import parses a wvdial.conf and converts it: Parse, then Convert.
func Import(r io.Reader, name string) (*Result, error) {
	f, err := Parse(r, name)
	if err != nil {
		return nil, err
	}
	return Convert(f)
}

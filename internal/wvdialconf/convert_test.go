package wvdialconf

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func notesText(r *Result) (notes, unmapped string) {
	var a, b []string
	for _, n := range r.Notes {
		a = append(a, n.String())
	}
	for _, n := range r.Unmapped {
		b = append(b, n.String())
	}
	return strings.Join(a, "\n"), strings.Join(b, "\n")
}

// TestInheritsFlattensPerKey: wvdial resolves every key, each InitN on its
// own, through the section, its Inherits chain and [Dialer Defaults].
func TestInheritsFlattensPerKey(t *testing.T) {
	r, _ := importFile(t, "inherits.conf")
	if r.Profiles[0].Name != DefaultsProfile {
		t.Errorf("first profile %q, want %q", r.Profiles[0].Name, DefaultsProfile)
	}
	q := profileNamed(t, r, "quiet-three")
	if q.Port != "/dev/ttyUSB2" || q.APN != "three.co.uk" || q.PIN.Reveal() != "4821" ||
		q.Username != "user" || q.Password.Reveal() != "hush-8u2" || q.Number != "*99#" {
		t.Errorf("quiet-three = %+v", q)
	}
	if want := []string{"ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0", "ATM0"}; strings.Join(q.Init, "|") != strings.Join(want, "|") {
		t.Errorf("quiet-three init %q, want %q (Init2 from the defaults, Init5 its own)", q.Init, want)
	}
	// Init2 of [Modem huawei] wins over the defaults' Init2.
	e := profileNamed(t, r, "e220")
	if len(e.Init) != 1 || !strings.HasSuffix(e.Init[0], "^CURC=0") || e.PPPD.Path != "/usr/local/sbin/pppd" {
		t.Errorf("e220 = %+v", e)
	}
	if three := profileNamed(t, r, "three"); three.PIN.IsSet() {
		t.Error("three got the PIN of a section that inherits from it")
	}
}

func TestInheritsCycleAndMissing(t *testing.T) {
	r, _ := importFile(t, "inherits.conf")
	a := profileNamed(t, r, "loop-a")
	if a.APN != "mobile.example" || a.CID != 2 || a.Number != "*99***2#" {
		t.Errorf("loop-a = %+v: want loop-b's APN and its own number", a)
	}
	b := profileNamed(t, r, "loop-b")
	if b.Number != "*99***2#" {
		t.Errorf("loop-b number %q: want loop-a's", b.Number)
	}
	_, un := notesText(r)
	for _, want := range []string{
		"line 32 [Dialer loop-a] Inherits: inheritance cycle [Dialer loop-b] → [Dialer loop-a] → [Dialer loop-b]",
		"line 40 [Dialer lazy] Inherits: no section [three]",
		"Inherits = Dialer three",
		"line 42 [Old Settings] not a [Dialer …] section",
	} {
		if !strings.Contains(un, want) {
			t.Errorf("not mapped lacks %q:\n%s", want, un)
		}
	}
	if lazy := profileNamed(t, r, "lazy"); lazy.APN != "" {
		t.Errorf("lazy inherited through a missing section: %+v", lazy)
	}
}

func TestProfileNames(t *testing.T) {
	r := convertString(t, "[Dialer Three UK]\n[Dialer three_uk]\n[Dialer THREE-UK]\n[Dialer !!!]\n[Dialer evil\x1b[31m]\n[Dialer Defaults]\n")
	var got []string
	for _, p := range r.Profiles {
		got = append(got, p.Name)
	}
	// Only case and runs of spaces fold in section names, so
	// [Dialer THREE-UK] is its own section, and its name clashes.
	want := "defaults three-uk three_uk three-uk-2 profile evil-31m"
	if strings.Join(got, " ") != want {
		t.Errorf("names %q, want %q", strings.Join(got, " "), want)
	}
	var out bytes.Buffer
	if err := r.EmitYAML(&out); err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsRune(out.Bytes(), 0x1b) {
		t.Errorf("an escape character from the file reached the output:\n%q", out.String())
	}
}

func TestNumberChoosesTheContext(t *testing.T) {
	r := convertString(t, `[Dialer Defaults]
Init3 = AT+CGDCONT=1,"IP","internet"
Init4 = AT+CGDCONT=2,"IPV6","ims.example"
Phone = *99***2#

[Dialer one]
Phone = *99#

[Dialer two-on-99]
Init3 =
Phone = *99#
`)
	d := profileNamed(t, r, "defaults")
	if d.APN != "ims.example" || d.CID != 2 || d.PDPType != "IPV6" {
		t.Errorf("defaults = %+v: *99***2# dials cid 2", d)
	}
	if len(d.Init) != 1 || d.Init[0] != `AT+CGDCONT=1,"IP","internet"` {
		t.Errorf("defaults init %q: the other context stays an init string", d.Init)
	}
	if one := profileNamed(t, r, "one"); one.APN != "internet" || one.CID != 1 {
		t.Errorf("one = %+v: *99# dials cid 1", one)
	}
	two := profileNamed(t, r, "two-on-99")
	if two.APN != "ims.example" || two.CID != 2 {
		t.Errorf("two-on-99 = %+v", two)
	}
	notes, _ := notesText(r)
	if !strings.Contains(notes, `profile two-on-99: the APN is on cid 2 but number *99# dials cid 1's context`) {
		t.Errorf("no note about the cid the number dials:\n%s", notes)
	}
}

func TestUsernamePassword(t *testing.T) {
	for _, c := range []struct {
		user, pass         string
		wantUser, wantPass string
	}{
		{"user", "''", "user", ""},
		{"user", `""`, "user", ""},
		{"web", "web", "web", "web"},
		{"''", "''", "", ""},
		{"<Your Login Name>", "<Your Password>", "", ""},
		{"user", "<Your Password>", "user", ""},
		{"", "", "", ""},
		{"x", "x", "x", "x"}, // a dummy word is kept: it is what worked
	} {
		r := convertString(t, "[Dialer Defaults]\nUsername = "+c.user+"\nPassword = "+c.pass+"\n")
		p := r.Profiles[0]
		if p.Username != c.wantUser || p.Password.Reveal() != c.wantPass {
			t.Errorf("Username = %s, Password = %s → %q/%q, want %q/%q", c.user, c.pass, p.Username, p.Password.Reveal(), c.wantUser, c.wantPass)
		}
	}
}

func TestOtherMappings(t *testing.T) {
	r := convertString(t, `[Dialer Defaults]
Dial Timeout = 45
PPPD Path = /usr/sbin/pppd
PPPD Option = password pa55word noipdefault
PPPD Options = defaultroute novj ifname wwan0
Idle Seconds = 120
Auto DNS = no
Dial Command = ATX3DT
`)
	p := r.Profiles[0]
	if p.DialTimeout != 45*time.Second {
		t.Errorf("dial timeout %v", p.DialTimeout)
	}
	if p.PPPD.Path != "" {
		t.Errorf("the default pppd path was carried: %q", p.PPPD.Path)
	}
	if p.Password.Reveal() != "pa55word" {
		t.Error("the password of pppd's password option was not carried as password:")
	}
	if got := strings.Join(p.PPPD.Options, "|"); got != "noipdefault|idle 120" {
		t.Errorf("pppd options %q", got)
	}
	if p.PPPD.DefaultRoute == nil || !*p.PPPD.DefaultRoute || !p.PPPD.NoVJ || p.PPPD.IfName != "wwan0" {
		t.Errorf("pppd fields %+v", p.PPPD)
	}
	if p.PPPD.UsePeerDNS == nil || *p.PPPD.UsePeerDNS {
		t.Error("Auto DNS = no should give usepeerdns: false")
	}
	notes, un := notesText(r)
	if strings.Contains(notes+un, "pa55word") {
		t.Errorf("the password is in a note:\n%s\n%s", notes, un)
	}
	if !strings.Contains(un, `"ATX3DT" is not carried`) {
		t.Errorf("no note about the dial command:\n%s", un)
	}
}

func TestEveryKnownKeyIsAccountedFor(t *testing.T) {
	// Every option wvdial 1.61 reads, once: each must land in a profile
	// field, a note or the not-mapped list, never silently vanish.
	keys := []string{"Modem", "Baud", "Init", "Init1", "Init2", "Init3", "Init4", "Init5", "Init6", "Init7", "Init8", "Init9",
		"Phone", "Phone1", "Phone2", "Phone3", "Phone4", "Dial Prefix", "Area Code", "Dial Command", "Username", "Login Prompt",
		"Password", "Password Prompt", "PPPD Path", "PPPD Option", "Force Address", "Remote Name", "Default Reply", "Country",
		"Provider", "Product", "Homepage", "DialMessage1", "DialMessage2", "DNS Test1", "DNS Test2", "Carrier Check",
		"Stupid Mode", "New PPPD", "Auto Reconnect", "Dial Attempts", "Abort on Busy", "Abort on No Dialtone", "Compuserve",
		"Tonline", "Auto DNS", "Check DNS", "Check Def Route", "Idle Seconds", "ISDN", "Ask Password", "Dial Timeout", "Inherits", "Modem Type"}
	values := map[string]string{"Init3": `AT+CGDCONT=1,"IP","x"`, "Init4": "AT+CPIN=2580", "Dial Timeout": "30", "Idle Seconds": "10",
		"PPPD Option": "mtu 1400", "PPPD Path": "/opt/pppd", "Inherits": "Dialer Defaults", "Username": "u", "Password": "p"}
	var b strings.Builder
	b.WriteString("[Dialer Defaults]\n")
	for _, k := range keys {
		v, ok := values[k]
		if !ok {
			v = "1"
		}
		b.WriteString(k + " = " + v + "\n")
	}
	r := convertString(t, b.String())
	lines := map[int]bool{}
	for _, n := range append(append([]Note{}, r.Notes...), r.Unmapped...) {
		lines[n.Line] = true
	}
	carried := map[string]bool{"Init": true, "Password": true, "Init3": true, "Init4": true, "Phone": true, "Username": true, "Modem": true,
		"Dial Timeout": true, "Inherits": true, "Init2": true, "Init5": true, "Init6": true, "Init7": true, "Init8": true, "Init9": true}
	for i, k := range keys {
		if !lines[i+2] && !carried[k] {
			t.Errorf("%s (line %d) is neither carried nor noted", k, i+2)
		}
	}
	if got := r.Profiles[0].Init; len(got) != 7 { // Init (for Init1), Init2, Init5…Init9 = "1": kept as written
		t.Errorf("init %q", got)
	}
	for _, n := range r.Unmapped {
		if strings.Contains(n.Text, "not a wvdial option") {
			t.Errorf("a wvdial option reported as unknown: %v", n)
		}
	}
}

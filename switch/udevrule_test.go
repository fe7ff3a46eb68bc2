package modeswitch

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustRule(t *testing.T, db *DB, o RuleOptions) string {
	t.Helper()
	r, err := UdevRule(db, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// section is the lines of rule r from LABEL=name to the next LABEL.
func section(r, name string) string {
	_, after, ok := strings.Cut(r, "LABEL=\""+name+"\"\n")
	if !ok {
		return ""
	}
	if i := strings.Index(after, "LABEL="); i >= 0 {
		after = after[:i]
	}
	return after
}

func TestUdevRuleMatchKeys(t *testing.T) {
	db := mustBuiltin(t)
	r := mustRule(t, db, RuleOptions{Binary: "/usr/sbin/zdial"})
	usb, sw, tty, port := section(r, "zdial_usb"), section(r, "zdial_switch"), section(r, "zdial_tty"), section(r, "zdial_port")

	// The USB device's own attributes (ATTR) pick the device, for every
	// storage-mode and modem-mode ID, each once.
	usbLine := func(id ID) string {
		return fmt.Sprintf(`ATTR{idVendor}=="%04x", ATTR{idProduct}=="%04x", GOTO="zdial_switch"`+"\n", id.Vendor, id.Product)
	}
	for _, id := range append(db.StorageIDs(), db.modemIDs()...) {
		if n := strings.Count(usb, usbLine(id)); n != 1 {
			t.Errorf("usb section has %d lines for %s, want 1", n, id)
		}
	}
	// A tty matches on its USB parent (ATTRS), for the modem-mode IDs only.
	for _, id := range db.modemIDs() {
		if !strings.Contains(tty, fmt.Sprintf(`ATTRS{idVendor}=="%04x", ATTRS{idProduct}=="%04x", GOTO="zdial_port"`, id.Vendor, id.Product)) {
			t.Errorf("tty section lacks %s", id)
		}
	}
	if strings.Contains(tty, `"2000"`) {
		t.Errorf("a storage-mode ID has no ttys, but the tty section matches 19d2:2000:\n%s", tty)
	}
	if !strings.Contains(r, "SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", GOTO=\"zdial_usb\"\n") ||
		!strings.Contains(r, "SUBSYSTEM==\"tty\", GOTO=\"zdial_tty\"\n") ||
		!strings.HasPrefix(strings.SplitN(r, "\n\n", 2)[1], `ACTION=="remove", GOTO="zdial_end"`) {
		t.Errorf("the dispatch lines are not as expected:\n%s", r)
	}

	// add and bind both switch (coldplug replays add only), through one
	// RUN line, and nothing else runs a program.
	if want := "ENV{ID_MM_DEVICE_IGNORE}=\"1\"\nACTION==\"add|bind\", RUN+=\"/usr/sbin/zdial switch --no-wait %k\"\nGOTO=\"zdial_end\"\n\n"; sw != want {
		t.Errorf("switch section:\n%s\nwant:\n%s", sw, want)
	}
	if n := strings.Count(r, "RUN+="); n != 1 {
		t.Errorf("%d RUN keys, want 1", n)
	}
	// The ports: group, mode, ModemManager, the role from zdial udev-role
	// (a program that reads files) and the link named after it.
	for _, want := range []string{
		`ENV{ID_MM_DEVICE_IGNORE}="1", GROUP="dialout", MODE="0660"`,
		`IMPORT{program}="/usr/sbin/zdial udev-role %k"`,
		`ENV{ZDIAL_DEVICE}=="?*", ENV{ZDIAL_ROLE}=="?*", SYMLINK+="zdial/$env{ZDIAL_DEVICE}/$env{ZDIAL_ROLE}"`,
	} {
		if !strings.Contains(port, want) {
			t.Errorf("port section lacks %s:\n%s", want, port)
		}
	}
	if strings.Contains(r, "SYSTEMD_WANTS") {
		t.Errorf("SYSTEMD_WANTS without --online")
	}
	// The MF636DB keeps 19d2:0033 in both modes: one line.
	if n := strings.Count(usb, `ATTR{idProduct}=="0033"`); n != 1 {
		t.Errorf("19d2:0033 has %d lines, want 1", n)
	}

	// Every GOTO has its LABEL, and every LABEL is used.
	gotos, labels := map[string]bool{}, map[string]bool{}
	for _, m := range regexp.MustCompile(`GOTO="([^"]+)"`).FindAllStringSubmatch(r, -1) {
		gotos[m[1]] = true
	}
	for _, m := range regexp.MustCompile(`(?m)^LABEL="([^"]+)"$`).FindAllStringSubmatch(r, -1) {
		labels[m[1]] = true
	}
	if !cmp.Equal(gotos, labels) {
		t.Errorf("GOTOs %v vs LABELs %v", gotos, labels)
	}
	// Every line is a comment, blank, or keys udev can read: KEY op "value", …
	key := `[A-Z_]+(\{[A-Za-z_]+\})?(==|!=|=|\+=)"[^"]*"`
	line := regexp.MustCompile(`^` + key + `(, ` + key + `)*$`)
	for _, l := range strings.Split(r, "\n") {
		if l != "" && !strings.HasPrefix(l, "#") && !line.MatchString(l) {
			t.Errorf("not a rule line: %q", l)
		}
	}
	if mustRule(t, db, RuleOptions{Binary: "/usr/sbin/zdial"}) != r {
		t.Errorf("not deterministic")
	}
}

func TestUdevRuleOnline(t *testing.T) {
	r := mustRule(t, mustBuiltin(t), RuleOptions{Binary: "/usr/sbin/zdial", Online: "three"})
	want := `ENV{ZDIAL_ROLE}=="ppp", TAG+="systemd", ENV{SYSTEMD_WANTS}+="zdial@three.service"`
	if !strings.Contains(section(r, "zdial_port"), want) {
		t.Errorf("--online three: port section lacks %s", want)
	}
}

// The binary and the profile go into the rule verbatim, so anything udev
// would read differently is refused rather than quoted.
func TestUdevRuleRefusesUnsafeText(t *testing.T) {
	db := mustBuiltin(t)
	for _, tc := range []struct {
		name string
		o    RuleOptions
	}{
		{"blank", RuleOptions{Binary: "/opt/my tools/zdial"}},
		{"double quote", RuleOptions{Binary: `/opt/x"/zdial`}},
		{"single quote", RuleOptions{Binary: "/opt/x'/zdial"}},
		{"percent", RuleOptions{Binary: "/opt/%k/zdial"}},
		{"dollar", RuleOptions{Binary: "/opt/$env{X}/zdial"}},
		{"newline", RuleOptions{Binary: "/opt/x\nRUN+=\"/bin/sh\"/zdial"}},
		{"control byte", RuleOptions{Binary: "/opt/\x1b/zdial"}},
		{"relative", RuleOptions{Binary: "bin/zdial"}},
		{"dotdot", RuleOptions{Binary: "/usr/../tmp/zdial"}},
		{"profile with a quote", RuleOptions{Binary: "/usr/sbin/zdial", Online: `a"b`}},
		{"profile with a blank", RuleOptions{Binary: "/usr/sbin/zdial", Online: "a b"}},
		{"profile with a slash", RuleOptions{Binary: "/usr/sbin/zdial", Online: "../x"}},
		{"profile starting with -", RuleOptions{Binary: "/usr/sbin/zdial", Online: "-x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := UdevRule(db, tc.o)
			var te *RuleTextError
			if !errors.Is(err, ErrRuleText) || !errors.As(err, &te) || r != "" {
				t.Fatalf("UdevRule(%+v) = %d bytes, %v; want a *RuleTextError", tc.o, len(r), err)
			}
		})
	}
	for _, ok := range []string{"/usr/sbin/zdial", "/usr/local/sbin/zdial-1.2_rc+3"} {
		if _, err := UdevRule(db, RuleOptions{Binary: ok, Online: "my-isp.2"}); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

// The links come from the database roles, found from the tty's name alone
// (udev's %k), and the port cache overrides the PPP port.
func TestTTYPortLinks(t *testing.T) {
	db := mustBuiltin(t)
	h := &Host{Sysfs: sysfsTree("mf622-modem-option"), Dev: "/dev"}
	link := func(tty string, cachedPPP int, cached bool) string {
		u, err := h.TTYPort(db, tty)
		if err != nil {
			t.Fatalf("%s: %v", tty, err)
		}
		r := LinkRole(u.Port, cachedPPP, cached)
		if r == RoleNone {
			return ""
		}
		return u.Device.LinkName() + "/" + string(r)
	}
	// 19d2:0001 {0: diag, 1: at, 2: ppp}, serial P671A2TMED010000.
	got := []string{link("ttyUSB0", 0, false), link("ttyUSB1", 0, false), link("ttyUSB2", 0, false)}
	want := []string{"19d2-0001-P671A2TMED010000/diag", "19d2-0001-P671A2TMED010000/at", "19d2-0001-P671A2TMED010000/ppp"}
	if !cmp.Equal(got, want) {
		t.Errorf("links = %q, want %q", got, want)
	}
	// The cache says interface 1 carries PPP: it is the ppp link, and the
	// database's ppp port loses that name; diag stays diag whatever the cache says.
	got = []string{link("ttyUSB0", 1, true), link("ttyUSB1", 1, true), link("ttyUSB2", 1, true)}
	want = []string{"19d2-0001-P671A2TMED010000/diag", "19d2-0001-P671A2TMED010000/ppp", ""}
	if !cmp.Equal(got, want) {
		t.Errorf("links with the cache = %q, want %q", got, want)
	}
	if r := LinkRole(Port{Interface: 0, Role: RoleDiag}, 0, true); r != RoleDiag {
		t.Errorf("a cache naming the diag port made it %q", r)
	}
	if _, err := h.TTYPort(db, "ttyUSB9"); !errors.Is(err, ErrNoPort) {
		t.Errorf("ttyUSB9: %v, want ErrNoPort", err)
	}
}

func TestLinkName(t *testing.T) {
	for _, tc := range []struct {
		d    Device
		want string
	}{
		{Device{Name: "1-2", ID: ID{0x19d2, 0x0001}, Serial: "MF622LAB0001"}, "19d2-0001-MF622LAB0001"},
		{Device{Name: "1-2.4", ID: ID{0x12d1, 0x1001}}, "12d1-1001-usb-1-2.4"},
		{Device{Name: "1-2", ID: ID{0x19d2, 0x0001}, Serial: "../a b/$x%k\"\n"}, "19d2-0001-.._a_b__x_k__"},
		{Device{Name: "1-2", ID: ID{0x19d2, 0x0001}, Serial: ".."}, "19d2-0001-_"},
	} {
		if got := tc.d.LinkName(); got != tc.want {
			t.Errorf("LinkName(%+v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// BenchmarkUdevRole is what `zdial udev-role ttyUSB2` does inside udev for
// every port event: parse the built-in database, read sysfs, find the tty.
func BenchmarkUdevRole(b *testing.B) {
	h := &Host{Sysfs: sysfsTree("mf622-modem-option")}
	for b.Loop() {
		db, err := Builtin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := h.TTYPort(db, "ttyUSB2"); err != nil {
			b.Fatal(err)
		}
	}
}

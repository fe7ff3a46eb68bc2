package pppctl

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/zdial/zdial/internal/printable"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestArgs(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
		want []string
	}{
		{"zero", Options{}, []string{"nodetach", "nopersist"}},
		{"three uk", Options{NoAuth: true, DefaultRoute: true, UsePeerDNS: true, NoIPDefault: true},
			[]string{"nodetach", "noauth", "defaultroute", "usepeerdns", "noipdefault", "nopersist"}},
		{"everything", Options{
			Speed: 460800, NoAuth: true, DefaultRoute: true, ReplaceDefaultRoute: true,
			UsePeerDNS: true, NoIPDefault: true, NoVJ: true, Local: true, LCPEchoInterval: 30, LCPEchoFailure: 4,
			User: "web user", Password: "pw", IPParam: "three", LinkName: "three", IfName: "wwan-ppp",
			Extra: []string{"mtu 1400", "debug", "ipparam", "file"},
		}, []string{"nodetach", "460800", "noauth", "defaultroute", "replacedefaultroute",
			"usepeerdns", "noipdefault", "novj", "local", "lcp-echo-interval", "30", "lcp-echo-failure", "4",
			"user", "web user", "ipparam", "three", "linkname", "three", "ifname", "wwan-ppp",
			"nopersist", "mtu", "1400", "debug", "ipparam", "file"}},
		{"nodetach twice is fine", Options{Extra: []string{"nodetach"}},
			[]string{"nodetach", "nopersist", "nodetach"}},
		{"refused extra is left out whole", Options{Extra: []string{"mtu 1400", "password hunter2"}},
			[]string{"nodetach", "nopersist"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Args(tc.opts)); diff != "" {
				t.Errorf("Args (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(Args(tc.opts), Args(tc.opts)); diff != "" {
				t.Errorf("Args not deterministic:\n%s", diff)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		opts   Options
		option string // "" = valid
	}{
		{Options{}, ""},
		{Options{Speed: -1}, "Speed"},
		{Options{ReplaceDefaultRoute: true}, "ReplaceDefaultRoute"},
		{Options{LCPEchoFailure: 4}, "LCPEchoFailure"},
		{Options{LCPEchoInterval: -1}, "LCPEchoInterval"},
		{Options{Password: Secret(strings.Repeat("x", 256))}, "Password"},
		{Options{Password: "a\x00b"}, "Password"},
		{Options{User: "a\nb"}, "User"},
		{Options{LinkName: "../x"}, "LinkName"},
		{Options{IfName: "a-very-long-ifname"}, "IfName"},
		{Options{IfName: "ppp:0"}, "IfName"},
		{Options{Extra: []string{"password", "hunter2"}}, "password"},
		{Options{Extra: []string{"show-password"}}, "show-password"},
		{Options{Extra: []string{"passwordfd 5"}}, "passwordfd"},
		{Options{Extra: []string{"plugin rp-pppoe.so"}}, "plugin"},
		{Options{Extra: []string{"/dev/ttyUSB0"}}, "Extra word 1"},
		{Options{Extra: []string{"ttyUSB0"}}, "Extra word 1"},
		{Options{Extra: []string{"connect 'chat -f x'"}}, "connect"},
		{Options{Extra: []string{"updetach"}}, "updetach"},
		{Options{Extra: []string{"persist"}}, "persist"},
		{Options{Extra: []string{"logfile /tmp/x"}}, "logfile"},
		{Options{Extra: []string{"nolog"}}, "nolog"},
		{Options{Extra: []string{"call provider"}}, "call"},
		{Options{Extra: []string{"mtu"}}, "mtu"},
		{Options{Extra: []string{"remotename hunter22"}, Password: "hunter22"}, "Extra"},
		{Options{Extra: []string{"hunter22"}, Password: "hunter22"}, "Extra"},
		{Options{Extra: []string{"ipparam file", "remotename persist"}}, ""},
		{Options{Extra: []string{"nodetach", "-detach", "debug", "mtu 1400"}}, ""},
	} {
		err := tc.opts.Validate()
		var oe *OptionError
		switch {
		case tc.option == "" && err != nil:
			t.Errorf("%+v: unexpected %v", tc.opts.Extra, err)
		case tc.option != "" && (!errors.As(err, &oe) || oe.Option != tc.option || !errors.Is(err, ErrInvalidOption)):
			t.Errorf("%+v: err = %v, want an OptionError for %q", tc.opts, err, tc.option)
		}
		if err != nil && (strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "xxxx")) {
			t.Errorf("error shows a secret: %v", err)
		}
	}
}

func TestSecretNeverPrints(t *testing.T) {
	o := Options{User: "web", Password: "hunter22"}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("opts", "opts", o, "pw", o.Password)
	js, _ := json.Marshal(o)
	for _, s := range []string{
		fmt.Sprint(o), fmt.Sprintf("%v %+v %#v %s %q", o, o, o, o.Password, o.Password),
		string(js), logged.String(),
	} {
		if strings.Contains(s, "hunter22") {
			t.Errorf("password printed: %s", s)
		}
		if !strings.Contains(s, Mask) {
			t.Errorf("no mask in %s", s)
		}
	}
	if o.Password.Reveal() != "hunter22" {
		t.Error("Reveal lost the password")
	}
}

func TestDryRun(t *testing.T) {
	plug := fakePluginDir(t)
	opts := Options{NoAuth: true, User: "web", Password: "hunter22"}
	got, err := DryRun(Config{Binary: "/usr/sbin/pppd", Options: opts, PluginDir: plug})
	if err != nil {
		t.Fatal(err)
	}
	want := append([]string{"/usr/sbin/pppd"}, Args(opts)...)
	want = append(want, "logfd", "3", "plugin", filepath.Join(plug, PasswordFDPlugin), "passwordfd", "4")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DryRun with plugin (-want +got):\n%s", diff)
	}
	got, err = DryRun(Config{Binary: "pppd", Options: opts, TempDir: "/run/zdial"})
	if err != nil {
		t.Fatal(err)
	}
	if tail := got[len(got)-2:]; !cmp.Equal(tail, []string{"file", "/dev/fd/4"}) {
		t.Errorf("DryRun without plugin ends %q", tail)
	}
	got, _ = DryRun(Config{Binary: "pppd", Options: Options{IPParam: "x-hunter22", Password: "hunter22"}})
	if strings.Contains(strings.Join(got, " "), "hunter22") {
		t.Errorf("DryRun shows the password: %q", got)
	}
	if _, err := DryRun(Config{Options: Options{Extra: []string{"password hunter22"}}}); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("DryRun accepted a password in Extra: %v", err)
	}
}

// TestExtraAllowList pins issue 9 item 13: Extra is an allow-list. Each
// refused case got through the old deny-list, which checked only words
// starting with / or tty and skipped the argument of any option that
// takes one.
func TestExtraAllowList(t *testing.T) {
	for _, tc := range []struct {
		extra  string
		option string // "" = accepted
		reason string // a substring of the reason, if refused
	}{
		// Refused: a device, a script, a secrets file, a file, an exit.
		{"pts/0", "Extra word 1", "device"},
		{"ip-up-script /home/user/evil", "ip-up-script", "runs a program"},
		{"+ua /home/user/creds", "+ua", "secrets file"},
		{"dryrun", "dryrun", "exit"},
		{"ipparam three pts/0", "Extra word 3", "device"},
		{"lcp-rtt-file /etc/shadow", "lcp-rtt-file", "file"},
		{"set PATH=/home/user", "set", "environment"},
		// Redialling belongs to `zdial run`.
		{"persist", "persist", "zdial run"},
		{"maxfail 0", "maxfail", "zdial run"},
		{"demand", "demand", "zdial run"},
		{"holdoff 5", "holdoff", "zdial run"},
		// Set elsewhere in the profile.
		{"user web", "user", "username"},
		{"linkname ../x", "linkname", "linkname"},
		// Unknown options are named, with where to find the list.
		{"frobnicate", "frobnicate", "pppd options a profile may add"},
		{"ktune", "ktune", "pppd options a profile may add"},
		// A word that is no option name is not repeated (it may be a secret).
		{"Tr0ub4dor&3", "Extra word 1", "pppd options a profile may add"},
		// Arguments are checked by kind.
		{"mtu", "mtu", "decimal"},
		{"mtu abc", "mtu", "decimal"},
		{"mtu -1", "mtu", "decimal"},
		{"mtu 010", "mtu", "leading zero"},
		{"mtu 1400x", "mtu", "decimal"},
		{"kdebug 99999999999", "kdebug", "decimal"},
		{"asyncmap 1234567890", "asyncmap", "hexadecimal"},
		{"asyncmap g0", "asyncmap", "hexadecimal"},
		{"ifname ppp/0", "ifname", "interface name"},
		{"ifname a-very-long-ifname", "ifname", "interface name"},
		{"ipparam /etc/passwd", "ipparam", "name"},
		{"remotename a\x1b[2Jb", "remotename", "name"},
		{"ipv6 fe80::1%eth0,", "ipv6", "IPv6"},
		{"ipv6 10.0.0.1,::2", "ipv6", "IPv6"},
		{"ipv6 ,", "ipv6", "IPv6"},
		{"host.example:10.0.0.2", "Extra word 1", "pppd options a profile may add"},
		{"10.0.0.1:", "", ""},
		{":10.0.0.2", "", ""},
		{"10.0.0.1:10.0.0.2", "", ""},
		// Accepted.
		{"mtu 1400 mru 1400 asyncmap 0 asyncmap 0x20A0000 novj nobsdcomp nodeflate noccp", "", ""},
		{"lcp-echo-interval 30 lcp-echo-failure 4 lcp-echo-adaptive lcp-restart 3", "", ""},
		{"ipcp-accept-local ipcp-accept-remote ipcp-max-failure 10 noipdefault", "", ""},
		{"defaultroute replacedefaultroute nodefaultroute defaultroute-metric 100 usepeerdns", "", ""},
		{"+ipv6 ipv6 ::1,::2 ipv6 ,::2 ipv6cp-use-ipaddr noipv6", "", ""},
		{"noauth refuse-chap require-pap name me@example.net remotename three", "", ""},
		{"crtscts nocrtscts local modem debug kdebug 7", "", ""},
		{"ifname wwan_ppp0 unit 3 ipparam three.co.uk idle 600 maxconnect 86400", "", ""},
		{"ipparam file remotename persist", "", ""}, // arguments, not options
	} {
		o := Options{Extra: []string{tc.extra}}
		err := o.Validate()
		if tc.option == "" {
			if err != nil {
				t.Errorf("%q: unexpected %v", tc.extra, err)
			}
			continue
		}
		var oe *OptionError
		if !errors.As(err, &oe) || !errors.Is(err, ErrInvalidOption) || oe.Option != tc.option {
			t.Errorf("%q: err = %v, want an OptionError for %q", tc.extra, err, tc.option)
			continue
		}
		if !strings.Contains(oe.Reason, tc.reason) {
			t.Errorf("%q: reason %q does not mention %q", tc.extra, oe.Reason, tc.reason)
		}
		// The error never repeats an argument (or a word that is no
		// option); words shorter than 3 bytes would match by chance.
		for _, w := range strings.Fields(tc.extra)[1:] {
			if len(w) >= 3 && strings.Contains(err.Error(), w) && w != tc.option {
				t.Errorf("%q: error quotes the argument %q: %v", tc.extra, w, err)
			}
		}
		if tc.option == "Extra word 1" && strings.Contains(err.Error(), strings.Fields(tc.extra)[0]) {
			t.Errorf("%q: error quotes a word that is no option: %v", tc.extra, err)
		}
		if strings.ContainsFunc(err.Error(), printable.IsControl) {
			t.Errorf("%q: control character in error %q", tc.extra, err)
		}
	}
}

// Every allowed option is accepted as AllowedOptions documents it, and
// pppctl's own rule holds: no allowed option is one the refused table
// explains.
func TestAllowedOptionsDocumented(t *testing.T) {
	sample := map[string]string{"N": "1", "HEX": "ff", "NAME": "three", "IFNAME": "ppp0", "LOCAL,REMOTE": "::1,::2"}
	list := AllowedOptions()
	if !slices.IsSorted(list) || len(list) != len(allowed)+1 {
		t.Fatalf("AllowedOptions not sorted or incomplete: %d of %d", len(list), len(allowed)+1)
	}
	for _, entry := range list {
		if entry == "LOCAL:REMOTE" {
			continue
		}
		name, hint, _ := strings.Cut(entry, " ")
		o := Options{Extra: []string{strings.TrimSpace(name + " " + sample[hint])}}
		if err := o.Validate(); err != nil {
			t.Errorf("%s: %v", entry, err)
		}
		if _, ok := refused[name]; ok {
			t.Errorf("%s is both allowed and refused", name)
		}
	}
}

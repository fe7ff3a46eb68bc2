package pppctl

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
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
		{Options{Extra: []string{"/dev/ttyUSB0"}}, "/dev/ttyUSB0"},
		{Options{Extra: []string{"ttyUSB0"}}, "ttyUSB0"},
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
	if tail := got[len(got)-2:]; !cmp.Equal(tail, []string{"file", "/run/zdial/zdial-pppd-*/options"}) {
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

package dialer_test

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/modemsim"
	modeswitch "github.com/zdial/zdial/switch"
)

// probeTimeout is the per-port deadline in these tests. The silent port
// uses all of it; nothing asserts how long that takes (see the benchmark).
// It is generous because the responsive ports must finish their whole probe
// (AT, identity, SIM and port-mode queries) within it on a loaded machine.
const probeTimeout = 2 * time.Second

// simTTY serves a persona on a pty until the test ends; a watchdog context
// bounds it so a stuck test cannot hang the run.
func simTTY(t testing.TB, persona string) *modemsim.PTY {
	t.Helper()
	p, err := modemsim.Builtin(persona)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	pty, err := modemsim.OpenPTY(ctx, p, modemsim.WithGuardTime(20*time.Millisecond))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); pty.Close() })
	return pty
}

// threePorts is a dongle whose database entry says nothing about its
// ports: a secondary AT port, a silent diagnostics port and the modem, in
// that interface order, so the first port that answers AT is the wrong one.
func threePorts(t testing.TB) ([]modeswitch.Port, map[string]*modemsim.PTY) {
	sims := map[string]*modemsim.PTY{}
	var ports []modeswitch.Port
	for i, persona := range []string{"aux-at", "diag-silent", "zte-mf622"} {
		pty := simTTY(t, persona)
		sims[persona] = pty
		ports = append(ports, modeswitch.Port{Name: filepath.Base(pty.Path), Path: pty.Path, Interface: i})
	}
	return ports, sims
}

func TestChoosePortFindsModemAmongThree(t *testing.T) {
	ports, sims := threePorts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := dialer.Discovery{DevRoot: "/dev", ProbeTimeout: probeTimeout}.Discover(ctx, modeswitch.Device{}, ports)
	if err != nil {
		t.Fatal(err)
	}
	if c.Port.Path != sims["zte-mf622"].Path || c.Reason != "data-port check" {
		t.Fatalf("chose %s (%s), want the zte-mf622 port %s by the data-port check", c.Port.Path, c.Reason, sims["zte-mf622"].Path)
	}
	aux := c.Results[filepath.Base(sims["aux-at"].Path)]
	if !aux.AT || aux.DataPort {
		t.Errorf("aux-at port: %+v, want AT and not a data port", aux)
	}
	if !strings.Contains(c.Results[c.Port.Name].Info, "ZTE CORPORATION MF622") {
		t.Errorf("modem info %q lacks the identity", c.Results[c.Port.Name].Info)
	}
	if _, ok := c.Errors[filepath.Base(sims["diag-silent"].Path)]; !ok {
		t.Errorf("the silent port has no probe error: %+v", c.Errors)
	}
	for name, pty := range sims {
		for _, cmd := range pty.Sim.Received() {
			if !strings.HasPrefix(strings.ToUpper(cmd), "AT") || strings.HasPrefix(strings.ToUpper(cmd), "ATD") {
				t.Errorf("%s received %q: only AT queries may be sent while probing", name, cmd)
			}
		}
	}
	checkNoEngineGoroutines(t)
}

// Three simulated ports that answer ATO alike, so the data-port check
// cannot tell them apart, on a device the database gives no roles. Listed
// as interfaces 2, 0, 1, the pick must be interface 0 with a reason that
// says it was a pick among equals: all ERROR (three secondary AT ports) is
// the fallback to the first AT port; all NO CARRIER (three modem ports)
// passes the check everywhere.
func TestChoosePortWhenEveryPortAnswersATOAlike(t *testing.T) {
	for _, tc := range []struct {
		persona string
		reason  []string
	}{
		{"aux-at", []string{"first AT port", "answer AT and none passed the data-port check", "lowest interface, 0"}},
		{"zte-mf622", []string{"data-port check", "passed it", "lowest interface, 0"}},
	} {
		t.Run(tc.persona, func(t *testing.T) {
			var ports []modeswitch.Port
			var sims []*modemsim.PTY
			for _, iface := range []int{2, 0, 1} {
				pty := simTTY(t, tc.persona)
				sims = append(sims, pty)
				ports = append(ports, modeswitch.Port{Name: filepath.Base(pty.Path), Path: pty.Path, Interface: iface})
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			c, err := dialer.Discovery{DevRoot: "/dev", ProbeTimeout: 5 * time.Second}.Discover(ctx, modeswitch.Device{}, ports)
			if err != nil {
				t.Fatal(err)
			}
			if c.Port.Path != sims[1].Path || c.Port.Interface != 0 {
				t.Errorf("chose %s (interface %d), want interface 0, %s", c.Port.Path, c.Port.Interface, sims[1].Path)
			}
			for _, s := range tc.reason {
				if !strings.Contains(c.Reason, s) {
					t.Errorf("reason %q lacks %q", c.Reason, s)
				}
			}
			for i, pty := range sims {
				got := pty.Sim.Received()
				if !slices.ContainsFunc(got, func(cmd string) bool { return strings.EqualFold(cmd, "ATO") }) {
					t.Errorf("port %d was not given the data-port check: %q", i, got)
				}
				for _, cmd := range got {
					if !strings.HasPrefix(strings.ToUpper(cmd), "AT") || strings.HasPrefix(strings.ToUpper(cmd), "ATD") {
						t.Errorf("port %d received %q: only AT queries may be sent while probing", i, cmd)
					}
				}
			}
		})
	}
	checkNoEngineGoroutines(t)
}

func TestChoosePortNeverOpensDiagPort(t *testing.T) {
	ports, sims := threePorts(t)
	ports[1].Role = modeswitch.RoleDiag
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := dialer.Discovery{DevRoot: "/dev", ProbeTimeout: probeTimeout}.Discover(ctx, modeswitch.Device{}, ports)
	if err != nil {
		t.Fatal(err)
	}
	if c.Port.Path != sims["zte-mf622"].Path {
		t.Errorf("chose %s", c.Port.Path)
	}
	if got := sims["diag-silent"].Sim.Received(); len(got) != 0 {
		t.Errorf("the diag port received %q", got)
	}
}

func TestProberHuaweiPortMode(t *testing.T) {
	huawei := simTTY(t, "huawei-e1750")
	aux := simTTY(t, "aux-at")
	ports := []modeswitch.Port{
		{Name: filepath.Base(aux.Path), Path: aux.Path, Interface: 2},
		{Name: filepath.Base(huawei.Path), Path: huawei.Path, Interface: 0},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := dialer.Discovery{DevRoot: "/dev", ProbeTimeout: probeTimeout}.Discover(ctx, modeswitch.Device{}, ports)
	if err != nil {
		t.Fatal(err)
	}
	if c.Port.Path != huawei.Path || c.Reason != "AT^GETPORTMODE MDM" {
		t.Fatalf("chose %s (%s)", c.Port.Path, c.Reason)
	}
	want := map[string]int{"MDM": 0, "DIAG": 1, "PCUI": 2}
	got := c.Results[filepath.Base(huawei.Path)].PortMode
	for k, v := range want {
		if got[k] != v {
			t.Errorf("PortMode = %v, want %v", got, want)
			break
		}
	}
	for _, cmd := range huawei.Sim.Received() {
		if strings.EqualFold(cmd, "ATO") {
			t.Errorf("the data-port check ran although ^GETPORTMODE answered")
		}
	}
}

func TestProberMissingPort(t *testing.T) {
	dev := t.TempDir()
	port := modeswitch.Port{Name: "ttyUSB9", Path: filepath.Join(dev, "ttyUSB9")}
	c, err := dialer.Discovery{DevRoot: dev}.Discover(context.Background(), modeswitch.Device{}, []modeswitch.Port{port})
	if err == nil {
		t.Fatal("a missing port was chosen")
	}
	err = c.Errors["ttyUSB9"]
	if !errors.Is(err, dialer.ErrNoPort) {
		t.Errorf("err = %v, want ErrNoPort", err)
	}
}

func TestInspect(t *testing.T) {
	modem := simTTY(t, "zte-mf622")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep, err := dialer.Inspect(ctx, modem.Path, "/dev")
	if err != nil {
		t.Fatal(err)
	}
	if !rep.AT || !rep.DataPort || rep.Modem == nil || rep.Modem.IMEI != "353254010123456" ||
		rep.Modem.SIM != "READY" || !strings.Contains(rep.Modem.Registration, "home") || rep.Modem.Operator != "3 UK" {
		t.Errorf("report = %+v, modem %+v", rep, rep.Modem)
	}

	silent := simTTY(t, "diag-silent")
	sctx, scancel := context.WithTimeout(ctx, probeTimeout)
	defer scancel()
	rep, err = dialer.Inspect(sctx, silent.Path, "/dev")
	if err != nil || rep.AT || rep.Error == "" {
		t.Errorf("silent port: %+v, %v; want no AT and an error text", rep, err)
	}
	checkNoEngineGoroutines(t)
}

// checkNoEngineGoroutines fails if an AT engine goroutine outlived its
// probe: every probe closes its Modem, and Close waits for its goroutines,
// so none may be left once the probe has returned.
func checkNoEngineGoroutines(t *testing.T) {
	t.Helper()
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "github.com/zdial/zdial/at.") {
			t.Errorf("AT engine goroutine left behind:\n%s", g)
		}
	}
}

// BenchmarkChoosePortThree reports how long discovery takes over three
// ports, one of them silent: about one probe deadline (probeTimeout),
// because the ports are probed at once, not one after another.
func BenchmarkChoosePortThree(b *testing.B) {
	ports, _ := threePorts(b)
	b.ResetTimer()
	for b.Loop() {
		c, err := dialer.Discovery{DevRoot: "/dev", ProbeTimeout: probeTimeout}.Discover(context.Background(), modeswitch.Device{}, ports)
		if err != nil || c.Reason != "data-port check" {
			b.Fatal(c.Reason, err)
		}
	}
	b.ReportMetric(float64(probeTimeout.Milliseconds()), "deadline-ms")
}

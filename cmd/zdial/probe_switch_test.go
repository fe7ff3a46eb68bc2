package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

type probedPort struct {
	Port     string         `json:"port"`
	AT       bool           `json:"at"`
	DataPort bool           `json:"data_port"`
	PortMode map[string]int `json:"port_mode"`
	Role     string         `json:"role"`
	Skipped  string         `json:"skipped"`
	Error    string         `json:"error"`
	Modem    *struct {
		Manufacturer string `json:"manufacturer"`
		Model        string `json:"model"`
		Revision     string `json:"revision"`
		IMEI         string `json:"imei"`
		SIM          string `json:"sim"`
		SignalDBm    int    `json:"signal_dbm"`
		Registration string `json:"registration"`
		Operator     string `json:"operator"`
	} `json:"modem"`
}

func TestProbeNamedPorts(t *testing.T) {
	dev, _ := simDev(t, "aux-at", "diag-silent", "zte-mf622", "huawei-e1750")
	var args []string
	for _, n := range []string{"ttyUSB0", "ttyUSB1", "ttyUSB2", "ttyUSB3"} {
		args = append(args, filepath.Join(dev, n))
	}
	code, out, stderr := zdial(t, append([]string{"probe", "--json", "--timeout", "3s", "--dev", dev}, args...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got []probedPort
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 4 {
		t.Fatalf("not a JSON array of 4: %v\n%s", err, out)
	}
	aux, silent, modem, huawei := got[0], got[1], got[2], got[3]
	if !aux.AT || aux.DataPort {
		t.Errorf("aux-at: %+v, want AT and not a data port", aux)
	}
	if silent.AT || silent.Error == "" {
		t.Errorf("diag-silent: %+v, want no AT and the reason", silent)
	}
	if !modem.AT || !modem.DataPort || modem.Modem == nil {
		t.Fatalf("zte-mf622: %+v", modem)
	}
	m := modem.Modem
	if m.Manufacturer != "ZTE CORPORATION" || m.Model != "MF622" || m.Revision == "" || m.IMEI != "353254010123456" ||
		m.SIM != "READY" || m.SignalDBm == 0 || !strings.Contains(m.Registration, "home") || m.Operator != "3 UK" {
		t.Errorf("zte-mf622 modem: %+v", *m)
	}
	if huawei.PortMode["MDM"] != 0 || huawei.PortMode["PCUI"] != 2 || len(huawei.PortMode) == 0 {
		t.Errorf("huawei port map: %v", huawei.PortMode)
	}

	// The same in text.
	code, out, _ = zdial(t, append([]string{"probe", "--timeout", "3s", "--dev", dev}, args...)...)
	for _, re := range []string{
		`ttyUSB0: answers AT; AT port, not a data port: the data-port check found no online data state`,
		`ttyUSB1: no AT answer`,
		`ttyUSB2: answers AT; data port \(zdial dials here\): it passed the data-port check`,
		`modem +ZTE CORPORATION MF622`,
		`IMEI +353254010123456`,
		`ttyUSB3: answers AT; AT port, not a data port: Huawei's port map \(AT\^GETPORTMODE\) names the interfaces, but this port was named by path`,
		`port map +MDM on interface 0, PCUI on interface 2, DIAG on interface 1`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("output lacks /%s/ (exit %d):\n%s", re, code, out)
		}
	}
}

func TestProbeDongleSkipsDiag(t *testing.T) {
	dev, ptys := simDev(t, "diag-silent", "aux-at", "zte-mf622")
	code, out, stderr := zdial(t, append([]string{"probe", "--json", "--timeout", "3s"}, sysfsArgs(t, fakeSysfs("mf622-modem-option"), dev)...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got []probedPort
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 3 {
		t.Fatalf("not a JSON array of 3: %v\n%s", err, out)
	}
	if got[0].Role != "diag" || got[0].Skipped == "" || got[0].AT {
		t.Errorf("diag port: %+v, want skipped", got[0])
	}
	if got[2].Role != "ppp" || !got[2].DataPort {
		t.Errorf("PPP port: %+v", got[2])
	}
	if r := ptys[0].Sim.Received(); len(r) != 0 {
		t.Errorf("the diag port received %q", r)
	}
}

func TestProbeNothingAnswers(t *testing.T) {
	dev, _ := simDev(t, "diag-silent")
	code, out, _ := zdial(t, "probe", "--timeout", "300ms", filepath.Join(dev, "ttyUSB0"))
	if code != exitPort || !strings.Contains(out, "no AT answer") {
		t.Errorf("exit %d, out %q; want %d", code, out, exitPort)
	}
	code, out, _ = zdial(t, "probe", "--dev", dev, filepath.Join(dev, "ttyUSB7"))
	if code != exitPort || !strings.Contains(out, "ttyUSB7: no such device") {
		t.Errorf("missing port: exit %d, out %q; want %d", code, out, exitPort)
	}
	code, _, stderr := zdial(t, append([]string{"probe"}, sysfsArgs(t, fakeSysfs("mf622-zerocd"), dev)...)...)
	if code != exitPort || !strings.Contains(stderr, "storage mode") || !strings.Contains(stderr, "zdial switch 1-2") {
		t.Errorf("storage-mode dongle: exit %d, %s", code, stderr)
	}
}

// The database and the data-port check disagree on both AT-speaking ports
// of an MF622 whose ttys are swapped: each port gets one verdict, the
// database's, with what the check found. Never "ppp" and "not a data port"
// on one line.
func TestProbeOneVerdictPerPort(t *testing.T) {
	dev, _ := simDev(t, "diag-silent", "zte-mf622", "aux-at")
	code, out, stderr := zdial(t, append([]string{"probe", "--timeout", "2s"}, sysfsArgs(t, fakeSysfs("mf622-modem-option"), dev)...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, re := range []string{
		`ttyUSB1  interface 1: answers AT; AT port, not a data port: the device database names it the at port; it passed the data-port check .*, and the database decides`,
		`ttyUSB2  interface 2: answers AT; data port \(zdial dials here\): the device database names it the PPP port; the data-port check found no online data state \(ATO: ERROR\), and the database decides`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("output lacks /%s/:\n%s", re, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "not a data port") && strings.Contains(l, "data port (zdial dials here)") {
			t.Errorf("two verdicts on one line: %s", l)
		}
	}
}

package modemsim

import (
	"testing"
	"testing/synctest"
)

// step is one command line and the exact reply expected (echo off).
type step struct{ send, want string }

func runSteps(t *testing.T, p Persona, steps []step) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		w, _ := pipeWireP(t, p)
		w.cmd("ATE0", "OK")
		for _, s := range steps {
			w.send(s.send + "\r")
			synctest.Wait()
			got := w.until(lastLine(s.want))
			if got != s.want {
				t.Errorf("%s:\n got %q\nwant %q", s.send, got, s.want)
			}
		}
	})
}

// lastLine is the final "\r\n…\r\n" of a reply, to wait for.
func lastLine(reply string) string {
	for i := len(reply) - 3; i >= 0; i-- {
		if reply[i] == '\r' && reply[i+1] == '\n' {
			return reply[i:]
		}
	}
	return reply
}

func ok(lines ...string) string {
	out := ""
	for _, l := range lines {
		out += "\r\n" + l + "\r\n"
	}
	return out + "\r\nOK\r\n"
}

func fin(s string) string { return "\r\n" + s + "\r\n" }

func TestCommands(t *testing.T) {
	tests := []struct {
		persona string
		steps   []step
	}{
		{"zte-mf622", []step{
			{"ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0", ok()},
			{"ATE0", "ATE0\r" + ok()},
			{"AT", ok()},
			{"ATZ", ok()},
			{"ATE0", "ATE0\r" + ok()},
			{"ATI", ok("Manufacturer: ZTE CORPORATION", "Model: MF622", "Revision: BD_P673A2V1.0.0B09", "IMEI: 353254010123456", "+GCAP: +CGSM,+DS,+ES")},
			{"AT+GCAP", ok("+GCAP: +CGSM,+DS,+ES")},
			{"AT+CGMI", ok("ZTE CORPORATION")},
			{"AT+CGMM;+CGMR", ok("MF622", "BD_P673A2V1.0.0B09")},
			{"AT+CGSN", ok("353254010123456")},
			{"AT+CIMI", ok("234200123456789")},
			{"AT+CCID", ok("+CCID: 8944200012345678901")},
			{"AT^ICCID?", fin("ERROR")},
			{"AT+CPIN?", ok("+CPIN: READY")},
			{"AT+ZPINPUK=?", ok("+ZPINPUK: 3,10")},
			{"AT+CPINR", fin("ERROR")},
			{"AT+CSQ", ok("+CSQ: 17,99")},
			{"AT+CREG?", ok("+CREG: 0,1")},
			{"AT+CREG=2;+CREG?", ok(`+CREG: 2,1,"0D4F","0001A2B3"`)},
			{"AT+CGREG=1;+CGREG?", ok("+CGREG: 1,1")},
			{"AT+CEREG?", fin("ERROR")},
			{"AT+COPS?", ok(`+COPS: 0,0,"3 UK",2`)},
			{"AT+COPS=3,2;+COPS?", ok(`+COPS: 0,2,"23420",2`)},
			{"AT+COPS=0", ok()},
			{"AT+CGATT?", ok("+CGATT: 1")},
			{`AT+CGDCONT=1,"IP","three.co.uk"`, ok()},
			{"AT+CGDCONT?", ok(`+CGDCONT: 1,"IP","three.co.uk","0.0.0.0",0,0`)},
			{`AT+CGDCONT=17,"IP","x"`, fin("ERROR")},
			{`AT+CGDCONT=2,"FOO","x"`, fin("ERROR")},
			{"AT+CGDCONT=?", ok(`+CGDCONT: (1-16),"IP",,,(0-2),(0-4)`, `+CGDCONT: (1-16),"IPV6",,,(0-2),(0-4)`, `+CGDCONT: (1-16),"IPV4V6",,,(0-2),(0-4)`)},
			{"AT+ZCDRUN=8", ok()},
			{"AT+NOSUCH", fin("ERROR")},
			{"AT+CMEE=1;+NOSUCH", fin("ERROR")},
			{"ATS0?", ok("000")},
			{"ATS7=60;S7?", ok("060")},
			{"AT+CMEE?", ok("+CMEE: 1")},
			{"ATH", ok()},
			{"ATV0", "0\r"},
			{"AT+CSQ", "+CSQ: 17,99\r\n0\r"},
			{"AT+NOSUCH", "4\r"},
			{"ATV1", ok()},
			{"AT", ok()},
		}},
		{"huawei-e1750", []step{
			{"AT^CURC=0", ok()},
			{"AT^CPIN?", ok("^CPIN: READY,,10,3,10,3")},
			{"AT^ICCID?", ok("^ICCID: 984402008967452301F9")},
			{"AT^U2DIAG=0;^U2DIAG?", ok("^U2DIAG: 0")},
			{"AT^GETPORTMODE", ok("^GETPORTMODE: TYPE: WCDMA: huawei,MDM:0,DIAG:1,PCUI:2")},
			{"AT+ZPINPUK=?", fin("ERROR")},
			{"AT+CPINR", fin("ERROR")},
			{"AT+CREG=2;+CREG?", ok(`+CREG: 2,1,"0D4F","0001A2B3"`)},
		}},
		{"huawei-e3131", []step{
			{"AT^CURC=0", ok()},
			{"AT+CPINR", ok("+CPINR: SIM PIN,3,3", "+CPINR: SIM PUK,10,10", "+CPINR: SIM PIN2,3,3", "+CPINR: SIM PUK2,10,10")},
			{`AT+CPINR="SIM PIN"`, ok("+CPINR: SIM PIN,3,3")},
			{`AT+CPINR="SIM PU*"`, ok("+CPINR: SIM PUK,10,10", "+CPINR: SIM PUK2,10,10")},
			{"AT+CREG=2;+CREG?", ok(`+CREG: 2,1,"0D4F","0001A2B3",6`)},
			{"AT+COPS?", ok(`+COPS: 0,0,"3 UK",6`)},
		}},
		{"no-sim", []step{
			{"AT+CPIN?", fin("ERROR")},
			{"AT+CMEE=1;+CPIN?", fin("+CME ERROR: 10")},
			{"AT+CMEE=2;+CPIN?", fin("+CME ERROR: SIM not inserted")},
			{"AT+CIMI", fin("+CME ERROR: SIM not inserted")},
			{"AT+CREG?", ok("+CREG: 0,0")},
			{"AT+COPS?", ok("+COPS: 0")},
			{"ATD*99#", fin("NO CARRIER")},
		}},
		{"aux-at", []step{
			{"AT", ok()},
			{"ATD*99#", fin("ERROR")},
		}},
		{"denied", []step{
			{"AT+CREG?", ok("+CREG: 0,2")},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.persona, func(t *testing.T) {
			runSteps(t, mustBuiltin(t, tt.persona), tt.steps)
		})
	}
}

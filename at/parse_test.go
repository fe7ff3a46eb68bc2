package at

import (
	"errors"
	"testing"
)

func TestParseSIMState(t *testing.T) {
	blocks := loadResponses(t)
	for _, tc := range []struct {
		key  string
		want SIMState
	}{
		{"zte-mf622 cpin", SIMReady},
		{"zte-mf622 cpin-pin", SIMPIN},
		{"telit-le910 cpin-ph-sim", SIMPHSIMPIN},
		{"3gpp-27007 cpin-puk2", SIMPUK2},
		{"generic cpin-nospace", SIMReady},
	} {
		got, err := ParseSIMState(response(t, blocks, tc.key))
		if err != nil || got != tc.want {
			t.Errorf("[%s]: got %q, %v; want %q", tc.key, got, err, tc.want)
		}
	}
	if !SIMPUK2.Ready() || SIMPIN.Ready() || !SIMPIN.NeedsPIN() || !SIMPUK.NeedsPUK() {
		t.Error("SIMState predicates disagree with 27.007")
	}
	if _, err := ParseSIMState([]string{"+CSQ: 1,2"}); !errors.As(err, new(*ProtocolError)) {
		t.Errorf("non-CPIN reply: got %v, want *ProtocolError", err)
	}
}

func TestParsePINCounts(t *testing.T) {
	blocks := loadResponses(t)
	for _, tc := range []struct {
		key  string
		want PINCounts
	}{
		{"zte-mf622 zpinpuk", PINCounts{PIN: 3, PUK: 10, PIN2: -1, PUK2: -1}},
		{"huawei-e1750 cpin-ready", PINCounts{PIN: 3, PUK: 10, PIN2: 3, PUK2: 10}},
		{"huawei-e1750 cpin-pin", PINCounts{PIN: 3, PUK: 10, PIN2: 3, PUK2: 10}},
		{"huawei-e1750 cpin-puk", PINCounts{PIN: 0, PUK: 10, PIN2: 3, PUK2: 10}},
		{"sierra-mc7710 cpinc", PINCounts{PIN: 3, PIN2: 3, PUK: 10, PUK2: 10}},
		{"option-gt-max oercn", PINCounts{PIN: 3, PUK: 10, PIN2: -1, PUK2: -1}},
		{"quectel-ec25 qpinc", PINCounts{PIN: 3, PUK: 10, PIN2: 3, PUK2: 10}},
		{"quectel-ec25 cpinr", PINCounts{PIN: 3, PUK: 10, PIN2: 3, PUK2: 10}},
	} {
		got, err := ParsePINCounts(response(t, blocks, tc.key))
		if err != nil || got != tc.want {
			t.Errorf("[%s]: got %+v, %v; want %+v", tc.key, got, err, tc.want)
		}
	}
	if _, err := ParsePINCounts([]string{"+CPIN: READY"}); err == nil {
		t.Error("a +CPIN line parsed as PIN counts")
	}
}

func TestParseSignal(t *testing.T) {
	blocks := loadResponses(t)
	for _, tc := range []struct {
		key  string
		want Signal
	}{
		{"zte-mf622 csq", Signal{RSSI: 14, BER: 99, DBm: -85, Known: true}},
		{"quectel-ec25 csq", Signal{RSSI: 24, BER: 99, DBm: -65, Known: true}},
		{"huawei-e1750 csq-none", Signal{RSSI: 99, BER: 99}},
		{"huawei-e3131 rssi-urc", Signal{RSSI: 17, BER: 99, DBm: -79, Known: true}},
	} {
		got, err := ParseSignal(response(t, blocks, tc.key))
		if err != nil || got != tc.want {
			t.Errorf("[%s]: got %+v, %v; want %+v", tc.key, got, err, tc.want)
		}
	}
	for rssi, dbm := range map[int]int{0: -113, 1: -111, 31: -51, 100: -116, 191: -25} {
		if s := SignalFromRSSI(rssi, 0); !s.Known || s.DBm != dbm {
			t.Errorf("rssi %d: got %+v, want %d dBm", rssi, s, dbm)
		}
	}
	for _, rssi := range []int{32, 99, 192, -1} {
		if s := SignalFromRSSI(rssi, 0); s.Known || s.Percent() != -1 {
			t.Errorf("rssi %d: got %+v, want unknown", rssi, s)
		}
	}
}

func TestParseRegistration(t *testing.T) {
	blocks := loadResponses(t)
	for _, tc := range []struct {
		key  string
		want Registration
	}{
		{"zte-mf622 creg", Registration{Cmd: "+CREG", N: 0, Stat: RegHome, AcT: AcTUnknown}},
		{"zte-mf622 cgreg-2", Registration{Cmd: "+CGREG", N: 2, Stat: RegHome, LAC: 0x0B5C, CI: 0xD13E, HasLoc: true, AcT: AcTUnknown}},
		{"huawei-e1750 creg-2-act", Registration{Cmd: "+CREG", N: 2, Stat: RegHome, LAC: 0x0B5C, CI: 0x01A2D13E, HasLoc: true, AcT: 2}},
		{"huawei-e1550 creg-2-unquoted", Registration{Cmd: "+CREG", N: 2, Stat: RegHome, LAC: 0x0B5C, CI: 0x01A2D13E, HasLoc: true, AcT: AcTUnknown}},
		{"huawei-e1750 creg-urc", Registration{Cmd: "+CREG", N: -1, Stat: RegHome, LAC: 0x0B5C, CI: 0x01A2D13E, HasLoc: true, AcT: AcTUnknown}},
		{"huawei-e1750 creg-urc-stat", Registration{Cmd: "+CREG", N: -1, Stat: RegSearching, AcT: AcTUnknown}},
		{"huawei-e3131 cgreg-rac", Registration{Cmd: "+CGREG", N: 2, Stat: RegHome, LAC: 0x0B5C, CI: 0x01A2D13E, HasLoc: true, AcT: 6}},
		{"huawei-e3372 cereg", Registration{Cmd: "+CEREG", N: 2, Stat: RegHome, LAC: 0x2B7D, CI: 0x0A5BC10, HasLoc: true, AcT: 7}},
		{"quectel-ec25 cereg", Registration{Cmd: "+CEREG", N: 2, Stat: RegHome, LAC: 0x1A2B, CI: 0x0A1B2C3D, HasLoc: true, AcT: 7}},
		{"quectel-ec25 cereg-urc", Registration{Cmd: "+CEREG", N: -1, Stat: RegHome, LAC: 0x1A2B, CI: 0x0A1B2C3D, HasLoc: true, AcT: 7}},
		{"telit-le910 creg-denied", Registration{Cmd: "+CREG", N: 0, Stat: RegDenied, AcT: AcTUnknown}},
		{"3gpp-27007 creg-2-act", Registration{Cmd: "+CREG", N: 2, Stat: RegHome, LAC: 0xC3, CI: 0xC4E2, HasLoc: true, AcT: 2}},
	} {
		got, err := ParseRegistration(response(t, blocks, tc.key))
		if err != nil || got != tc.want {
			t.Errorf("[%s]: got %+v, %v; want %+v", tc.key, got, err, tc.want)
		}
	}
	for _, bad := range []string{"+CREG: x", `+CREG: 1,"ZZZZ","1"`, "+CSQ: 1,2", "+CREG: 2,1,\"00C3\",\"0000C4E2\",x"} {
		if r, err := ParseRegistration([]string{bad}); err == nil {
			t.Errorf("%q parsed as %+v", bad, r)
		}
	}
	names := map[AcT]string{0: "GSM", 1: "GSM Compact", 2: "UTRAN", 3: "EDGE", 4: "HSDPA", 5: "HSUPA", 6: "HSPA", 7: "E-UTRAN", AcTUnknown: "unknown"}
	for a, want := range names {
		if a.String() != want {
			t.Errorf("AcT(%d) = %q, want %q", a, a, want)
		}
	}
	if !RegRoaming.Registered() || !RegRoaming.Roaming() || RegSearching.Registered() || RegDenied.String() != "registration denied" {
		t.Error("RegStat predicates disagree with 27.007")
	}
}

func TestParseOperator(t *testing.T) {
	blocks := loadResponses(t)
	for _, tc := range []struct {
		key  string
		want Operator
	}{
		{"zte-mf622 cops", Operator{Mode: 0, Format: 0, Name: "vodafone UK", AcT: 2}},
		{"huawei-e1750 cops", Operator{Mode: 0, Format: 0, Name: "3 UK", AcT: 2}},
		{"huawei-e3131 cops-numeric", Operator{Mode: 0, Format: 2, Name: "23420", AcT: 2}},
		{"sierra-mc7710 cops-lte", Operator{Mode: 0, Format: 0, Name: "Telstra Mobile", AcT: 7}},
		{"option-icon225 cops-short", Operator{Mode: 1, Format: 1, Name: "voda UK", AcT: 2}},
		{"quectel-ec25 cops", Operator{Mode: 0, Format: 0, Name: "CHINA MOBILE", AcT: 7}},
		{"quectel-ec25 cops-deregistered", Operator{Mode: 0, Format: -1, AcT: AcTUnknown}},
	} {
		got, err := ParseOperator(response(t, blocks, tc.key))
		if err != nil || got != tc.want {
			t.Errorf("[%s]: got %+v, %v; want %+v", tc.key, got, err, tc.want)
		}
	}
	o, _ := ParseOperator(response(t, blocks, "huawei-e3131 cops-numeric"))
	if mcc, mnc, ok := o.Numeric(); !ok || mcc != "234" || mnc != "20" {
		t.Errorf("Numeric() = %q %q %v", mcc, mnc, ok)
	}
	if _, err := ParseOperator([]string{`+COPS: (2,"vodafone UK","voda UK","23415",2),,(0-4),(0-2)`}); err == nil {
		t.Error("the +COPS=? scan list parsed as +COPS?")
	}
}

func TestParseIdentity(t *testing.T) {
	blocks := loadResponses(t)
	for _, tc := range []struct {
		cmd, key, want string
	}{
		{"+CGMI", "zte-mf622 cgmi", "ZTE INCORPORATED"},
		{"+CGMM", "zte-mf622 cgmm", "MF622"},
		{"+CGMR", "zte-mf622 cgmr", "BD_MF622V1.0.0B04"},
		{"+CGSN", "zte-mf622 cgsn", "354859020123456"},
		{"+CIMI", "zte-mf622 cimi", "234159876543210"},
		{"+CGMI", "huawei-e1750 cgmi", "huawei"},
		{"+CGMR", "huawei-e1750 cgmr", "11.126.16.00.00"},
		{"+CGMR", "sierra-mc7710 cgmr", "SWI9200X_03.05.29.03ap r6485 CNSHZ-ED-XP0031 2014/12/02 17:53:15"},
		{"+CGMI", "sierra-mc8775 cgmi", "Sierra Wireless, Incorporated"},
		{"+CGMI", "quectel-ec25 cgmi", "Quectel"},
		{"+CGSN", "quectel-ec25 cgsn", "866758042123456"},
		{"+CGMI", "telit-he910 cgmi", "Telit"},
		{"+CGMM", "telit-he910 cgmm", "HE910"},
		{"+CGSN", "telit-le910 cgsn", "356938035643809"},
	} {
		got, err := ParseIdentLine(tc.cmd, response(t, blocks, tc.key))
		if err != nil || got != tc.want {
			t.Errorf("[%s] %s: got %q, %v; want %q", tc.key, tc.cmd, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ key, want string }{
		{"zte-mf622 crsm-iccid", "89440100030000204331"},
		{"zte-mf627 zgeticcid", "89441000300000003214"},
		{"huawei-e3131 iccid", "89441000300000023413"},
		{"sierra-mc7710 iccid", "89314404000095839387"},
		{"quectel-ec25 qccid", "8944303382658215567"},
		{"telit-he910 ccid", "89390100001234567890"},
		{"generic ccid-plain", "89860018190839008096"},
	} {
		got, err := ParseICCID(response(t, blocks, tc.key))
		if err != nil || got != tc.want {
			t.Errorf("[%s]: got %q, %v; want %q", tc.key, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		key  string
		want Identity
	}{
		{"huawei-e1750 ati", Identity{Manufacturer: "huawei", Model: "E1750", Revision: "11.126.16.00.00", IMEI: "353142030123456"}},
		{"sierra-mc7710 ati", Identity{Manufacturer: "Sierra Wireless, Incorporated", Model: "MC7710",
			Revision: "SWI9200X_03.05.29.03ap r6485 CNSHZ-ED-XP0031 2014/12/02 17:53:15", IMEI: "012773002115420"}},
		{"option-gt-max ati", Identity{Manufacturer: "Option N.V.", Model: "GlobeTrotter HSDPA Modem",
			Revision: "2.12.0.0Hd (Date: Jun 26 2007, Time: 11:43:33)"}},
		{"quectel-ec25 ati", Identity{Manufacturer: "Quectel", Model: "EC25", Revision: "EC25EFAR06A06M4G"}},
	} {
		if got := ParseATI(response(t, blocks, tc.key)); got != tc.want {
			t.Errorf("[%s]: got %+v, want %+v", tc.key, got, tc.want)
		}
	}
}

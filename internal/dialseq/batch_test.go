package dialseq

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
)

// maxExchanges is the promise for a SIM that is ready and a modem
// that is registered: command lines from the first ATZ to ATD included.
// A change that adds a round trip to the default dial fails here.
const maxExchanges = 5

// The default dial's exchanges on a ready, registered modem, pinned line
// by line: the wake's ATZ, the init line that also asks the SIM, one poll
// line (registration, signal, operator), the APN, the dial.
func TestDialExchangeCount(t *testing.T) {
	for _, tc := range []struct {
		name    string
		persona string
		lte     bool
		want    []string
	}{
		{"3G stick, first dial", "zte-mf622", false, []string{
			"ATZ",
			"ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0;+CMEE=1;+CPIN?",
			"AT+CGREG?;+CREG?;+CSQ;+COPS?;+CEREG?", // ERROR after four answers: +CEREG's, learnt
			`AT+CGDCONT=1,"IP","three.co.uk"`,
			"ATD*99#",
		}},
		{"LTE stick", "zte-mf622", true, []string{
			"ATZ",
			"ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0;+CMEE=1;+CPIN?",
			"AT+CGREG?;+CREG?;+CSQ;+COPS?;+CEREG?",
			`AT+CGDCONT=1,"IP","three.co.uk"`,
			"ATD*99#",
		}},
		{"Huawei", "huawei-e1750", false, nil},
		{"Huawei LTE", "huawei-e3131", false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := dialPersona(t, tc.persona)
				if tc.lte {
					p.Network.CEREG, p.Network.Act = true, 7
				}
				o := simDial(t, p, Params{APN: "three.co.uk"}, nil)
				if o.err != nil {
					t.Fatalf("Dial: %v\n%s", o.err, o.trace)
				}
				if len(o.received) > maxExchanges {
					t.Errorf("%d exchanges, want at most %d: %q", len(o.received), maxExchanges, o.received)
				}
				if tc.want != nil && !slices.Equal(o.received, tc.want) {
					t.Errorf("modem received\n%q\nwant\n%q", o.received, tc.want)
				}
				if o.res.Operator != "3 UK" || o.res.SignalDBm == 0 {
					t.Errorf("result %+v: the batched poll lost the operator or the signal", o.res)
				}
			})
		})
	}
}

// A modem that refuses ';' lines: the dial falls back to one command per
// line, keeps every check, and the state dir remembers it, so the second
// dial on the same modem sends no batch at all.
func TestDialNoConcatFallbackAndLearning(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		state := t.TempDir()
		p := dialPersona(t, "no-concat")
		params := Params{APN: "three.co.uk", StateDir: state, ModemID: "19d2-0001-TEST"}

		first := simDial(t, p, params, nil)
		if first.err != nil {
			t.Fatalf("first dial: %v\n%s", first.err, first.trace)
		}
		if first.res.Operator != "3 UK" || first.res.SignalDBm != -79 || first.res.Rate != "7200000" {
			t.Errorf("first dial result %+v", first.res)
		}
		batches := func(rx []string) int {
			n := 0
			for _, l := range rx {
				if strings.Contains(l, ";") {
					n++
				}
			}
			return n
		}
		if n := batches(first.received); n != 1 {
			t.Errorf("first dial sent %d batches, want 1 (refused, then never again): %q", n, first.received)
		}
		for _, want := range []string{DefaultInit, "AT+CMEE=1", "AT+CPIN?", "AT+CGREG?", "AT+CREG?", "AT+CSQ", "AT+COPS?"} {
			if !slices.Contains(first.received, want) {
				t.Errorf("fallback did not send %q alone: %q", want, first.received)
			}
		}

		b, err := os.ReadFile(filepath.Join(state, "modems", "19d2-0001-TEST.json"))
		if err != nil {
			t.Fatalf("nothing remembered: %v", err)
		}
		var q modemQuirks
		if err := json.Unmarshal(b, &q); err != nil || !q.NoConcat || !slices.Equal(q.Unsupported, []string{"+CEREG"}) {
			t.Errorf("remembered %s (%v); want no_concat and +CEREG unsupported", b, err)
		}

		second := simDial(t, p, params, nil)
		if second.err != nil {
			t.Fatalf("second dial: %v", second.err)
		}
		if n := batches(second.received); n != 0 {
			t.Errorf("second dial sent %d batches to a modem known to refuse them: %q", n, second.received)
		}
		if slices.Contains(second.received, "AT+CEREG?") {
			t.Errorf("second dial asked +CEREG? again: %q", second.received)
		}
		if second.res != first.res {
			t.Errorf("second dial result %+v, first %+v", second.res, first.res)
		}

		// Another modem (another id) learns for itself.
		params.ModemID = "19d2-0001-OTHER"
		if other := simDial(t, dialPersona(t, "zte-mf622"), params, nil); other.err != nil || batches(other.received) != 2 {
			t.Errorf("another modem: err %v, received %q; want its own batches", other.err, other.received)
		}
	})
}

// Without a state dir (or a modem id) the refusal is learnt for the run:
// one refused batch, not one per poll.
func TestDialNoConcatWithinRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := dialPersona(t, "no-concat")
		p.Network.RegisterAfter = 5e9 // five polls
		o := simDial(t, p, Params{APN: "three.co.uk"}, nil)
		if o.err != nil {
			t.Fatalf("Dial: %v", o.err)
		}
		n := 0
		for _, l := range o.received {
			if strings.Contains(l, ";") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d batches sent, want 1: %q", n, o.received)
		}
	})
}

// A 3G stick's ERROR to +CEREG? is learnt and remembered: the next dial's
// poll line leaves it out.
func TestDialLearnsMissingCEREG(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		params := Params{APN: "three.co.uk", StateDir: t.TempDir(), ModemID: "19d2-0001-X"}
		p := dialPersona(t, "zte-mf622")
		if o := simDial(t, p, params, nil); o.err != nil {
			t.Fatal(o.err)
		}
		o := simDial(t, p, params, nil)
		if o.err != nil {
			t.Fatal(o.err)
		}
		if !slices.Contains(o.received, "AT+CGREG?;+CREG?;+CSQ;+COPS?") {
			t.Errorf("second dial's poll line is not the one without +CEREG?: %q", o.received)
		}
	})
}

// A modem id that could leave the state dir is a configuration error.
func TestParamsModemID(t *testing.T) {
	for _, id := range []string{"../x", ".hidden", "a/b", "a b"} {
		if err := (Params{ModemID: id}).Validate(); err == nil {
			t.Errorf("modem id %q accepted", id)
		}
	}
	if err := (Params{ModemID: "19d2-0001-P671A2TMED010000"}).Validate(); err != nil {
		t.Errorf("a USB identity refused: %v", err)
	}
}

// A record that says the modem lacks every registration query is not
// believed: the dial asks them all.
func TestDialIgnoresImpossibleRecord(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		state := t.TempDir()
		params := Params{APN: "three.co.uk", StateDir: state, ModemID: "m"}
		if err := newQuirkStore(state, "m").store(modemQuirks{Unsupported: []string{"+CEREG", "+CGREG", "+CREG"}}); err != nil {
			t.Fatal(err)
		}
		o := simDial(t, dialPersona(t, "zte-mf622"), params, nil)
		if o.err != nil || !slices.Contains(o.received, "AT+CGREG?;+CREG?;+CSQ;+COPS?;+CEREG?") {
			t.Errorf("err %v, received %q; want the full poll line", o.err, o.received)
		}
	})
}

// A carrier the SIM must settle (FromSIM) costs no exchange of its own:
// +CIMI rides on the first registration poll, before a trailing +CEREG?,
// and FromSIM gets the IMSI before the APN is set.
func TestDialFromSIMCostsNoExchange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := dialPersona(t, "zte-mf622")
		var got string
		params := Params{FromSIM: func(imsi string) (Bearer, error) {
			got = imsi
			return Bearer{APN: "three.co.uk"}, nil
		}}
		o := simDial(t, p, params, nil)
		if o.err != nil {
			t.Fatalf("Dial: %v\n%s", o.err, o.trace)
		}
		want := []string{
			"ATZ",
			"ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0;+CMEE=1;+CPIN?",
			"AT+CGREG?;+CREG?;+CSQ;+COPS?;+CIMI;+CEREG?",
			`AT+CGDCONT=1,"IP","three.co.uk"`,
			"ATD*99#",
		}
		if !slices.Equal(o.received, want) {
			t.Errorf("modem received\n%q\nwant\n%q", o.received, want)
		}
		if !isIMSI(got) {
			t.Errorf("FromSIM got %q, want the SIM's IMSI", got)
		}
	})
}

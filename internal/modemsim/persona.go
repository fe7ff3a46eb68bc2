package modemsim

import "time"

// Persona describes one simulated modem: what it says about itself, its
// SIM, the network it finds, how a dial ends, what it says unprompted and
// which faults it has. Personas are plain data, written as YAML (see doc.go
// for the schema) and loaded with [Builtin] or [ParsePersona]; a test may
// change a copy before passing it to [New].
type Persona struct {
	Name        string `yaml:"name"`
	Inherit     string `yaml:"inherit"` // builtin persona this one starts from
	Description string `yaml:"description"`
	Vendor      Vendor `yaml:"vendor"` // enables that vendor's AT extensions

	Identity Identity `yaml:"identity"`

	Echo      bool          `yaml:"echo"`       // echo at power-on (ATE1)
	CMEE      int           `yaml:"cmee"`       // +CMEE mode at power-on
	CPINR     bool          `yaml:"cpinr"`      // answers AT+CPINR (3GPP Rel-8)
	Latency   time.Duration `yaml:"latency"`    // delay before each reply
	GuardTime time.Duration `yaml:"guard_time"` // +++ escape guard time
	// NoConcat makes the modem answer ERROR to any command line with ';'
	// between commands, running none of them, as some old firmware does.
	NoConcat bool `yaml:"no_concat"`

	SIM     SIM     `yaml:"sim"`
	Network Network `yaml:"network"`
	Dial    Dial    `yaml:"dial"`

	URCs       []URC        `yaml:"urcs"`       // unsolicited lines on a schedule
	Interleave []Interleave `yaml:"interleave"` // URCs inside a response
	Replies    []Reply      `yaml:"replies"`    // canned answers, checked first
	Faults     Faults       `yaml:"faults"`
}

// Identity is what +CGMI, +CGMM, +CGMR, +CGSN, +CIMI, +CCID, +GCAP and ATI report.
type Identity struct {
	Manufacturer string   `yaml:"manufacturer"`
	Model        string   `yaml:"model"`
	Revision     string   `yaml:"revision"`
	IMEI         string   `yaml:"imei"`
	IMSI         string   `yaml:"imsi"`
	ICCID        string   `yaml:"iccid"`
	GCAP         string   `yaml:"gcap"` // e.g. "+CGSM,+DS,+ES"
	ATI          []string `yaml:"ati"`  // ATI lines; built from the fields above when empty
}

// SIM is the card's state at power-on and its secrets.
type SIM struct {
	State       SIMState `yaml:"state"`
	PIN         string   `yaml:"pin"`
	PUK         string   `yaml:"puk"`
	PINAttempts int      `yaml:"pin_attempts"` // remaining at power-on (max 3)
	PUKAttempts int      `yaml:"puk_attempts"` // remaining at power-on (max 10)
	// BusyAfterUnlock makes SIM commands answer +CME ERROR: 14 (SIM busy)
	// for this long after a PIN or PUK is accepted.
	BusyAfterUnlock time.Duration `yaml:"busy_after_unlock"`
}

// Network is the registration the modem reaches and what it reports.
type Network struct {
	// RegisterAfter is the time from "SIM ready" (power-on for an unlocked
	// SIM) until Stat is reached; before that the modem is searching (2).
	RegisterAfter time.Duration `yaml:"register_after"`
	Stat          RegStat       `yaml:"stat"`
	LAC           string        `yaml:"lac"` // hex, as +CREG reports it
	CI            string        `yaml:"ci"`
	Act           AcT           `yaml:"act"`
	ReportAct     bool          `yaml:"report_act"` // +CREG: 2 answers carry <AcT>
	CEREG         bool          `yaml:"cereg"`      // answers +CEREG (LTE-capable)
	Operator      string        `yaml:"operator"`   // long alphanumeric name
	Numeric       string        `yaml:"numeric"`    // MCC+MNC
	RSSI          int           `yaml:"rssi"`       // +CSQ <rssi> 0..31, 99
	BER           int           `yaml:"ber"`
}

// Dial is how ATD ends.
type Dial struct {
	Result Result        `yaml:"result"` // CONNECT, NO CARRIER, BUSY, ERROR, NO DIALTONE, NO ANSWER
	Rate   string        `yaml:"rate"`   // after CONNECT; empty: bare CONNECT
	Delay  time.Duration `yaml:"delay"`  // from ATD to the result
}

// URC is an unsolicited line sent After the start and then Every interval,
// Count times (0: once without Every, forever with it). Lines are held back
// in data mode and while the modem is silent.
type URC struct {
	Line  string        `yaml:"line"`
	After time.Duration `yaml:"after"`
	Every time.Duration `yaml:"every"`
	Count int           `yaml:"count"`
}

// Interleave puts Line inside the response to a command containing Command,
// after AfterLines information lines (0: after all of them, just before the
// final result). It models a URC racing a response, which real modems do.
type Interleave struct {
	Command    string `yaml:"command"`
	Line       string `yaml:"line"`
	AfterLines int    `yaml:"after_lines"`
}

// Reply is a canned answer: a command starting with Command (after "AT",
// case-insensitive, e.g. "^GETPORTMODE" or "+CGDCONT=") gets Lines and then
// Result (OK when empty) or, when CME is set, a +CME ERROR shaped by +CMEE.
type Reply struct {
	Command string   `yaml:"command"`
	Lines   []string `yaml:"lines"`
	Result  Result   `yaml:"result"`
	CME     int      `yaml:"cme"`
}

// Faults are misbehaviours, set in YAML or at run time with [Sim.SetFaults].
type Faults struct {
	Silent      bool          `yaml:"silent"`       // never answer (no echo, no URCs)
	SilentAfter int           `yaml:"silent_after"` // answer this many lines, then go silent
	Garbage     string        `yaml:"garbage"`      // written before every reply; runes ≤ U+00FF are bytes
	NoiseInside string        `yaml:"noise_inside"` // written in the middle of every line of a reply, likewise
	NoiseAfter  string        `yaml:"noise_after"`  // written after every reply, likewise
	EchoNoise   string        `yaml:"echo_noise"`   // put into the echo of every command line, before its CR, likewise
	ByteByByte  bool          `yaml:"byte_by_byte"` // every reply byte is its own Write
	ByteDelay   time.Duration `yaml:"byte_delay"`   // pause between those writes
	VanishOn    string        `yaml:"vanish_on"`    // a line containing this: echo it, then vanish
}

// defaults is the persona every other starts from.
func defaults() Persona {
	return Persona{
		Vendor:    VendorGeneric,
		Echo:      true,
		GuardTime: 200 * time.Millisecond,
		Identity: Identity{
			Manufacturer: "GENERIC", Model: "MODEM", Revision: "1.0",
			IMEI: "350000000000001", IMSI: "234200000000001", ICCID: "8944200000000000001",
			GCAP: "+CGSM,+DS,+ES",
		},
		SIM: SIM{State: SIMReady, PIN: "1234", PUK: "12345678", PINAttempts: 3, PUKAttempts: 10},
		Network: Network{
			Stat: RegHome, LAC: "1A2B", CI: "00C0FFEE", Act: 2,
			Operator: "3 UK", Numeric: "23420", RSSI: 17, BER: 99,
		},
		Dial: Dial{Result: ResultConnect, Rate: "7200000"},
	}
}

// clone returns p with its own copies of every slice.
func (p Persona) clone() Persona {
	p.Identity.ATI = append([]string(nil), p.Identity.ATI...)
	p.URCs = append([]URC(nil), p.URCs...)
	p.Interleave = append([]Interleave(nil), p.Interleave...)
	rs := make([]Reply, len(p.Replies))
	for i, r := range p.Replies {
		r.Lines = append([]string(nil), r.Lines...)
		rs[i] = r
	}
	p.Replies = rs
	return p
}

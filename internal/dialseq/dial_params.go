package dialseq

import (
	"fmt"
	"github.com/zdial/zdial/internal/printable"
	"strconv"
	"strings"
	"time"
)

// DefaultInit is the init string a profile gets unless it names its own —
// wvdial's, which every modem since the 1990s accepts: numeric result codes
// off (verbose words on), echo on, no auto-answer, DCD follows the carrier,
// DTR drop hangs up, data (not fax) mode.
const DefaultInit = "ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0"

// PDP types for Params.PDPType.
const (
	PDPIP     = "IP"
	PDPIPv6   = "IPV6"
	PDPIPv4v6 = "IPV4V6"
)

// Params is what a profile says about dialing. The zero value plus an
// APN dials the usual way; every field has a documented default.
type Params struct {
	// Init strings sent after ATZ, one command line each ("AT" prefix
	// optional). nil means [DefaultInit]; an empty non-nil slice sends none.
	Init []string

	// PIN unlocks the SIM if it asks for one. A secret: never logged, never
	// in an error, masked as **** in the at trace. Empty: a SIM that asks
	// stops the script with ErrPINRequired.
	PIN string
	// TrustUnknownPINAttempts lets the PIN be sent when the modem will not
	// say how many attempts are left. Off by default: the attempt might be
	// the last before PUK, and a cron job would then spend it.
	TrustUnknownPINAttempts bool
	// StateDir holds the record of PINs each SIM has rejected (see
	// pinstate.go); the CLI passes /var/lib/zdial or ~/.local/state/zdial.
	// Empty: no memory — a rejected PIN is still sent only once per run,
	// but a later run could send it again. Callers should set it.
	StateDir string

	// ModemID names the modem for what the dial learns about it (it
	// refuses several commands on one line; it lacks +CEREG): remembered
	// in StateDir/modems/<ModemID>.json, so the next dial does not spend
	// round trips finding out again. Letters, digits, '.', '_' and '-';
	// the dialer passes the USB identity ("19d2-0001-<serial>"). Empty:
	// remembered for the run only.
	ModemID string

	// CID is the PDP context id for +CGDCONT and the dial string; 0 means 1.
	CID int
	// PDPType is IP, IPV6 or IPV4V6; empty means IP.
	PDPType string
	// APN for +CGDCONT. Empty: the APN step is skipped and the modem's
	// stored context (or the network's default) is used.
	APN string
	// Number is dialed with ATD. Empty: "*99#" when CID is 1 — the classic
	// GPRS dial string, which uses the modem's default context, cid 1 on
	// every modem we know — and "*99***<cid>#" for any other CID, because
	// "*99#" would silently use cid 1 instead of the configured context.
	Number string

	// FromSIM, if set, is called once the SIM is ready with its IMSI
	// (AT+CIMI; "" when the modem will not give it); the Bearer it returns replaces APN, PDP type and number
	// for the rest of the dial. An error stops the dial at the sim stage.
	// Number's default was applied before, so a Bearer that changes neither
	// Number nor CID keeps the dial string.
	FromSIM func(imsi string) (Bearer, error)

	// Deadlines per stage; zero means the default in brackets.
	WakeTimeout     time.Duration // AT until OK [10 s]
	CommandTimeout  time.Duration // any one command but ATD [10 s]
	SIMTimeout      time.Duration // SIM busy → ready, after power-up or unlocking [20 s]
	RegisterTimeout time.Duration // until home or roaming [60 s]
	DialTimeout     time.Duration // ATD until CONNECT or a failure [60 s]
	PollInterval    time.Duration // between registration / SIM polls [1 s]

	// Progress, if set, is called synchronously from Dial as stages
	// complete and as registration details become known. It must not block
	// for long; the CLI prints one line per event.
	Progress func(Event)
}

// Defaults for Params.
const (
	DefaultWakeTimeout     = 10 * time.Second
	DefaultCommandTimeout  = 10 * time.Second
	DefaultSIMTimeout      = 20 * time.Second
	DefaultRegisterTimeout = 60 * time.Second
	DefaultDialTimeout     = 60 * time.Second
	DefaultPollInterval    = time.Second
)

// Validate reports a value that cannot be sent to a modem (a PDP type other
// than IP, IPV6 or IPV4V6, a CID out of range, a quote in the APN…), so a
// profile can be rejected as a configuration error before any port is
// opened. Dial validates too. The PIN is never part of the error text.
func (p Params) Validate() error {
	_, err := p.WithDefaults()
	return err
}

// WithDefaults returns p with every zero field replaced by its default, or
// an error for a value that cannot be sent to a modem: the number, cid and
// PDP type a profile's own chat script is given, and what Dial uses.
func (p Params) WithDefaults() (Params, error) {
	if p.Init == nil {
		p.Init = []string{DefaultInit}
	}
	if p.ModemID != "" && !validModemID(p.ModemID) {
		return p, fmt.Errorf("dialseq: modem id %q: want letters, digits, '.', '_' and '-'", p.ModemID)
	}
	if p.CID == 0 {
		p.CID = 1
	}
	if p.CID < 0 || p.CID > 255 {
		return p, fmt.Errorf("dialseq: cid %d out of range 1–255", p.CID)
	}
	p.PDPType = strings.ToUpper(p.PDPType)
	switch p.PDPType {
	case "":
		p.PDPType = PDPIP
	case PDPIP, PDPIPv6, PDPIPv4v6:
	default:
		return p, fmt.Errorf("dialseq: pdp type %q: want IP, IPV6 or IPV4V6", p.PDPType)
	}
	// Only printable ASCII goes on the wire: a modem that applies V.250
	// line editing would let a backspace, ESC or Ctrl-Z in a value edit
	// the command it runs. Errors name the byte's position, never the
	// value (the PIN is one of them).
	if err := printable.Wire(p.APN); err != nil {
		return p, fmt.Errorf("dialseq: apn: %w", err)
	}
	if strings.ContainsRune(p.APN, '"') {
		return p, fmt.Errorf("dialseq: apn %q holds a quote", p.APN)
	}
	for i, s := range p.Init {
		if err := printable.Wire(s); err != nil {
			return p, fmt.Errorf("dialseq: init string %d: %w", i+1, err)
		}
	}
	if p.Number == "" {
		p.Number = "*99#"
		if p.CID != 1 {
			p.Number = "*99***" + strconv.Itoa(p.CID) + "#"
		}
	}
	if err := printable.Wire(p.Number); err != nil {
		return p, fmt.Errorf("dialseq: number: %w", err)
	}
	if strings.ContainsRune(p.Number, ';') {
		return p, fmt.Errorf("dialseq: number %q holds a ';'", p.Number)
	}
	if err := printable.Wire(p.PIN); err != nil {
		return p, fmt.Errorf("dialseq: the configured PIN: %w", err)
	}
	if strings.ContainsRune(p.PIN, '"') {
		return p, fmt.Errorf("dialseq: the configured PIN holds a quote") // never the PIN itself
	}
	for _, d := range []struct {
		v   *time.Duration
		def time.Duration
	}{
		{&p.WakeTimeout, DefaultWakeTimeout},
		{&p.CommandTimeout, DefaultCommandTimeout},
		{&p.SIMTimeout, DefaultSIMTimeout},
		{&p.RegisterTimeout, DefaultRegisterTimeout},
		{&p.DialTimeout, DefaultDialTimeout},
		{&p.PollInterval, DefaultPollInterval},
	} {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	return p, nil
}

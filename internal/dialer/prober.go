package dialer

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/zdial/zdial/at"
	"github.com/zdial/zdial/internal/dialseq"
)

// Port discovery asks each candidate tty of a dongle, all at once, who it
// is and whether it can carry a call. Only read-only AT queries go out:
//
//	> AT              < OK                   answers AT at all
//	> ATE0            < OK                   (shorter replies; refusal is harmless)
//	> AT+CGMI/+CGMM/+CGMR (or ATI)           maker, model, firmware, for display
//	> AT+GCAP         < +GCAP: +CGSM,+DS,+ES
//	> AT^GETPORTMODE  < ^GETPORTMODE: TYPE: WCDMA: huawei,MDM:0,DIAG:1,PCUI:2
//	                                         (Huawei only: names every interface)
//	> ATO             < NO CARRIER           the data-port check (below)
//
// The data-port check is ATO, "return to online data state". Only a port
// that carries data calls has an online data state to return to. V.250
// has the modem answer NO CARRIER when the connection cannot be resumed,
// which is what a data port with no call says (the simulator's modem port,
// and Qualcomm's integrator manuals for the data port); a secondary AT port
// (ZTE's second port, Huawei's PCUI, Sierra's control port) has no online
// data state and answers ERROR or +CME ERROR, as it does to ATD. ATO is
// chosen over a dial because it is harmless: with no call there is nothing
// to return to, and no dial string reaches the network. The one case where
// it does something is a call that another program suspended with +++ on
// an unlocked port; then ATO answers CONNECT, which proves a data port too,
// and closing the line (DTR drops, HUPCL) ends that call.
//
// It is a heuristic, used only where neither the device database nor
// ^GETPORTMODE names the PPP port, and not yet confirmed on hardware (the
// lab should record what each real dongle answers on each port). Where
// every port answers ATO alike, choosePort takes the lowest
// interface and says so in its reason (all NO CARRIER: the lowest that
// passed; all ERROR: the lowest that answers AT, as wvdialconf would); a
// device where that is wrong needs port roles in the database.

// dataPortCheck is the AT command of the data-port check.
const dataPortCheck = "O"

// probeModem runs the discovery probe over m. Only the first AT must
// succeed: once a port has answered, what it says is returned even if ctx
// runs out before the last question.
func probeModem(ctx context.Context, m *at.Modem) (ProbeResult, at.Identity, error) {
	var r ProbeResult
	if err := wake(ctx, m); err != nil {
		return r, at.Identity{}, err
	}
	r.AT = true
	m.Command(ctx, "E0")
	id := identify(ctx, m)
	var gcap string
	if lines, err := m.Command(ctx, "+GCAP"); err == nil {
		gcap, _ = at.ParseIdentLine("+GCAP", lines)
	}
	r.Info = describeIdentity(id, gcap)
	r.PortMode, r.DataPort = portChecks(ctx, m, id.Manufacturer)
	return r, id, nil
}

// wake is the dial sequence's Wake, within ctx: noise left on the line
// (a half-sent command, bytes from a previous program) spoils one AT.
func wake(ctx context.Context, m *at.Modem) error {
	if err := dialseq.Wake(ctx, m); err != nil {
		return fmt.Errorf("dialer: no AT answer: %w", err)
	}
	return nil
}

// identify is at.ReadIdentity, with ATI for modems that lack +CGMI.
func identify(ctx context.Context, m *at.Modem) at.Identity {
	id, _ := at.ReadIdentity(ctx, m) // what it got is enough for display
	if id.Manufacturer == "" && ctx.Err() == nil {
		if lines, err := m.Command(ctx, "I"); err == nil {
			ati := at.ParseATI(lines)
			id.Manufacturer, id.Model = ati.Manufacturer, firstNonEmpty(id.Model, ati.Model)
			id.Revision = firstNonEmpty(id.Revision, ati.Revision)
		}
	}
	return id
}

// portChecks asks a Huawei for its port map and, where that says nothing,
// runs the data-port check.
func portChecks(ctx context.Context, m *at.Modem, manufacturer string) (map[string]int, bool) {
	var pm map[string]int
	if strings.Contains(strings.ToLower(manufacturer), "huawei") {
		if lines, err := m.Command(ctx, "^GETPORTMODE"); err == nil {
			pm = parseGetPortMode(strings.Join(lines, ","))
		}
	}
	if pm != nil || ctx.Err() != nil {
		return pm, false
	}
	_, err := m.Command(ctx, dataPortCheck)
	// nil is CONNECT: a suspended call resumed, on a data port by definition.
	return nil, err == nil || errors.Is(err, at.ErrNoCarrier)
}

func describeIdentity(id at.Identity, gcap string) string {
	var parts []string
	for _, s := range []string{id.Manufacturer, id.Model, id.Revision} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if gcap != "" {
		parts = append(parts, "("+gcap+")")
	}
	return strings.Join(parts, " ")
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// PortReport is what `zdial probe` shows for one port: whether it answers,
// what the modem behind it says, and which kind of port it is.
type PortReport struct {
	Port     string         `json:"port"`
	AT       bool           `json:"at"`                  // answered AT with OK
	DataPort bool           `json:"data_port"`           // passed the data-port check (ATO)
	PortMode map[string]int `json:"port_mode,omitempty"` // Huawei ^GETPORTMODE: kind → interface
	Modem    *ModemInfo     `json:"modem,omitempty"`
	Error    string         `json:"error,omitempty"` // why it did not answer, or what cut the probe short
}

// Inspect opens path and asks the modem behind it everything Describe
// does, then runs the port checks of discovery. It returns an error only
// when the port cannot be opened; a port that is silent or runs out of
// time is a PortReport with Error set. The port is closed on return.
func Inspect(ctx context.Context, path, devRoot string, opts ...at.Option) (PortReport, error) {
	rep := PortReport{Port: path}
	line, err := OpenPort(path, devRoot)
	if err != nil {
		return rep, err
	}
	m := at.New(line, opts...)
	defer m.Close()
	if err := wake(ctx, m); err != nil {
		rep.Error = err.Error()
		return rep, nil
	}
	rep.AT = true
	info, err := Describe(ctx, m)
	info.Port = path
	rep.Modem = &info
	if err != nil {
		rep.Error = err.Error()
		return rep, nil
	}
	rep.PortMode, rep.DataPort = portChecks(ctx, m, info.Manufacturer)
	return rep, nil
}

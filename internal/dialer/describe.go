package dialer

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/zdial/zdial/at"
	"github.com/zdial/zdial/internal/dialseq"
)

// ModemInfo is what a modem tells about itself, its SIM and its network
// without being unlocked: what `zdial demo` and `zdial probe` print.
type ModemInfo struct {
	Port         string `json:"port,omitempty"`
	Manufacturer string `json:"manufacturer,omitempty"`
	Model        string `json:"model,omitempty"`
	Revision     string `json:"revision,omitempty"`
	IMEI         string `json:"imei,omitempty"`
	// IMSI identifies the subscriber: kept out of JSON and output, it is
	// read to name the carrier the SIM belongs to.
	IMSI         string `json:"-"`
	ICCID        string `json:"iccid,omitempty"`
	SIM          string `json:"sim,omitempty"`          // READY, SIM PIN, SIM PUK, or the error
	PINAttempts  int    `json:"pin_attempts,omitempty"` // -1 unknown; only when the SIM asks
	SignalDBm    int    `json:"signal_dbm,omitempty"`   // 0 when unknown
	Registration string `json:"registration,omitempty"` // home, roaming, searching, denied…
	AccessTech   string `json:"access_tech,omitempty"`
	Operator     string `json:"operator,omitempty"`
}

// Describe asks an awake modem who it is and how it is doing. Only the
// first AT must succeed: every other question is optional, since modems
// differ in what they answer, and a locked SIM hides some answers.
func Describe(ctx context.Context, m *at.Modem) (ModemInfo, error) {
	var info ModemInfo
	if _, err := m.Command(ctx, ""); err != nil {
		return info, fmt.Errorf("dialer: modem does not answer AT: %w", err)
	}
	m.Command(ctx, "E0")             // shorter transcripts; harmless if refused
	id, _ := at.ReadIdentity(ctx, m) // partial answers are still worth showing
	info.Manufacturer, info.Model, info.Revision = id.Manufacturer, id.Model, id.Revision
	info.IMSI = id.IMSI
	info.IMEI, info.ICCID = id.IMEI, id.ICCID
	state, err := at.ReadSIMState(ctx, m)
	switch {
	case err == nil:
		info.SIM = string(state)
		if state != at.SIMReady {
			info.PINAttempts = -1
			if c, err := at.ReadPINCounts(ctx, m); err == nil {
				info.PINAttempts = c.PIN
			}
		}
	case ctx.Err() != nil:
		return info, ctx.Err()
	default:
		info.SIM = simError(err)
	}
	if s, err := at.ReadSignal(ctx, m); err == nil && s.Known {
		info.SignalDBm = s.DBm
	}
	// The dial's own judgement of the answers, so that probe and dial
	// never disagree about the same modem.
	var ans dialseq.RegAnswers
	for _, q := range []struct {
		cmd string
		dst **at.Registration
	}{{"+CEREG", &ans.EPS}, {"+CGREG", &ans.PS}, {"+CREG", &ans.CS}} {
		if r, err := at.ReadRegistration(ctx, m, q.cmd); err == nil {
			*q.dst = &r
		}
	}
	reg := dialseq.JudgeRegistration(ans)
	if reg.Answered {
		info.Registration = strings.ToLower(reg.Status.String())
	}
	info.AccessTech = reg.AccessTech
	if op, err := at.ReadOperator(ctx, m); err == nil {
		info.Operator = op.Name
		if info.AccessTech == "" && op.AcT != at.AcTUnknown {
			info.AccessTech = dialseq.AccessTechName(op.AcT)
		}
	}
	return info, ctx.Err()
}

func simError(err error) string {
	switch {
	case errors.Is(err, at.ErrSIMNotInserted):
		return "absent"
	case errors.Is(err, at.ErrSIMFailure):
		return "failure"
	case errors.Is(err, at.ErrSIMBusy):
		return "busy"
	}
	return err.Error()
}

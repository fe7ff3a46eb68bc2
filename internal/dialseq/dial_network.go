package dialseq

import (
	"context"
	"fmt"

	"github.com/zdial/zdial/at"
)

// Bearer is what Params.FromSIM settles once the SIM's IMSI is known:
// the APN, PDP type and number for the rest of the dial. An empty field
// keeps the value Params had.
type Bearer struct {
	APN     string
	PDPType string
	Number  string
}

// fromSIM runs after registration when Params.FromSIM is set: with the
// SIM's IMSI (AT+CIMI, which a SIM answers only once unlocked, asked on
// the first registration poll's line so it costs no exchange of its own)
// it lets the caller choose the APN for that network — a profile without
// an APN, or a carrier name only the SIM's network can narrow (vodafone,
// three). Only if the poll could not carry it is +CIMI asked alone:
//
//	AT+CGREG?;+CREG?;+CSQ;+COPS?;+CIMI;+CEREG?   …, 234201234567890, …
//	                                             OK
func (d *dialRun) fromSIM(ctx context.Context) error {
	if d.p.FromSIM == nil {
		return nil
	}
	// A modem that will not say (ERROR) or says something else than an
	// IMSI gives FromSIM "": the caller decides whether it can do without.
	imsi := d.imsi
	if !d.imsiAsked {
		lines, err := d.cmd(ctx, "+CIMI")
		switch {
		case err == nil:
			if v, perr := at.ParseIdentLine("+CIMI", lines); perr == nil {
				imsi = v
			}
		case !modemSaid(err):
			return fmt.Errorf("dialseq: reading the SIM's IMSI: %w", err)
		}
	}
	b, err := d.p.FromSIM(imsi)
	if err != nil {
		return err
	}
	p := d.p
	if b.APN != "" {
		p.APN = b.APN
	}
	if b.PDPType != "" {
		p.PDPType = b.PDPType
	}
	if b.Number != "" {
		p.Number = b.Number
	}
	if p, err = p.WithDefaults(); err != nil {
		return err
	}
	d.p = p
	return nil
}

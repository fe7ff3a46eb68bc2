package at

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zdial/zdial/internal/modemsim"
)

func TestParseICCIDForms(t *testing.T) {
	for _, tc := range []struct {
		line, want string
	}{
		// Huawei ^ICCID: the stored bytes, digits swapped in pairs.
		{"^ICCID: 98440100030000204331", "89441000300000023413"},
		{`^ICCID: "98440100030000204331"`, "89441000300000023413"},
		// 19 digits: the F pad lands second to last; lower case f too.
		{"^ICCID: 984402002143658709F1", "8944200012345678901"},
		{"^ICCID: 984402002143658709f1", "8944200012345678901"},
		// Firmware that cut the F: an odd count, the last digit stays.
		{"^ICCID: 9844020021436587091", "8944200012345678901"},
		// Newer firmware (E3372 21.200) prints it unswapped: left alone.
		{"^ICCID: 89441000300000023413", "89441000300000023413"},
		// A swapped answer to another command is recognised by its 98.
		{"+CCID: 98440100030000204331", "89441000300000023413"},
		{"+CRSM: 144,0,\"984402002143658709F1\"", "8944200012345678901"},
		// Unswapped answers with F padding.
		{"+QCCID: 8944303382658215567F", "8944303382658215567"},
		{"+ICCID: 8901260487759545390F", "8901260487759545390"},
		{"8944476500008878576F", "8944476500008878576"},
		// China Mobile / Baidu: hex letters in the account part.
		{`+CCID: "898602F9091830030220"`, "898602F9091830030220"},
		{"+CCID: 898604b719227100123F", "898604B719227100123"},
	} {
		got, err := ParseICCID([]string{tc.line})
		if err != nil || got != tc.want {
			t.Errorf("%q: got %q, %v; want %q", tc.line, got, err, tc.want)
		}
	}
	for _, bad := range []string{
		"^ICCID: 98231420326pl9614067", // not hex
		"+CCID: 982314203264096",       // too short
		"+CCID: 89A4200012345678901",   // a letter in the issuer part
		"+CRSM: 106,130,\"\"",          // the SIM refused the read
		"^ICCID: 896XXXXXXXXXXXXXXXXX", // redacted
	} {
		if got, err := ParseICCID([]string{bad}); err == nil {
			t.Errorf("%q parsed as %q", bad, got)
		}
	}
}

// ReadICCID goes down the vendor commands until one answers; a Huawei that
// refuses +CCID answers ^ICCID? swapped, and the result is the card's ICCID.
func TestReadICCID(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, sim, _ := dial(t, persona(t, "huawei-e3131", func(p *modemsim.Persona) {
			p.URCs = nil
			p.Replies = append([]modemsim.Reply{{Command: "+CCID", Result: modemsim.ResultError}}, p.Replies...)
		}))
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		got, err := ReadICCID(ctx, m)
		if err != nil || got != "8944200055555555550" {
			t.Fatalf("got %q, %v; want the persona's ICCID", got, err)
		}
		if rx := sim.Received(); !slices.Equal(rx, []string{"AT+CCID", "AT^ICCID?"}) {
			t.Errorf("received %q", rx)
		}
	})
}

func TestReadICCIDNoSIM(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, sim, _ := dial(t, persona(t, "no-sim", func(p *modemsim.Persona) { p.URCs = nil }))
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		got, err := ReadICCID(ctx, m)
		if !errors.Is(err, ErrNoICCID) || !errors.Is(err, ErrError) || got != "" {
			t.Fatalf("got %q, %v; want ErrNoICCID wrapping the modem's refusal", got, err)
		}
		if n := len(sim.Received()); n != len(iccidQueries) {
			t.Errorf("%d commands sent, want all %d ICCID queries", n, len(iccidQueries))
		}
	})
}

// A line failure stops ReadICCID at once instead of trying the next command.
func TestReadICCIDHangup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, sim, _ := dial(t, persona(t, "zte-mf622", func(p *modemsim.Persona) {
			p.URCs = nil
			p.Faults.VanishOn = "+CCID"
		}))
		_, err := ReadICCID(t.Context(), m)
		if !errors.Is(err, ErrHangup) || errors.Is(err, ErrNoICCID) {
			t.Fatalf("got %v, want ErrHangup", err)
		}
		if n := len(sim.Received()); n != 1 {
			t.Errorf("%d commands sent after the hang-up, want 1", n)
		}
	})
}
